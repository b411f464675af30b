// The compare page's chart maths in plain Node: EMA smoothing, outlier bounds, x-axis modes and
// what a log axis cannot draw, and the default metrics a new panel charts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareRun, CompareSeries } from '../../src/protocol/compare';
import { chartPoints, defaultMetrics, drawnValues, hasHistory } from '../../webview/src/panels/compare/chartData';
import { clip, outlierBounds, percentile } from '../../webview/src/panels/compare/outliers';
import { emaSmooth } from '../../webview/src/panels/compare/smoothing';
import { defaultViewState, loadViewState, reconcile } from '../../webview/src/panels/compare/viewState';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe('EMA smoothing', () => {
  it('weight 0 returns the values unchanged (a copy)', () => {
    const values = [3, 1, 4, 1, 5];
    const out = emaSmooth(values, 0);
    assert.deepEqual(out, values);
    assert.notEqual(out, values);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of emaSmooth([2, 2, 2, 2], 0.9)) close(v, 2, 'constant');
  });

  it('matches the TensorBoard formula point by point', () => {
    const w = 0.6;
    const values = [1, 5, 2, 8];
    let last = 0;
    const expected = values.map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - w ** (i + 1));
    });
    emaSmooth(values, w).forEach((v, i) => close(v, expected[i]!, `point ${i}`));
    // The first point is the value itself; later ones lag behind a jump.
    close(emaSmooth(values, w)[0]!, 1, 'first');
    assert.ok(emaSmooth([0, 0, 0, 10], 0.9)[3]! < 10 / 2);
  });

  it('passes NaN/Infinity through without poisoning later points', () => {
    const out = emaSmooth([1, Number.NaN, 1, Infinity, 1], 0.5);
    assert.ok(Number.isNaN(out[1]));
    assert.equal(out[3], Infinity);
    close(out[4]!, 1, 'after non-finite values');
  });

  it('clamps silly weights (negative → none, ≥1 → very smooth but finite)', () => {
    assert.deepEqual(emaSmooth([1, 2], -3), [1, 2]);
    assert.ok(emaSmooth([1, 2, 3], 5).every(Number.isFinite));
  });
});

describe('ignore outliers (5th–95th percentile)', () => {
  it('interpolates percentiles like numpy’s default', () => {
    const values = Array.from({ length: 101 }, (_, i) => i); // 0..100
    assert.equal(percentile(values, 5), 5);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile([1, 2], 50), 1.5);
    assert.equal(percentile([], 50), undefined);
    assert.equal(percentile([Number.NaN, 4], 50), 4);
  });

  it('bounds drop a spike that would flatten the curve', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => 1 + i / 100), 1000];
    const bounds = outlierBounds(values)!;
    assert.ok(bounds.max < 2, `max ${bounds.max} ignores the spike`);
    assert.ok(bounds.min > 1 && bounds.min < 1.1);
    assert.equal(clip(1000, bounds), bounds.max);
    assert.equal(clip(-5, bounds), bounds.min);
  });

  it('gives a flat line a visible band, and nothing for no data', () => {
    const b = outlierBounds([3, 3, 3])!;
    assert.ok(b.min < 3 && b.max > 3);
    assert.equal(outlierBounds([]), undefined);
  });
});

describe('chart points', () => {
  const series: CompareSeries = {
    runId: 'r1',
    metricKey: 'loss',
    sampled: false,
    steps: Float64Array.of(0, 10, 20),
    timestamps: Float64Array.of(10_000, 12_500, 15_000),
    values: Float64Array.of(4, -1, 1),
  };

  it('x by step, wall time or seconds since the run’s first point', () => {
    assert.deepEqual(chartPoints(series, 'step', 0, false).map((p) => p[0]), [0, 10, 20]);
    assert.deepEqual(chartPoints(series, 'wallTime', 0, false).map((p) => p[0]), [10_000, 12_500, 15_000]);
    assert.deepEqual(chartPoints(series, 'relativeTime', 0, false).map((p) => p[0]), [0, 2.5, 5]);
  });

  it('a log axis gets gaps where values are not positive', () => {
    assert.deepEqual(chartPoints(series, 'step', 0, true).map((p) => p[1]), [4, null, 1]);
    assert.deepEqual(drawnValues(chartPoints(series, 'step', 0, true)), [4, 1]);
  });

  it('smoothing applies to y only', () => {
    const smoothed = chartPoints(series, 'step', 0.5, false);
    assert.deepEqual(smoothed.map((p) => p[0]), [0, 10, 20]);
    assert.equal(smoothed[0]![1], 4);
    assert.notEqual(smoothed[1]![1], -1);
  });
});

describe('default metrics to chart', () => {
  const run = (id: string, metrics: string[]): CompareRun => ({
    runId: id, name: id, experimentId: '1', colorSlot: 0, status: 'FINISHED', startTime: 0, params: [],
    metrics: metrics.map((key) => ({ key, value: 1, step: 0 })), tags: [],
  });

  it('the focus metric (opened from a metric node) wins', () => {
    assert.deepEqual(defaultMetrics([run('a', ['loss', 'acc'])], ['acc']), ['acc']);
  });

  it('else the metrics most runs have, in logged order on ties', () => {
    const runs = [run('a', ['lr', 'loss', 'acc']), run('b', ['loss', 'acc']), run('c', ['acc'])];
    assert.deepEqual(defaultMetrics(runs, []), ['acc', 'loss', 'lr']);
    assert.deepEqual(defaultMetrics([], []), []);
  });

  it('histories first, then the single values (the wine example: train_loss, then rmse, mae, r2)', () => {
    const wine = (id: string): CompareRun => ({
      ...run(id, []),
      metrics: [
        { key: 'rmse', value: 0.7, step: 0 },
        { key: 'mae', value: 0.5, step: 0 },
        { key: 'r2', value: 0.2, step: 0 },
        { key: 'train_loss', value: 0.12, step: 49 },
      ],
    });
    const runs = [wine('a'), wine('b'), wine('c')];
    assert.deepEqual(defaultMetrics(runs, []), ['train_loss', 'rmse', 'mae', 'r2']);
    assert.equal(hasHistory(runs, 'train_loss'), true);
    assert.equal(hasHistory(runs, 'rmse'), false, 'logged once per run: bars');
    assert.equal(hasHistory([...runs, { ...run('d', []), metrics: [{ key: 'rmse', value: 1, step: 3 }] }], 'rmse'), true, 'one run with a later step makes it a history');
  });

  it('at most 3 histories and 6 single values', () => {
    const many = run('a', []);
    const metrics = [...Array.from({ length: 5 }, (_, i) => ({ key: `h${i}`, value: 1, step: 9 })), ...Array.from({ length: 8 }, (_, i) => ({ key: `s${i}`, value: 1, step: 0 }))];
    assert.deepEqual(defaultMetrics([{ ...many, metrics }], []), ['h0', 'h1', 'h2', 's0', 's1', 's2', 's3', 's4', 's5']);
  });
});

describe('view state across reloads', () => {
  const run = (id: string, metrics: string[]): CompareRun => ({
    runId: id, name: id, experimentId: '1', colorSlot: 0, status: 'FINISHED', startTime: 0, params: [],
    metrics: metrics.map((key) => ({ key, value: 1, step: 0 })), tags: [],
  });

  it('a stored state that is not one (old version, garbage) gives the defaults', () => {
    assert.deepEqual(loadViewState({ version: 0, runIds: ['x'] }), defaultViewState());
    assert.deepEqual(loadViewState('<script>'), defaultViewState());
    const kept = loadViewState({ ...defaultViewState(), runIds: ['a'], logScale: true, goals: { loss: 'max' } });
    assert.equal(kept.logScale, true);
    assert.deepEqual(kept.goals, { loss: 'max' });
  });

  it('keeps choices that still apply to the runs the host sent, and fills in the rest', () => {
    const state = { ...defaultViewState(), runIds: ['a', 'gone'], chosenMetrics: ['loss', 'old_metric'], hiddenRuns: ['a', 'gone'] };
    const next = reconcile(state, [run('a', ['loss', 'acc']), run('b', ['acc'])], []);
    assert.deepEqual(next.runIds, ['a', 'b']);
    assert.deepEqual(next.chosenMetrics, ['loss'], 'a metric no run has any more is dropped');
    assert.deepEqual(next.hiddenRuns, ['a'], 'a removed run is no longer hidden');
    assert.deepEqual(reconcile({ ...defaultViewState() }, [run('a', ['loss', 'acc'])], []).chosenMetrics, ['loss', 'acc'], 'defaults when nothing is chosen');
    assert.deepEqual(reconcile(state, [run('a', ['loss', 'acc'])], ['acc']).chosenMetrics, ['acc'], 'a metric node’s focus wins');
  });
});
