// The contract between the compare panel and the metric-history data layer. The panel asks for
// "metric M of runs R (optionally in steps a..b)" and gets one series per run; how the points are
// fetched (sampled bulk-interval, the get-history fallback, the local file store), bounded,
// cached and cancelled is the loader's business, not the panel's.
import type { TrackingBackend } from '../backend/trackingBackend';

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
  /** True when the points are a sample of a longer history (zoom in for full resolution). */
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
 * Placeholder implementation: whole histories one run at a time through get-history. It is
 * correct but naive; the data-layer work replaces it with the sampled, bounded, cached loader.
 */
export function createMetricHistoryLoader(backend: TrackingBackend): MetricHistoryLoader {
  return {
    async load(query, signal) {
      const series: MetricSeries[] = [];
      for (const runId of query.runIds) {
        const history = await backend.getMetricHistory(runId, query.metricKey, { signal });
        const points = history
          .map((m) => ({ step: m.step, timestamp: m.timestamp, value: m.value }))
          .filter((p) => !query.range || (p.step >= query.range.minStep && p.step <= query.range.maxStep))
          .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
        series.push({ runId, metricKey: query.metricKey, points, sampled: false });
      }
      return series;
    },
    clear() {},
  };
}
