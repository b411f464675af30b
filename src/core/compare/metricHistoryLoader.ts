// The contract between the compare panel and the metric-history data layer. The panel asks for
// "metric M of runs R (optionally in steps a..b)" and gets one series per run; how the points are
// fetched (sampled bulk-interval, the get-history fallback, the local file store), bounded,
// cached and cancelled is the loader's business, not the panel's.
import type { TrackingBackend } from '../backend/trackingBackend';
import { SampledHistoryLoader, type MeasuredMetricHistoryLoader, type MetricHistoryLoaderOptions } from './sampledHistoryLoader';

export type { MeasuredMetricHistoryLoader, MetricHistoryLoaderOptions, MetricHistoryLoaderStats } from './sampledHistoryLoader';

export interface StepRange {
  readonly minStep: number;
  readonly maxStep: number;
}

export interface MetricHistoryQuery {
  readonly runIds: readonly string[];
  readonly metricKey: string;
  /** Inclusive step range to fetch at full resolution (a zoom); absent means the whole history. */
  readonly range?: StepRange;
}

export interface MetricPoint {
  readonly step: number;
  /** Milliseconds since the epoch, as MLflow logs it. */
  readonly timestamp: number;
  readonly value: number;
}

export interface MetricSeries {
  readonly runId: string;
  readonly metricKey: string;
  /** Ordered by step, then timestamp. */
  readonly points: readonly MetricPoint[];
  /**
   * True when the points are a sample of a longer history (zoom in for full resolution): the
   * server or the fallback thinned it, or a zoom answer lacked points the overview had shown.
   * MLflow samples on the steps of all runs fetched together, so a short run charted with long
   * ones is a sample too; one whose every step happens to be on that grid may still say true.
   */
  readonly sampled: boolean;
}

export interface MetricHistoryLoader {
  /** One series per requested run (runs without the metric get an empty series). Rejects with an
   * MlflowError of kind `cancelled` when the signal aborts. */
  load(query: MetricHistoryQuery, signal?: AbortSignal): Promise<MetricSeries[]>;
  /** Drops everything cached (the panel's life ended or its server changed). */
  clear(): void;
}

/**
 * The loader of one compare panel: sampled histories through get-history-bulk-interval, the
 * get-history fallback, the file store's sampled query, bounded and cancellable requests and a
 * cache for the loader's life. See sampledHistoryLoader.ts.
 */
export function createMetricHistoryLoader(backend: TrackingBackend, options: MetricHistoryLoaderOptions = {}): MeasuredMetricHistoryLoader {
  return new SampledHistoryLoader(backend, options);
}
