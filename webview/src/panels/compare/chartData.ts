// Metric series → chart points: the x axis the user picked (step, wall time, time since the
// run's first point), EMA smoothing, and what a log axis cannot draw. Pure; tested in Node.
import type { CompareRun, CompareSeries, XAxisMode } from '../../../../src/protocol/compare';
import { emaSmooth } from './smoothing';

/** `[x, y]`, y null where the line has a gap (a value a log axis cannot show). */
export type ChartPoint = [number, number | null];

export function chartPoints(series: CompareSeries, xAxis: XAxisMode, smoothing: number, logScale: boolean): ChartPoint[] {
  const n = series.steps.length;
  if (n === 0) return [];
  const xs = chartXs(series, xAxis);
  const ys = emaSmooth(series.values, smoothing);
  const out: ChartPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const y = ys[i]!;
    out[i] = [xs[i]!, !Number.isFinite(y) || (logScale && y <= 0) ? null : y];
  }
  return out;
}

/** The x of every point of a series on the chosen axis. */
export function chartXs(series: CompareSeries, xAxis: XAxisMode): ArrayLike<number> {
  if (xAxis === 'step') return series.steps;
  if (xAxis === 'wallTime') return series.timestamps;
  let t0 = Infinity;
  for (const t of series.timestamps) if (t < t0) t0 = t;
  return Array.from(series.timestamps, (t) => (t - t0) / 1000);
}

/** The y values a chart draws (for outlier bounds). */
export function drawnValues(points: readonly ChartPoint[]): number[] {
  return points.flatMap((p) => (p[1] === null ? [] : [p[1]]));
}

/** How many metrics a new panel charts at most: its histories first, then single values. */
export const DEFAULT_HISTORY_CHARTS = 3;
export const DEFAULT_SINGLE_VALUE_CHARTS = 6;

/**
 * Metrics to chart when the user has not chosen: the focus metric; else the metrics that have a
 * history (most runs first), then the single values (one point a run: `rmse`, `r2`), drawn as
 * bars. A metric whose latest value of every run is at step 0 was logged once per run.
 */
export function defaultMetrics(runs: readonly CompareRun[], focus: readonly string[]): string[] {
  if (focus.length > 0) return [...focus];
  const order = metricKeys(runs);
  const count = (key: string) => runs.filter((r) => r.metrics.some((m) => m.key === key)).length;
  // Stable: most runs first, then the order the runs logged them in.
  const ranked = [...order].sort((a, b) => count(b) - count(a) || order.indexOf(a) - order.indexOf(b));
  const histories = ranked.filter((k) => hasHistory(runs, k)).slice(0, DEFAULT_HISTORY_CHARTS);
  const singles = ranked.filter((k) => !hasHistory(runs, k)).slice(0, DEFAULT_SINGLE_VALUE_CHARTS);
  return [...histories, ...singles];
}

/**
 * Whether a metric is a history (logged at more than one step by some run) rather than one value
 * a run. Judged from the latest values runs/search gives, so no history is fetched to decide:
 * a metric logged at step 0 only is a single value, shown as bars of those values.
 */
export function hasHistory(runs: readonly CompareRun[], metricKey: string): boolean {
  return runs.some((r) => r.metrics.some((m) => m.key === metricKey && m.step !== 0));
}

/** Every metric key of the runs, in first-seen order. */
export function metricKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))];
}

export function paramKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.params.map((p) => p.key)))];
}
