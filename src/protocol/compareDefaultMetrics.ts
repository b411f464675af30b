// Which metrics a new comparison charts, decided the same way on both sides: the page picks its
// charts with it, and the host uses it to start fetching the first chart's histories as soon as
// the command runs, while the page is still loading (bench/compareFirstPaint.bench.ts: that
// fetch no longer waits for the page's script and its `ready`). Pure; imports only types.
import type { CompareRun } from './compareMessages';

/** How many metrics a new panel charts at most: its histories first, then single values. */
export const DEFAULT_HISTORY_CHARTS = 3;
export const DEFAULT_SINGLE_VALUE_CHARTS = 6;

/** Every metric key of the runs, in first-seen order. */
export function metricKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))];
}

/**
 * Whether a metric is a history (logged at more than one step by some run) rather than one value
 * a run. Judged from the latest values runs/search gives, so no history is fetched to decide:
 * a metric logged at step 0 only is a single value, shown as bars of those values.
 */
export function hasHistory(runs: readonly CompareRun[], metricKey: string): boolean {
  return runs.some((r) => r.metrics.some((m) => m.key === metricKey && m.step !== 0));
}

/**
 * Metrics to chart when the user has not chosen: the focus metric; else the metrics that have a
 * history (most runs first), then the single values (one point a run: `rmse`, `r2`), drawn as
 * bars. A metric whose latest value of every run is at step 0 was logged once per run.
 */
export function defaultMetrics(runs: readonly CompareRun[], focus: readonly string[]): string[] {
  if (focus.length > 0) return [...focus];
  const order = metricKeys(runs);
  const counts = new Map<string, number>();
  for (const r of runs) for (const key of new Set(r.metrics.map((m) => m.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const count = (key: string) => counts.get(key) ?? 0;
  // Stable: most runs first, then the order the runs logged them in.
  const ranked = [...order].sort((a, b) => count(b) - count(a) || order.indexOf(a) - order.indexOf(b));
  const histories = ranked.filter((k) => hasHistory(runs, k)).slice(0, DEFAULT_HISTORY_CHARTS);
  const singles = ranked.filter((k) => !hasHistory(runs, k)).slice(0, DEFAULT_SINGLE_VALUE_CHARTS);
  return [...histories, ...singles];
}

/**
 * The history chart a new page draws first (and waits for): the first of its default metrics
 * that has a history. Undefined when every chosen metric is bars (they need no fetch).
 */
export function leadHistoryMetric(runs: readonly CompareRun[], focus: readonly string[]): string | undefined {
  return defaultMetrics(runs, focus).find((key) => hasHistory(runs, key));
}
