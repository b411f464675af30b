// What a history costs on its way to the page: the loader's points become a Float64Array of
// values, steps as a start and stride when regular (else Int32, else Float64) and timestamps only
// when asked, all views on one buffer (NaN and ±Infinity intact through structured cloning, as VS
// Code hands an ArrayBuffer to a webview), against the array of point objects as JSON text it replaced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { MetricSeries } from '../../src/core/compare/metricHistoryLoader';
import { columnBytes, regularSteps, toSeriesColumns } from '../../src/core/compare/seriesColumns';
import { isCompareHostMessage, readSeries, stepCount, type CompareSeriesColumns } from '../../src/protocol/compare';

const RUN = '4a1c0de0000000000000000000000001';
const T0 = 1_764_000_000_000;

function history(n: number, stepOf = (i: number) => i): MetricSeries {
  // A training curve with the digits real metrics have (a double's 17 significant digits).
  const points = Array.from({ length: n }, (_, i) => ({ step: stepOf(i), timestamp: T0 + i * 1234, value: Math.exp(-i / 2500) + Math.sin(i) * 1e-3 }));
  return { runId: RUN, metricKey: 'train_loss', points, sampled: false };
}

const buffersOf = (c: CompareSeriesColumns) => [c.values.buffer, ...(c.timestamps ? [c.timestamps.buffer] : []), ...(ArrayBuffer.isView(c.steps) ? [c.steps.buffer] : [])];

describe('history columns', () => {
  it('point i is (steps[i], timestamps[i], values[i]), in the loader’s order, every value exact', () => {
    const source: MetricSeries = { ...history(3), points: [{ step: 0, timestamp: T0, value: 0.5 }, { step: 5, timestamp: T0 + 1, value: Number.NaN }, { step: 9, timestamp: T0 + 2, value: Number.NEGATIVE_INFINITY }] };
    const [c] = toSeriesColumns([source], { timestamps: true }) as [CompareSeriesColumns];
    const read = readSeries(c);
    assert.deepEqual(Array.from(read.steps), [0, 5, 9]);
    assert.deepEqual(Array.from(read.timestamps!), [T0, T0 + 1, T0 + 2]);
    assert.deepEqual(Array.from(read.values), [0.5, Number.NaN, Number.NEGATIVE_INFINITY]);
    assert.equal(read.sampled, false);
    assert.ok(isCompareHostMessage({ type: 'history', requestId: 1, series: [c] }), 'the page’s guard accepts it');
  });

  it('timestamps cross only when asked', () => {
    const [c] = toSeriesColumns([history(4)]) as [CompareSeriesColumns];
    assert.equal(c.timestamps, undefined);
    assert.equal(readSeries(c).timestamps, undefined);
    assert.ok(isCompareHostMessage({ type: 'history', requestId: 1, series: [c] }));
  });

  it('regular steps cross as start and stride (a sample grid’s last step as its tail), others as Int32, huge ones as Float64', () => {
    const every10 = toSeriesColumns([history(1000, (i) => 10 * i)])[0]!;
    assert.deepEqual(every10.steps, { start: 0, stride: 10, count: 1000, tail: [] });
    // MLflow's sample of 10,000 steps at 200 points: 0, 50, …, 9950 and the last step 9999.
    const grid = [...Array.from({ length: 200 }, (_, i) => 50 * i), 9999];
    const sample = toSeriesColumns([history(grid.length, (i) => grid[i]!)])[0]!;
    assert.deepEqual(sample.steps, { start: 0, stride: 50, count: 200, tail: [9999] });
    assert.deepEqual(Array.from(readSeries(sample).steps), grid);
    const ragged = [0, 1, 3, 7, 8, 20, 21, 22, 40, 41, 99, 100];
    const irregular = toSeriesColumns([history(ragged.length, (i) => ragged[i]!)])[0]!;
    assert.ok(irregular.steps instanceof Int32Array);
    assert.deepEqual(Array.from(readSeries(irregular).steps), ragged);
    const big = [0, 3_000_000_000, 3_000_000_007, 5, 9, 11, 13, 17, 19, 23, 29];
    const wide = toSeriesColumns([history(big.length, (i) => big[i]!)])[0]!;
    assert.ok(wide.steps instanceof Float64Array, 'steps past Int32');
    assert.deepEqual(Array.from(readSeries(wide).steps), big);
    assert.deepEqual(regularSteps([]), { start: 0, stride: 0, count: 0, tail: [] });
    assert.deepEqual(regularSteps([7]), { start: 7, stride: 0, count: 1, tail: [] });
    assert.equal(stepCount({ start: 0, stride: 50, count: 200, tail: [9999] }), 201);
  });

  it('survives structured cloning (the webview’s postMessage) with NaN, Infinity and Int32 steps, unlike JSON', () => {
    const source = { ...history(12, (i) => i * i), points: history(12, (i) => i * i).points.map((p, i) => ({ ...p, value: i === 0 ? Number.NaN : i === 1 ? Infinity : p.value })) };
    const [c] = toSeriesColumns([source], { timestamps: true }) as [CompareSeriesColumns];
    const cloned = deserialize(serialize({ type: 'history', requestId: 1, series: [c] })) as { series: CompareSeriesColumns[] };
    assert.ok(isCompareHostMessage({ type: 'history', ...cloned }));
    const read = readSeries(cloned.series[0]!);
    assert.deepEqual(Array.from(read.values.subarray(0, 2)), [Number.NaN, Infinity]);
    assert.deepEqual(Array.from(read.steps), source.points.map((p) => p.step));
    assert.equal(JSON.stringify({ value: Number.NaN }), '{"value":null}', 'what the old JSON objects turned NaN into');
  });

  it('every series of a reply is a view on one shared buffer (one ArrayBuffer crosses to the page, not 3 a run), each aligned', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...history(15 + i, i % 3 === 0 ? (j) => j : i % 3 === 1 ? (j) => j * j : (j) => j * j * 1e9), runId: `${RUN.slice(0, -3)}${String(i).padStart(3, '0')}` }));
    for (const timestamps of [false, true]) {
      const columns = toSeriesColumns(many, { timestamps });
      const buffers = new Set(columns.flatMap(buffersOf));
      assert.equal(buffers.size, 1);
      columns.forEach((c, i) => {
        const read = readSeries(c);
        assert.equal(c.runId, many[i]!.runId);
        assert.deepEqual(Array.from(read.steps), many[i]!.points.map((p) => p.step));
        assert.deepEqual(Array.from(read.values), many[i]!.points.map((p) => p.value));
        if (timestamps) assert.deepEqual(Array.from(read.timestamps!), many[i]!.points.map((p) => p.timestamp));
      });
      assert.equal(columns[0]!.values.byteOffset, 0);
      const bytes = columnBytes(columns);
      assert.equal([...buffers][0]!.byteLength, bytes, 'no slack in the buffer');
    }
  });

  it('8 bytes a point drawn by step (regular steps), under a third of the 24 of three Float64 columns and an eighth of the JSON objects', () => {
    const source = history(10_000);
    const binary = columnBytes(toSeriesColumns([source])) / 10_000;
    const withTimes = columnBytes(toSeriesColumns([source], { timestamps: true })) / 10_000;
    const json = Buffer.byteLength(JSON.stringify(source.points)) / 10_000;
    assert.equal(binary, 8);
    assert.equal(withTimes, 16);
    assert.ok(json >= 2 * withTimes, `JSON objects: ${json.toFixed(1)} bytes a point; columns: ${binary} (${withTimes} with timestamps)`);
    console.log(`bytes per point: ${json.toFixed(1)} as JSON point objects → ${binary} as columns by step, ${withTimes} with timestamps (${(json / binary).toFixed(2)}× fewer)`);
  });
});
