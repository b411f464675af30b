// Turning fetched points into the panel's series, and deciding `sampled` honestly: a series is
// marked sampled only when points of that history are known (or, for a server sample, can be)
// missing from it.
import type { BulkIntervalPoint, Metric } from '../mlflow/types';
import type { MetricPoint, MetricSeries, StepRange } from './metricHistoryLoader';
import { thinEvenly } from './stepSampling';

const byStepThenTime = (a: MetricPoint, b: MetricPoint) => a.step - b.step || a.timestamp - b.timestamp;

const toPoint = (m: Metric): MetricPoint => ({ step: m.step, timestamp: m.timestamp, value: m.value });

const inRange = (range: StepRange | undefined) => (m: { step: number }) => !range || (m.step >= range.minStep && m.step <= range.maxStep);

function isOrdered(points: readonly MetricPoint[]): boolean {
  for (let i = 1; i < points.length; i++) if (byStepThenTime(points[i - 1]!, points[i]!) > 0) return false;
  return true;
}

/** True when the distinct steps of `points` (sorted) are every integer from the first to the last. */
function coversEveryStep(points: readonly MetricPoint[]): boolean {
  if (points.length === 0) return true;
  let distinct = 1;
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.step !== points[i - 1]!.step) distinct++;
  }
  const first = points[0]!.step;
  const last = points[points.length - 1]!.step;
  return Number.isInteger(first) && Number.isInteger(last) && last - first + 1 === distinct;
}

/**
 * Series of one get-history-bulk-interval answer. The server thinned the step grid exactly when
 * the union of the request's runs had more than `maxResults` steps in the window, and then it
 * returns more than `maxResults` distinct steps (the sample plus the last step). A run of a
 * thinned answer is still complete when it was asked for whole (its first and last steps are
 * always kept) and its steps leave no integer gap between them.
 */
export function seriesFromBulk(
  runIds: readonly string[],
  metricKey: string,
  points: readonly BulkIntervalPoint[],
  maxResults: number,
  range: StepRange | undefined,
): Map<string, MetricSeries> {
  const perRun = new Map<string, MetricPoint[]>(runIds.map((id) => [id, []]));
  const steps = new Set<number>();
  let list: MetricPoint[] | undefined;
  let listRun = '';
  for (const p of points) {
    if (p.key !== metricKey) continue;
    // The answer comes run by run: look the list up only when the run changes.
    if (p.run_id !== listRun || list === undefined) {
      listRun = p.run_id;
      list = perRun.get(p.run_id);
    }
    if (!list) continue;
    list.push(toPoint(p));
    if (steps.size <= maxResults) steps.add(p.step); // past the limit the answer is known to be thinned
  }
  const thinned = steps.size > maxResults;
  const out = new Map<string, MetricSeries>();
  for (const [runId, list] of perRun) {
    if (!isOrdered(list)) list.sort(byStepThenTime);
    const sampled = thinned && list.length > 0 && (range !== undefined || !coversEveryStep(list));
    out.set(runId, { runId, metricKey, points: list, sampled });
  }
  return out;
}

/**
 * A zoomed answer checked against what the overview already showed: MLflow 2.14.3 compares an
 * absolute index with the window's length when it thins a window, so a wide zoom far from step 0
 * comes back with a handful of points. Overview points inside the window that the answer lacks
 * prove it incomplete; they are merged in so a zoom never shows less than the overview did.
 */
export function mergeOverview(zoomed: MetricSeries, overview: MetricSeries | undefined, range: StepRange): MetricSeries {
  if (!overview) return zoomed;
  const have = new Set(zoomed.points.map((p) => p.step));
  const missing = overview.points.filter((p) => inRange(range)(p) && !have.has(p.step));
  if (missing.length === 0) return zoomed;
  return { ...zoomed, points: [...zoomed.points, ...missing].sort(byStepThenTime), sampled: true };
}

/** A whole history from get-history, cut to the window and thinned to `maxPoints` (first and last kept). */
export function seriesFromHistory(runId: string, metricKey: string, history: readonly Metric[], maxPoints: number, range: StepRange | undefined): MetricSeries {
  // Thin the server's objects first and copy only the kept ones: a million-step history is then
  // held once (as fetched), not three times.
  const all = history.filter(inRange(range)).sort(byStepThenTime);
  const kept = all.length <= maxPoints ? all : thinEvenly(all, maxPoints);
  return { runId, metricKey, points: kept.map(toPoint), sampled: kept.length < all.length };
}
