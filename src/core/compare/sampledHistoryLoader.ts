// The real MetricHistoryLoader: sampled histories through get-history-bulk-interval (100 runs a
// request), the get-history fallback for servers without that route, the same sampled query on
// the file store; bounded parallel requests, cancellation, and a cache for the loader's life in
// which concurrent identical requests share one fetch.
import type { TrackingBackend } from '../backend/trackingBackend';
import { cancelledError, MlflowError } from '../mlflow/errors';
import { createConcurrencyLimit, type ConcurrencyLimit } from './concurrencyLimit';
import { FetchJob, raceAbort } from './fetchJob';
import type { MetricHistoryLoader, MetricHistoryQuery, MetricSeries, StepRange } from './metricHistoryLoader';
import { mergeOverview, seriesFromBulk, seriesFromHistory } from './seriesFromPoints';
import { MAX_POINTS_PER_RUN, MAX_RUNS_PER_REQUEST } from './stepSampling';
import * as l10n from '@vscode/l10n';

export interface MetricHistoryLoaderOptions {
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Runs per get-history-bulk-interval request (default and maximum 100). */
  runsPerRequest?: number;
  /** Points per run of a zoomed window (default and maximum 2,500: MLflow's limit). */
  maxPointsPerRun?: number;
  /**
   * Points of a whole-history chart across all its runs (default 20,000), shared out per run
   * between `minOverviewPointsPerRun` and `maxPointsPerRun`: a chart card is some 400–800 pixels
   * wide, so 100 runs at 200 points draw the same picture as at 2,500 with a twelfth of the
   * bytes (zooming in fetches the window at full resolution). 50,000 made the first chart of 100
   * runs wait for 5.9 MiB from the server (bench/compareFirstPaint.bench.ts).
   */
  overviewPointBudget?: number;
  /** Floor of the per-run share of the budget (default 100). */
  minOverviewPointsPerRun?: number;
  /**
   * Points of zoom windows kept in the cache (default 1,000,000, some 80 MB): beyond it the
   * oldest windows are forgotten. Whole-history series are kept for the loader's life.
   */
  maxCachedZoomPoints?: number;
}

export interface MetricHistoryLoaderStats {
  /** get-history-bulk-interval requests sent (including a first one answered 404). */
  bulkRequests: number;
  /** get-history requests sent by the fallback. */
  historyRequests: number;
  /** Series answered from the cache, or from a fetch another load() had already started. */
  cacheHits: number;
  /** Series fetched. */
  seriesFetched: number;
  /** Whether this loader found the bulk route missing and uses get-history. */
  usingFallback: boolean;
}

export interface MeasuredMetricHistoryLoader extends MetricHistoryLoader {
  stats(): MetricHistoryLoaderStats;
}

type SeriesMap = Map<string, MetricSeries>;

/** Integer step window (MLflow's start_step/end_step are int64); undefined = whole history. */
function normalizeRange(range: StepRange | undefined): StepRange | undefined {
  if (!range) return undefined;
  if (!Number.isFinite(range.minStep) || !Number.isFinite(range.maxStep)) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('A step range needs finite start and end steps.') });
  }
  return { minStep: Math.ceil(range.minStep), maxStep: Math.floor(range.maxStep) };
}

const rangeKey = (r: StepRange | undefined) => (r ? `${r.minStep}..${r.maxStep}` : '*');
const cacheKey = (runId: string, metricKey: string, r: StepRange | undefined) => `${runId}\u0000${metricKey}\u0000${rangeKey(r)}`;

/**
 * How a 404 from the bulk route is read: Flask's HTML 404 or ENDPOINT_NOT_FOUND mean the server
 * has no such route (MLflow before 2.9, or a proxy that hides /ajax-api), for good; a JSON
 * RESOURCE_DOES_NOT_EXIST means one of the runs is gone (a server on a file store says so for
 * the whole request), and only that request falls back.
 */
function bulk404(e: unknown): 'routeMissing' | 'runMissing' | undefined {
  if (!(e instanceof MlflowError) || (e.status !== 404 && e.errorCode !== 'ENDPOINT_NOT_FOUND')) return undefined;
  return e.errorCode === 'RESOURCE_DOES_NOT_EXIST' ? 'runMissing' : 'routeMissing';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value === undefined ? fallback : Math.floor(value);
  return Math.min(max, Math.max(min, v));
}

export class SampledHistoryLoader implements MeasuredMetricHistoryLoader {
  private readonly limit: ConcurrencyLimit;
  private readonly runsPerRequest: number;
  private readonly maxPointsPerRun: number;
  private readonly budget: number;
  private readonly minOverview: number;
  private readonly jobs = new Map<string, FetchJob<SeriesMap>>();
  /** Settled series by cache key, to check zoomed answers against the overview. */
  private readonly settled = new Map<string, MetricSeries>();
  /** Zoom windows in the order they were fetched, with their cache keys and point counts. */
  private readonly windows = new Map<string, { keys: Set<string>; points: number }>();
  private windowPoints = 0;
  private readonly maxWindowPoints: number;
  private generation = 0;
  private bulkMissing = false;
  private readonly counters = { bulkRequests: 0, historyRequests: 0, cacheHits: 0, seriesFetched: 0 };

  constructor(
    private readonly backend: TrackingBackend,
    options: MetricHistoryLoaderOptions = {},
  ) {
    this.limit = createConcurrencyLimit(clampInt(options.concurrency, 4, 1, 64));
    this.runsPerRequest = clampInt(options.runsPerRequest, MAX_RUNS_PER_REQUEST, 1, MAX_RUNS_PER_REQUEST);
    this.maxPointsPerRun = clampInt(options.maxPointsPerRun, MAX_POINTS_PER_RUN, 1, MAX_POINTS_PER_RUN);
    this.budget = clampInt(options.overviewPointBudget, 20_000, 1, Number.MAX_SAFE_INTEGER);
    this.minOverview = clampInt(options.minOverviewPointsPerRun, 100, 1, this.maxPointsPerRun);
    this.maxWindowPoints = clampInt(options.maxCachedZoomPoints, 1_000_000, 0, Number.MAX_SAFE_INTEGER);
  }

  stats(): MetricHistoryLoaderStats {
    return { ...this.counters, usingFallback: this.bulkMissing };
  }

  clear(): void {
    this.generation++;
    this.jobs.clear();
    this.settled.clear();
    this.windows.clear();
    this.windowPoints = 0;
  }

  async load(query: MetricHistoryQuery, signal?: AbortSignal): Promise<MetricSeries[]> {
    if (signal?.aborted) throw cancelledError(undefined, signal.reason);
    const metricKey = query.metricKey;
    if (!metricKey) throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('Choose a metric to chart.') });
    const range = normalizeRange(query.range);
    const runIds = [...new Set(query.runIds)];
    if (runIds.length === 0) return [];
    if (range && range.minStep > range.maxStep) {
      // A zoom between two integer steps: nothing can be logged there.
      return query.runIds.map((runId) => ({ runId, metricKey, points: [], sampled: false }));
    }

    // A zoom into a history the overview already holds whole needs no request.
    const cut = new Map<string, MetricSeries>();
    if (range && range.minStep >= 0) {
      for (const id of runIds) {
        const whole = this.settled.get(cacheKey(id, metricKey, undefined));
        if (whole && !whole.sampled) cut.set(id, { ...whole, points: whole.points.filter((p) => p.step >= range.minStep && p.step <= range.maxStep) });
      }
    }
    // A job everyone walked away from is being aborted: it counts as missing, not as a hit.
    const missing = runIds.filter((id) => {
      if (cut.has(id)) return false;
      const job = this.jobs.get(cacheKey(id, metricKey, range));
      return job === undefined || job.abandoned;
    });
    this.counters.cacheHits += runIds.length - missing.length;
    const pointsPerRun = range ? this.maxPointsPerRun : clampInt(this.budget / runIds.length, this.maxPointsPerRun, this.minOverview, this.maxPointsPerRun);
    for (const chunk of chunks(missing, this.runsPerRequest)) this.startJob(chunk, metricKey, range, pointsPerRun);

    // Taken now: clear() may drop the cache entries while this load still waits on them.
    const jobFor = new Map(runIds.filter((id) => !cut.has(id)).map((id) => [id, this.jobs.get(cacheKey(id, metricKey, range))!]));
    const needed = [...new Set(jobFor.values())];
    needed.forEach((job) => job.acquire());
    try {
      const all = Promise.all(runIds.map(async (id) => cut.get(id) ?? (await jobFor.get(id)!.result).get(id)!));
      const series = await raceAbort(all, signal, () => cancelledError(undefined, signal?.reason));
      const byId = new Map(series.map((s) => [s.runId, s]));
      return query.runIds.map((id) => byId.get(id)!);
    } finally {
      needed.forEach((job) => job.release());
    }
  }

  private startJob(runIds: string[], metricKey: string, range: StepRange | undefined, pointsPerRun: number): void {
    const generation = this.generation;
    const keys = runIds.map((id) => cacheKey(id, metricKey, range));
    const job = new FetchJob<SeriesMap>((signal) => this.fetchChunk(runIds, metricKey, range, pointsPerRun, signal));
    keys.forEach((k) => this.jobs.set(k, job));
    job.result.then(
      (series) => {
        if (generation !== this.generation) return;
        this.counters.seriesFetched += series.size;
        for (const s of series.values()) this.settled.set(cacheKey(s.runId, metricKey, range), s);
        if (range) this.rememberWindow(`${metricKey}\u0000${rangeKey(range)}`, keys, series);
      },
      () => {
        // Failed or cancelled fetches are forgotten, so the next load() tries again.
        for (const k of keys) if (this.jobs.get(k) === job) this.jobs.delete(k);
      },
    );
  }

  /** Counts a fetched zoom window and forgets the oldest ones beyond the cap. */
  private rememberWindow(windowKey: string, keys: string[], series: SeriesMap): void {
    let points = 0;
    for (const s of series.values()) points += s.points.length;
    const window = this.windows.get(windowKey) ?? { keys: new Set<string>(), points: 0 };
    this.windows.delete(windowKey); // re-inserted last: the most recent
    keys.forEach((k) => window.keys.add(k));
    window.points += points;
    this.windows.set(windowKey, window);
    this.windowPoints += points;
    for (const [oldKey, old] of this.windows) {
      if (this.windowPoints <= this.maxWindowPoints || oldKey === windowKey) break;
      for (const k of old.keys) {
        this.jobs.delete(k);
        this.settled.delete(k);
      }
      this.windows.delete(oldKey);
      this.windowPoints -= old.points;
    }
  }

  private async fetchChunk(runIds: string[], metricKey: string, range: StepRange | undefined, pointsPerRun: number, signal: AbortSignal): Promise<SeriesMap> {
    if (!this.bulkMissing) {
      try {
        const points = await this.limit.run(() => {
          this.counters.bulkRequests++;
          return this.backend.getMetricHistoryBulkInterval(
            { runIds, metricKey, startStep: range?.minStep, endStep: range?.maxStep, maxResults: pointsPerRun },
            { signal },
          );
        }, signal);
        const series = seriesFromBulk(runIds, metricKey, points, pointsPerRun, range);
        if (range) {
          for (const [id, s] of series) series.set(id, mergeOverview(s, this.settled.get(cacheKey(id, metricKey, undefined)), range));
        }
        return series;
      } catch (e) {
        const why = bulk404(e);
        if (why === undefined) throw e;
        if (why === 'routeMissing') this.bulkMissing = true; // remembered: later loads go straight to get-history
      }
    }
    const list = await Promise.all(runIds.map((runId) => this.limit.run(() => this.fetchWhole(runId, metricKey, range, pointsPerRun, signal), signal)));
    return new Map(list.map((s) => [s.runId, s]));
  }

  /** Fallback: one run's whole history, thinned right away so only the kept points stay in memory. */
  private async fetchWhole(runId: string, metricKey: string, range: StepRange | undefined, maxPoints: number, signal: AbortSignal): Promise<MetricSeries> {
    this.counters.historyRequests++;
    try {
      const history = await this.backend.getMetricHistory(runId, metricKey, { signal });
      return seriesFromHistory(runId, metricKey, history, maxPoints, range);
    } catch (e) {
      // A run deleted meanwhile has no points, as the bulk route answers for it.
      if (e instanceof MlflowError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST') return { runId, metricKey, points: [], sampled: false };
      throw e;
    }
  }
}
