// What a history costs on its way to the page: the loader's points become three Float64Arrays
// (8 bytes a number, NaN and ±Infinity intact through structured cloning, as VS Code hands an
// ArrayBuffer to a webview), against the array of point objects as JSON text it replaced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { MetricSeries } from '../../src/core/compare/metricHistoryLoader';
import { columnBytes, toSeriesColumns } from '../../src/core/compare/seriesColumns';
import { isCompareHostMessage, type CompareSeries } from '../../src/protocol/compare';

const RUN = '4a1c0de0000000000000000000000001';
const T0 = 1_764_000_000_000;

function history(n: number): MetricSeries {
  // A training curve with the digits real metrics have (a double's 17 significant digits).
  const points = Array.from({ length: n }, (_, s) => ({ step: s, timestamp: T0 + s * 1234, value: Math.exp(-s / 2500) + Math.sin(s) * 1e-3 }));
  return { runId: RUN, metricKey: 'train_loss', points, sampled: false };
}

describe('history columns', () => {
  it('point i is (steps[i], timestamps[i], values[i]), in the loader’s order, every value exact', () => {
    const source: MetricSeries = { ...history(3), points: [{ step: 0, timestamp: T0, value: 0.5 }, { step: 5, timestamp: T0 + 1, value: Number.NaN }, { step: 9, timestamp: T0 + 2, value: Number.NEGATIVE_INFINITY }] };
    const [c] = toSeriesColumns([source]) as [CompareSeries];
    assert.deepEqual(Array.from(c.steps), [0, 5, 9]);
    assert.deepEqual(Array.from(c.timestamps), [T0, T0 + 1, T0 + 2]);
    assert.deepEqual(Array.from(c.values), [0.5, Number.NaN, Number.NEGATIVE_INFINITY]);
    assert.equal(c.sampled, false);
    assert.ok(isCompareHostMessage({ type: 'history', requestId: 1, series: [c] }), 'the page’s guard accepts it');
  });

  it('survives structured cloning (the webview’s postMessage) with NaN and Infinity, unlike JSON', () => {
    const [c] = toSeriesColumns([{ ...history(2), points: [{ step: 1, timestamp: T0, value: Number.NaN }, { step: 2, timestamp: T0, value: Infinity }] }]) as [CompareSeries];
    const cloned = deserialize(serialize({ type: 'history', requestId: 1, series: [c] })) as unknown;
    assert.ok(isCompareHostMessage(cloned));
    assert.deepEqual(Array.from((cloned as unknown as { series: [{ values: Float64Array }] }).series[0].values), [Number.NaN, Infinity]);
    assert.equal(JSON.stringify({ value: Number.NaN }), '{"value":null}', 'what the old JSON objects turned NaN into');
  });

  it('every series of a reply is a view on one shared buffer (one ArrayBuffer crosses to the page, not 3 a run)', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...history(5 + i), runId: `${RUN.slice(0, -3)}${String(i).padStart(3, '0')}` }));
    const columns = toSeriesColumns(many);
    const buffers = new Set(columns.flatMap((c) => [c.steps.buffer, c.timestamps.buffer, c.values.buffer]));
    assert.equal(buffers.size, 1);
    columns.forEach((c, i) => {
      assert.equal(c.runId, many[i]!.runId);
      assert.deepEqual(Array.from(c.steps), many[i]!.points.map((p) => p.step));
      assert.deepEqual(Array.from(c.values), many[i]!.points.map((p) => p.value));
    });
    assert.equal(columns[0]!.steps.byteOffset, 0);
    assert.equal([...buffers][0]!.byteLength, 24 * many.reduce((n, s) => n + s.points.length, 0), 'no slack in the buffer');
  });

  it('24 bytes a point, under half of the point objects as JSON', () => {
    const source = history(10_000);
    const columns = toSeriesColumns([source]);
    const binary = columnBytes(columns) / 10_000;
    const json = Buffer.byteLength(JSON.stringify(source.points)) / 10_000;
    assert.equal(binary, 24);
    assert.ok(json >= 2 * binary, `JSON objects: ${json.toFixed(1)} bytes a point; columns: ${binary}`);
    console.log(`bytes per point: ${json.toFixed(1)} as JSON point objects → ${binary} as Float64Array columns (${(json / binary).toFixed(2)}× fewer)`);
  });
});
