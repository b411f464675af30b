// A loaded series in the form it crosses to the page: three parallel Float64Arrays instead of an
// array of point objects. Pure (no vscode): the byte count per point is measured in plain Node
// (test/unit/compare-columns.test.ts) and by the first-paint benchmark.
import type { CompareSeries } from '../../protocol/compare';
import type { MetricSeries } from './metricHistoryLoader';

export function toSeriesColumns(series: MetricSeries): CompareSeries {
  const n = series.points.length;
  const steps = new Float64Array(n);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = series.points[i]!;
    steps[i] = p.step;
    timestamps[i] = p.timestamp;
    values[i] = p.value;
  }
  return { runId: series.runId, metricKey: series.metricKey, steps, timestamps, values, sampled: series.sampled };
}

/** Bytes of number data a series puts on the wire (8 per number, 3 numbers a point). */
export function columnBytes(series: readonly CompareSeries[]): number {
  return series.reduce((sum, s) => sum + s.steps.byteLength + s.timestamps.byteLength + s.values.byteLength, 0);
}
