// Exponential moving average as TensorBoard and the MLflow UI draw it: debiased, so the first
// points are not pulled toward zero, and NaN/Infinity passed through without poisoning the rest.

/** `weight` in [0, 1): 0 returns the values unchanged, 0.99 is very smooth. */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  if (w === 0) return Array.from(values);
  let last = 0;
  let count = 0;
  return Array.from(values, (v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    count++;
    // Dividing by (1 - w^n) undoes the bias of starting the average at 0.
    return last / (1 - Math.pow(w, count));
  });
}
