// Live points of a compare panel's runs as the loader's series, for the page's `live` message:
// only the panel's runs, each metric's points since the page last heard. Pure (no vscode).
import type { MetricSeries } from '../../core/compare/metricHistoryLoader';
import type { NewPoints } from '../../core/live';

export function liveSeries(points: NewPoints | undefined, runIds: readonly string[]): MetricSeries[] {
  const known = new Set(runIds);
  const out: MetricSeries[] = [];
  for (const [runId, byKey] of points ?? []) {
    if (!known.has(runId)) continue;
    for (const [metricKey, list] of byKey) out.push({ runId, metricKey, sampled: false, points: list });
  }
  return out;
}
