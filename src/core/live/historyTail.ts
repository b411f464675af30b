// The tail of metric histories a live comparison holds: for each (run, metric) the last point it
// has, and from a poll's fresh runs (whose latest metrics runs/search reports) which histories
// grew, which request fetches only their new steps, and which of the answered points are new.
// runs/search reports the latest value per key as the one with the highest step (then the
// newest timestamp), so a key whose latest point equals the held one has nothing new: no request.
import type { BulkIntervalPoint, Metric, Run } from '../mlflow/types';

export interface HeldPoint {
  readonly step: number;
  readonly timestamp: number;
}

/** A point is new when it is past the held one: a later step, or the same step logged later. */
export function isAfter(point: HeldPoint, held: HeldPoint | undefined): boolean {
  if (!held) return true;
  return point.step > held.step || (point.step === held.step && point.timestamp > held.timestamp);
}

const heldKey = (runId: string, metricKey: string) => `${runId}\u0000${metricKey}`;

/** What one subscriber (a compare panel) holds; starts from the runs' latest metrics it was opened with. */
export class HeldTails {
  private readonly held = new Map<string, HeldPoint>();

  static fromRuns(runs: readonly Run[]): HeldTails {
    const tails = new HeldTails();
    for (const run of runs) for (const m of run.data.metrics) tails.hold(run.info.run_id, m.key, m);
    return tails;
  }

  get(runId: string, metricKey: string): HeldPoint | undefined {
    return this.held.get(heldKey(runId, metricKey));
  }

  /** Keeps the later of the held point and `point`. */
  hold(runId: string, metricKey: string, point: HeldPoint): void {
    const key = heldKey(runId, metricKey);
    if (isAfter(point, this.held.get(key))) this.held.set(key, { step: point.step, timestamp: point.timestamp });
  }
}

/** One get-history-bulk-interval request of a poll: the runs of one metric that grew. */
export interface TailRequest {
  readonly metricKey: string;
  readonly runIds: string[];
  /** The lowest held step of those runs (its own step again: a same-step point may be newer). */
  readonly startStep: number;
  /** The highest latest step reported: the server's range is inclusive. */
  readonly endStep: number;
}

/** Runs per bulk request: MLflow's limit. */
export const MAX_TAIL_RUNS_PER_REQUEST = 100;

/**
 * The requests that fetch every new point `subscribers` lack, one per metric key (per 100 runs),
 * shared by all subscribers: two panels on the same runs cost one request, not two.
 */
export function tailRequests(fresh: readonly Run[], subscribers: ReadonlyArray<{ tails: HeldTails; runIds: ReadonlySet<string> }>): TailRequest[] {
  const byKey = new Map<string, { runs: Set<string>; start: number; end: number }>();
  for (const run of fresh) {
    const runId = run.info.run_id;
    for (const latest of run.data.metrics) {
      for (const sub of subscribers) {
        if (!sub.runIds.has(runId)) continue;
        const held = sub.tails.get(runId, latest.key);
        if (!isAfter(latest, held)) continue;
        let entry = byKey.get(latest.key);
        if (!entry) byKey.set(latest.key, (entry = { runs: new Set(), start: Infinity, end: -Infinity }));
        entry.runs.add(runId);
        entry.start = Math.min(entry.start, held?.step ?? Math.min(0, latest.step));
        entry.end = Math.max(entry.end, latest.step);
      }
    }
  }
  const requests: TailRequest[] = [];
  for (const [metricKey, e] of byKey) {
    const runIds = [...e.runs];
    for (let i = 0; i < runIds.length; i += MAX_TAIL_RUNS_PER_REQUEST) {
      requests.push({ metricKey, runIds: runIds.slice(i, i + MAX_TAIL_RUNS_PER_REQUEST), startStep: e.start, endStep: e.end });
    }
  }
  return requests;
}

/** New points per run of one metric, ordered by step then timestamp. */
export type NewPoints = Map<string, Map<string, Metric[]>>;

/** Takes from answered points those past what `tails` holds, and holds them from now on. */
export function takeNewPoints(tails: HeldTails, runIds: ReadonlySet<string>, metricKey: string, points: readonly BulkIntervalPoint[], into: NewPoints): void {
  const sorted = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  for (const p of sorted) {
    if (!runIds.has(p.run_id) || !isAfter(p, tails.get(p.run_id, metricKey))) continue;
    let perRun = into.get(p.run_id);
    if (!perRun) into.set(p.run_id, (perRun = new Map()));
    let list = perRun.get(metricKey);
    if (!list) perRun.set(metricKey, (list = []));
    list.push({ key: metricKey, value: p.value, timestamp: p.timestamp, step: p.step });
    tails.hold(p.run_id, metricKey, p);
  }
}
