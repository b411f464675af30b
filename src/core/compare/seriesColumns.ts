// A loaded series in the form it crosses to the page: three parallel Float64Arrays instead of an
// array of point objects. Pure (no vscode): the byte count per point is measured in plain Node
// (test/unit/compare-columns.test.ts) and by the first-paint benchmark.
import type { CompareSeries } from '../../protocol/compare';
import type { MetricSeries } from './metricHistoryLoader';

/**
 * The series of one reply as columns that are views on ONE shared buffer. VS Code sends each
 * distinct ArrayBuffer of a webview message as a buffer of its own, and a reply with 300 of them
 * (100 runs × 3 columns) reached the page garbled in code-server, while views on one buffer
 * travel as one (VS Code keeps each view's offset and length).
 */
export function toSeriesColumns(series: readonly MetricSeries[]): CompareSeries[] {
  const total = series.reduce((n, s) => n + s.points.length, 0);
  const buffer = new Float64Array(3 * total);
  let at = 0;
  return series.map((s) => {
    const n = s.points.length;
    const steps = buffer.subarray(at, at + n);
    const timestamps = buffer.subarray(at + n, at + 2 * n);
    const values = buffer.subarray(at + 2 * n, at + 3 * n);
    at += 3 * n;
    for (let i = 0; i < n; i++) {
      const p = s.points[i]!;
      steps[i] = p.step;
      timestamps[i] = p.timestamp;
      values[i] = p.value;
    }
    return { runId: s.runId, metricKey: s.metricKey, steps, timestamps, values, sampled: s.sampled };
  });
}

/** Bytes of number data a series puts on the wire (8 per number, 3 numbers a point). */
export function columnBytes(series: readonly CompareSeries[]): number {
  return series.reduce((sum, s) => sum + s.steps.byteLength + s.timestamps.byteLength + s.values.byteLength, 0);
}
