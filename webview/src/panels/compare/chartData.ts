// Metric series → chart points: the x axis the user picked (step, wall time, time since the
// run's first point), EMA smoothing, and what a log axis cannot draw. Pure; tested in Node.
import type { CompareRun, CompareSeries, XAxisMode } from '../../../../src/protocol/compare';
import { emaSmooth } from './smoothing';

/** `[x, y]`, y null where the line has a gap (a value a log axis cannot show). */
export type ChartPoint = [number, number | null];

export function chartPoints(series: CompareSeries, xAxis: XAxisMode, smoothing: number, logScale: boolean): ChartPoint[] {
  const points = series.points;
  if (points.length === 0) return [];
  const ys = emaSmooth(points.map((p) => p.value), smoothing);
  const t0 = points.reduce((min, p) => Math.min(min, p.timestamp), Infinity);
  return points.map((p, i) => {
    const x = xAxis === 'step' ? p.step : xAxis === 'wallTime' ? p.timestamp : (p.timestamp - t0) / 1000;
    const y = ys[i]!;
    return [x, !Number.isFinite(y) || (logScale && y <= 0) ? null : y];
  });
}

/** The y values a chart draws (for outlier bounds). */
export function drawnValues(points: readonly ChartPoint[]): number[] {
  return points.flatMap((p) => (p[1] === null ? [] : [p[1]]));
}

/** Metrics to chart when the user has not chosen: the focus metric, else the two most common. */
export function defaultMetrics(runs: readonly CompareRun[], focus: readonly string[]): string[] {
  if (focus.length > 0) return [...focus];
  const order = metricKeys(runs);
  const count = (key: string) => runs.filter((r) => r.metrics.some((m) => m.key === key)).length;
  // Stable: most runs first, then the order the runs logged them in.
  return [...order].sort((a, b) => count(b) - count(a) || order.indexOf(a) - order.indexOf(b)).slice(0, 2);
}

/** Every metric key of the runs, in first-seen order. */
export function metricKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))];
}

export function paramKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.params.map((p) => p.key)))];
}
