// "Ignore outliers": the y-axis spans the 5th–95th percentile of what is drawn, so one loss
// spike at step 0 no longer flattens every curve. Values outside are clipped by the axis, not
// removed from the data (hover still shows them).

/** Linear-interpolated percentile (`p` in 0..100) of finite values; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/** The axis range that ignores outliers, or undefined when there is nothing to bound. */
export function outlierBounds(values: readonly number[], low = 5, high = 95): Bounds | undefined {
  const min = percentile(values, low);
  const max = percentile(values, high);
  if (min === undefined || max === undefined) return undefined;
  if (min === max) {
    // A flat line still needs a visible band around it.
    const pad = Math.abs(min) * 0.05 || 1;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** Clips a value into bounds (for drawing lines that leave the axis at its edge). */
export function clip(value: number, bounds: Bounds): number {
  return Math.min(Math.max(value, bounds.min), bounds.max);
}
