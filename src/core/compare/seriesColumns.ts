// A loaded series in the form it crosses to the page (CompareSeriesColumns): values as a
// Float64Array, steps as compact as they allow, timestamps only when the page asked. Pure (no
// vscode): the byte count per point is measured in plain Node (test/unit/compare-columns.test.ts)
// and by the first-paint benchmark. The page reads the columns back with protocol/compareColumns.ts.
import type { CompareSeriesColumns, CompareStepColumn, RegularSteps } from '../../protocol/compare';
import type { MetricSeries } from './metricHistoryLoader';

export interface ColumnOptions {
  /** Send the timestamps (a wall-time or relative-time x axis); default false. */
  readonly timestamps?: boolean;
}

/** A regular part followed by more than this many off-stride steps is sent as an Int32Array. */
const MAX_TAIL = 8;

/**
 * The steps as a start and stride when they are regular but for a short tail (MLflow's sample
 * grid ends on the run's last step), else undefined.
 */
export function regularSteps(steps: ArrayLike<number>): RegularSteps | undefined {
  const n = steps.length;
  if (n === 0) return { start: 0, stride: 0, count: 0, tail: [] };
  const start = steps[0]!;
  const stride = n > 1 ? steps[1]! - start : 0;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stride)) return undefined;
  let count = 1;
  while (count < n && steps[count] === start + count * stride) count++;
  if (n - count > MAX_TAIL) return undefined;
  const tail = Array.from({ length: n - count }, (_, i) => steps[count + i]!);
  return tail.every((t) => Number.isSafeInteger(t)) ? { start, stride, count, tail } : undefined;
}

const fitsInt32 = (steps: readonly { step: number }[]) => steps.every((p) => Number.isInteger(p.step) && p.step >= -0x8000_0000 && p.step <= 0x7fff_ffff);

/**
 * The series of one reply as columns that are views on ONE shared buffer. VS Code sends each
 * distinct ArrayBuffer of a webview message as a buffer of its own, and a reply with 300 of them
 * (100 runs × 3 columns) reached the page garbled in code-server, while views on one buffer
 * travel as one (VS Code keeps each view's type, offset and length). The Float64 columns come
 * first, the Int32 steps after them, so every view is aligned to its element size.
 */
export function toSeriesColumns(series: readonly MetricSeries[], options: ColumnOptions = {}): CompareSeriesColumns[] {
  const withTimes = options.timestamps === true;
  type StepPlan = { kind: 'regular'; steps: RegularSteps } | { kind: 'int32' } | { kind: 'float64' };
  const plans: StepPlan[] = series.map((s) => {
    const regular = regularSteps(s.points.map((p) => p.step));
    if (regular) return { kind: 'regular', steps: regular };
    return fitsInt32(s.points) ? { kind: 'int32' } : { kind: 'float64' };
  });
  let doubles = 0;
  let ints = 0;
  series.forEach((s, i) => {
    const n = s.points.length;
    doubles += n * (1 + (withTimes ? 1 : 0) + (plans[i]!.kind === 'float64' ? 1 : 0));
    if (plans[i]!.kind === 'int32') ints += n;
  });
  const buffer = new ArrayBuffer(8 * doubles + 4 * ints);
  let at = 0; // bytes, in the Float64 part
  let intAt = 8 * doubles; // bytes, in the Int32 part
  const float64 = (n: number) => {
    const view = new Float64Array(buffer, at, n);
    at += 8 * n;
    return view;
  };
  return series.map((s, i) => {
    const n = s.points.length;
    const plan = plans[i]!;
    const values = float64(n);
    const timestamps = withTimes ? float64(n) : undefined;
    let steps: CompareStepColumn;
    if (plan.kind === 'regular') steps = plan.steps;
    else if (plan.kind === 'float64') steps = float64(n);
    else {
      steps = new Int32Array(buffer, intAt, n);
      intAt += 4 * n;
    }
    for (let j = 0; j < n; j++) {
      const p = s.points[j]!;
      values[j] = p.value;
      if (timestamps) timestamps[j] = p.timestamp;
      if (plan.kind !== 'regular') (steps as Int32Array | Float64Array)[j] = p.step;
    }
    return { runId: s.runId, metricKey: s.metricKey, steps, values, sampled: s.sampled, ...(timestamps ? { timestamps } : {}) };
  });
}

/** Bytes of number data a series puts on the wire (the typed arrays; a regular step column is a few JSON numbers). */
export function columnBytes(series: readonly CompareSeriesColumns[]): number {
  return series.reduce((sum, s) => sum + s.values.byteLength + (s.timestamps?.byteLength ?? 0) + (ArrayBuffer.isView(s.steps) ? s.steps.byteLength : 0), 0);
}
