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

/**
 * The x of every point of a series on the chosen axis. A series fetched without timestamps is
 * drawn by step until its chart has them (it asks again when the axis becomes a time).
 */
export function chartXs(series: CompareSeries, xAxis: XAxisMode): ArrayLike<number> {
  const times = series.timestamps;
  if (xAxis === 'step' || !times) return series.steps;
  if (xAxis === 'wallTime') return times;
  let t0 = Infinity;
  for (const t of times) if (t < t0) t0 = t;
  return Array.from(times, (t) => (t - t0) / 1000);
}

/** The series lack what the x axis needs: a time axis and no timestamps (the chart asks again). */
export function needsTimestamps(series: readonly CompareSeries[], xAxis: XAxisMode): boolean {
  return xAxis !== 'step' && series.some((s) => s.timestamps === undefined && s.values.length > 0);
}

/** The y values a chart draws (for outlier bounds). */
export function drawnValues(points: readonly ChartPoint[]): number[] {
  return points.flatMap((p) => (p[1] === null ? [] : [p[1]]));
}

// The default charts are chosen by a module both sides share (the host prefetches the first).
export { DEFAULT_HISTORY_CHARTS, DEFAULT_SINGLE_VALUE_CHARTS, defaultMetrics, hasHistory, metricKeys } from '../../../../src/protocol/compareDefaultMetrics';

export function paramKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.params.map((p) => p.key)))];
}
