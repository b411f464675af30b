/**
 * Metric histories: the whole history (2.14.3 ignores paging), and the UI's sampled
 * get-history-bulk-interval, reproducing MLflow 2.14.3's handler including its quirks:
 * start_step defaults to 0, each run's min and max step is kept, and the sampling loop compares an
 * absolute index with the count (so a zoomed window can return fewer points than asked).
 */
import type { ServerResponse } from 'node:http';
import type { MetricHistory, MetricPoint } from './entities';
import { invalidParam } from './http-util';

/**
 * A point as MLflow's protobuf JSON writes it: doubles that are not finite become the strings
 * "NaN", "Infinity" and "-Infinity" (JSON.stringify would turn them into null).
 */
export function metricJson(p: MetricPoint): { key: string; value: number | string; timestamp: number; step: number } {
  return { key: p.key, value: Number.isFinite(p.value) ? p.value : String(p.value), timestamp: p.timestamp, step: p.step };
}

/** Sorted, de-duplicated steps, possibly virtual (a contiguous 0..n-1 range). */
interface SortedSteps {
  length: number;
  at(i: number): number;
}

function isContiguous(h: MetricHistory): boolean {
  return h.contiguous === true;
}

function unionOfSteps(histories: MetricHistory[]): SortedSteps {
  if (histories.length > 0 && histories.every(isContiguous)) {
    const n = Math.max(...histories.map((h) => h.length));
    return { length: n, at: (i) => i };
  }
  const set = new Set<number>();
  for (const h of histories) for (let i = 0; i < h.length; i++) set.add(h.stepAt(i));
  const arr = [...set].sort((a, b) => a - b);
  return { length: arr.length, at: (i) => arr[i] };
}

/** First index whose value is >= x (or > x when `right`), like Python's bisect. */
function bisect(len: number, at: (i: number) => number, x: number, right = false): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (right ? at(mid) <= x : at(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sampledSteps(start: number, end: number, maxResults: number, all: SortedSteps): Set<number> {
  const startIdx = bisect(all.length, all.at, start);
  const endIdx = bisect(all.length, all.at, end, true);
  const out = new Set<number>();
  if (endIdx - startIdx <= maxResults) {
    for (let i = startIdx; i < endIdx; i++) out.add(all.at(i));
    return out;
  }
  const numSteps = endIdx - startIdx;
  const interval = numSteps / maxResults;
  for (let i = 0; i < maxResults; i++) {
    const idx = startIdx + Math.floor(i * interval);
    if (idx < numSteps) out.add(all.at(idx)); // MLflow's comparison, kept on purpose
  }
  out.add(all.at(endIdx - 1));
  return out;
}

export interface BulkIntervalRequest {
  histories: Array<{ runId: string; history: MetricHistory | undefined }>;
  maxResults: number;
  startStep?: number;
  endStep?: number;
}

export function bulkInterval(req: BulkIntervalRequest): Array<ReturnType<typeof metricJson> & { run_id: string }> {
  let { startStep: start, endStep: end } = req;
  if (start !== undefined && end !== undefined) {
    if (start > end) {
      throw invalidParam(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
    }
  } else if (start !== undefined || end !== undefined) {
    throw invalidParam('If either start step or end step are specified, both must be specified.');
  }
  const histories = req.histories.filter((h) => h.history && h.history.length > 0) as Array<{ runId: string; history: MetricHistory }>;
  const all = unionOfSteps(histories.map((h) => h.history));
  if (start === undefined || end === undefined) {
    start = 0;
    end = all.length ? all.at(all.length - 1) : 0;
  }
  const steps = sampledSteps(start, end, req.maxResults, all);
  for (const { history: h } of histories) {
    for (const s of [h.stepAt(0), h.stepAt(h.length - 1)]) if (s >= start && s <= end) steps.add(s);
  }
  const sorted = [...steps].sort((a, b) => a - b);
  const out: Array<ReturnType<typeof metricJson> & { run_id: string }> = [];
  for (const { runId, history: h } of histories) {
    // The SQL store's get_metric_history_bulk_interval_from_steps: by step, then timestamp,
    // at most MAX_RESULTS_GET_METRIC_HISTORY (25,000) values per run.
    let count = 0;
    for (const s of sorted) {
      for (let i = bisect(h.length, (k) => h.stepAt(k), s); i < h.length && h.stepAt(i) === s && count < 25_000; i++, count++) {
        out.push({ ...metricJson(h.pointAt(i)), run_id: runId });
      }
    }
  }
  return out;
}

/** Streams `{"metrics": [...]}` in chunks so a million-point history never becomes one string. */
export async function streamHistory(res: ServerResponse, history: MetricHistory): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  if (history.length === 0) {
    res.end('{}');
    return;
  }
  res.write('{"metrics": [');
  const chunk = 5000;
  for (let i = 0; i < history.length; i += chunk) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(history.length, i + chunk); j++) parts.push(JSON.stringify(metricJson(history.pointAt(j))));
    const ok = res.write((i > 0 ? ', ' : '') + parts.join(', '));
    if (!ok) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
    if (res.destroyed) return;
  }
  res.end(']}');
}
