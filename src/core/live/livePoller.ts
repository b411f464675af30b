// Polls one server (or local store) for what can change while runs train: the status and latest
// metrics of the shown RUNNING runs — one runs/search for all of them, filtered by run id — and,
// for subscribed comparisons, only the new steps of the histories that grew (one
// get-history-bulk-interval per grown metric, from the last held step). Nothing is asked when no
// run is live or when `isActive()` says nobody looks; failures back off. Plain Node: the timers
// and the gate come from the caller, which is what lets the tests drive it against real servers.
import type { TrackingBackend } from '../backend/trackingBackend';
import { cancelledError, isMlflowError } from '../mlflow/errors';
import type { Run } from '../mlflow/types';
import { backoffDelay, DEFAULT_MAX_BACKOFF_MS } from './backoff';
import { HeldTails, takeNewPoints, tailRequests, type NewPoints } from './historyTail';
import { runIdsFilter } from './runIdFilter';
import { isLiveRun } from './runStatus';

export type LiveBackend = Pick<TrackingBackend, 'searchRunsPage' | 'getRun' | 'getMetricHistoryBulkInterval'>;

export interface LiveTarget {
  readonly runId: string;
  readonly experimentId: string;
}

export interface LiveUpdate {
  /** Every polled run as the server has it now. */
  readonly runs: readonly Run[];
  /** Runs whose status, end time or latest metrics changed since the previous poll. */
  readonly changed: readonly Run[];
  /** Runs that stopped being live in this poll (FINISHED, FAILED, KILLED or deleted). */
  readonly ended: readonly Run[];
  /** Ids the server no longer returns (deleted for good): they are not polled again. */
  readonly missing: readonly string[];
}

export interface TailSubscription {
  /** The panel's runs: only these are fetched for it. */
  readonly runIds: ReadonlySet<string>;
  readonly tails: HeldTails;
  /** New points per run and metric, only when there are some. */
  onPoints(points: NewPoints, runs: readonly Run[]): void;
}

export interface LivePollerOptions {
  readonly backend: LiveBackend;
  /** 0 turns polling off. */
  readonly intervalMs: number;
  readonly maxBackoffMs?: number;
  /**
   * 'search': one runs/search with a run-id filter (servers). 'perRun': runs/get per run, for the
   * local file store, whose search has no IN and whose reads cost no network.
   */
  readonly fetchMode?: 'search' | 'perRun';
  /** Whether anybody looks (a view or panel visible, the window focused lately). */
  readonly isActive?: () => boolean;
  onUpdate?(update: LiveUpdate): void;
  /** A poll failed; the next is in `retryInMs`. */
  onError?(error: unknown, retryInMs: number): void;
}

export interface LivePollerStats {
  polls: number;
  /** Requests sent: runs/search (or runs/get) plus bulk-interval requests. */
  requests: number;
  failures: number;
}

/** Runs per runs/search: the filter stays short and the answer one page. */
const RUNS_PER_SEARCH = 100;

function signature(run: Run): string {
  const metrics = run.data.metrics.map((m) => `${m.key}\u0001${m.step}\u0001${m.timestamp}\u0001${m.value}`).sort();
  return [run.info.status, run.info.end_time ?? '', run.info.lifecycle_stage, ...metrics].join('\u0002');
}

export class LivePoller {
  private intervalMs: number;
  private readonly targets = new Map<string, LiveTarget>();
  private readonly signatures = new Map<string, string>();
  private readonly subscriptions = new Set<TailSubscription>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private controller = new AbortController();
  private failures = 0;
  private lastPollAt = 0;
  /** Set when a tick found nobody looking: `wake()` starts again. */
  private asleep = false;
  private disposed = false;
  readonly stats: LivePollerStats = { polls: 0, requests: 0, failures: 0 };

  constructor(private readonly options: LivePollerOptions) {
    this.intervalMs = options.intervalMs;
  }

  /** The live runs to poll (the caller's shown RUNNING runs); ended ones drop out by themselves. */
  setTargets(targets: readonly LiveTarget[]): void {
    const next = new Map(targets.map((t) => [t.runId, t]));
    for (const id of this.targets.keys()) if (!next.has(id)) this.signatures.delete(id);
    this.targets.clear();
    for (const [id, t] of next) this.targets.set(id, t);
    this.reschedule();
  }

  get targetIds(): string[] {
    return [...this.targets.keys()];
  }

  subscribe(sub: TailSubscription): { dispose(): void } {
    this.subscriptions.add(sub);
    return { dispose: () => this.subscriptions.delete(sub) };
  }

  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.reschedule();
  }

  /** Somebody looks again: poll now if a poll is due (or overdue), else at its time. */
  wake(): void {
    if (!this.asleep) return;
    this.asleep = false;
    this.reschedule();
  }

  /** One poll now (tests, the benchmark and "refresh" use it); resolves when it is done. */
  async pollNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.targets.size === 0 || this.disposed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const poll = this.poll().finally(() => {
      this.inFlight = undefined;
      this.lastPollAt = Date.now();
      this.scheduleNext();
    });
    this.inFlight = poll;
    return poll;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller.abort();
    this.subscriptions.clear();
    this.targets.clear();
  }

  private get delay(): number {
    return backoffDelay(this.intervalMs, this.failures, this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  }

  /** After a change of targets or interval: a timer exactly when one is needed. */
  private reschedule(): void {
    if (this.inFlight) return; // the poll in flight schedules the next when it ends
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.intervalMs <= 0 || this.targets.size === 0) return;
    const due = this.lastPollAt === 0 ? 0 : Math.max(0, this.lastPollAt + this.delay - Date.now());
    this.timer = setTimeout(() => this.tick(), due);
  }

  private scheduleNext(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.intervalMs <= 0 || this.targets.size === 0) return;
    this.timer = setTimeout(() => this.tick(), this.delay);
  }

  private tick(): void {
    this.timer = undefined;
    if (this.disposed || this.targets.size === 0) return;
    if (this.options.isActive && !this.options.isActive()) {
      this.asleep = true; // no timer at all until somebody looks again
      return;
    }
    void this.pollNow();
  }

  private async poll(): Promise<void> {
    const signal = this.controller.signal;
    this.stats.polls++;
    let runs: Run[];
    try {
      runs = await this.fetchRuns([...this.targets.values()], signal);
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.disposed) return;
    const returned = new Set(runs.map((r) => r.info.run_id));
    const missing = [...this.targets.keys()].filter((id) => !returned.has(id));
    const changed: Run[] = [];
    const ended: Run[] = [];
    for (const run of runs) {
      const id = run.info.run_id;
      const sig = signature(run);
      if (this.signatures.get(id) !== sig) changed.push(run);
      this.signatures.set(id, sig);
      if (!isLiveRun(run)) ended.push(run);
    }
    for (const id of [...missing, ...ended.map((r) => r.info.run_id)]) {
      this.targets.delete(id);
      this.signatures.delete(id);
    }
    let tailError: unknown;
    try {
      await this.fetchTails(runs, signal);
    } catch (error) {
      tailError = error;
    }
    if (this.disposed) return;
    this.options.onUpdate?.({ runs, changed, ended, missing });
    if (tailError !== undefined) this.failed(tailError);
    else this.failures = 0;
  }

  private failed(error: unknown): void {
    if (this.disposed || (isMlflowError(error) && error.kind === 'cancelled')) return;
    this.failures++;
    this.stats.failures++;
    this.options.onError?.(error, this.delay);
  }

  private async fetchRuns(targets: LiveTarget[], signal: AbortSignal): Promise<Run[]> {
    const { backend } = this.options;
    if (this.options.fetchMode === 'perRun') {
      const runs = await Promise.all(
        targets.map(async (t) => {
          this.stats.requests++;
          try {
            return await backend.getRun(t.runId, { signal });
          } catch (error) {
            if (isMlflowError(error) && error.kind === 'notFound') return undefined;
            throw error;
          }
        }),
      );
      return runs.filter((r): r is Run => r !== undefined);
    }
    const out: Run[] = [];
    for (let i = 0; i < targets.length; i += RUNS_PER_SEARCH) {
      const chunk = targets.slice(i, i + RUNS_PER_SEARCH);
      this.stats.requests++;
      const page = await backend.searchRunsPage(
        {
          experimentIds: [...new Set(chunk.map((t) => t.experimentId))],
          filter: runIdsFilter(chunk.map((t) => t.runId)),
          // A run deleted while it trains is still answered, so it can leave the tree.
          runViewType: 'ALL',
          maxResults: chunk.length,
        },
        { signal },
      );
      out.push(...page.runs);
    }
    return out;
  }

  private async fetchTails(runs: readonly Run[], signal: AbortSignal): Promise<void> {
    const subs = [...this.subscriptions];
    if (subs.length === 0 || runs.length === 0) return;
    const requests = tailRequests(runs, subs);
    if (requests.length === 0) return;
    const found = new Map<TailSubscription, NewPoints>();
    for (const req of requests) {
      if (signal.aborted) throw cancelledError();
      this.stats.requests++;
      const points = await this.options.backend.getMetricHistoryBulkInterval(
        { runIds: req.runIds, metricKey: req.metricKey, startStep: req.startStep, endStep: req.endStep, maxResults: 2500 },
        { signal },
      );
      for (const sub of subs) {
        const into = found.get(sub) ?? new Map();
        takeNewPoints(sub.tails, sub.runIds, req.metricKey, points, into);
        if (into.size > 0) found.set(sub, into);
      }
    }
    for (const [sub, points] of found) {
      if (this.subscriptions.has(sub)) sub.onPoints(points, runs);
    }
  }
}
