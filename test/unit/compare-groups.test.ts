// Grouping runs by a param or tag and the numbers drawn for each group (the seeds of one config):
// which runs fall in which group, stable group colours, mean / sample std / min / max of single
// values and of histories step by step, checked against the formulas computed here by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareRun, CompareSeries } from '../../src/protocol/compare';
import { bandEdges, formatStats, groupHistory, groupMetricStats, groupRuns, stats } from '../../webview/src/panels/compare/groupStats';

const run = (id: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}): CompareRun => ({
  runId: id, name: id, experimentId: '1', colorSlot: 0, status: 'FINISHED', startTime: 0,
  params: Object.entries(params).map(([key, value]) => ({ key, value })),
  metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0 })),
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});

const series = (runId: string, points: Array<[number, number]>): CompareSeries => ({
  runId, metricKey: 'loss', sampled: false,
  steps: Float64Array.from(points, (p) => p[0]), timestamps: Float64Array.from(points, (p) => 1000 * p[0]), values: Float64Array.from(points, (p) => p[1]),
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

const runs = [
  run('a1', { lr: '0.1', seed: '1' }, { rmse: 0.71 }, { config: 'A' }),
  run('a2', { lr: '0.1', seed: '2' }, { rmse: 0.65 }, { config: 'A' }),
  run('a3', { lr: '0.1', seed: '3' }, { rmse: 0.69 }, { config: 'A' }),
  run('b1', { lr: '0.01', seed: '1' }, { rmse: 0.52 }, { config: 'B' }),
  run('b2', { lr: '0.01', seed: '2' }, { rmse: Number.NaN }, { config: 'B' }),
  run('x', { seed: '9' }, {}),
];

describe('groups of runs', () => {
  it('by a param: one group per value in natural order, runs without the param last', () => {
    const groups = groupRuns(runs, { kind: 'param', key: 'lr' });
    assert.deepEqual(groups.map((g) => g.value), ['0.01', '0.1', undefined]);
    assert.deepEqual(groups.map((g) => g.runIds), [['b1', 'b2'], ['a1', 'a2', 'a3'], ['x']]);
    assert.deepEqual(groupRuns([run('p', { n: '10' }, {}), run('q', { n: '2' }, {})], { kind: 'param', key: 'n' }).map((g) => g.value), ['2', '10'], 'numeric values in number order');
  });

  it('by a tag', () => {
    assert.deepEqual(groupRuns(runs, { kind: 'tag', key: 'config' }).map((g) => [g.value, g.runIds.length]), [['A', 3], ['B', 2], [undefined, 1]]);
  });

  it('a group keeps its colour when other groups come and go; groups of one panel do not share a colour', () => {
    const all = groupRuns(runs, { kind: 'param', key: 'lr' });
    const without = groupRuns(runs.filter((r) => r.params.some((p) => p.key === 'lr' && p.value === '0.1')), { kind: 'param', key: 'lr' });
    assert.equal(without[0]!.colorSlot, all.find((g) => g.value === '0.1')!.colorSlot);
    const ten = groupRuns(Array.from({ length: 10 }, (_, i) => run(`r${i}`, { k: `v${i}` }, {})), { kind: 'param', key: 'k' });
    assert.equal(new Set(ten.map((g) => g.colorSlot)).size, 10, 'ten groups, ten colours');
    assert.deepEqual(groupRuns(runs, { kind: 'param', key: 'lr' }).map((g) => g.colorSlot), all.map((g) => g.colorSlot), 'the same on every call');
  });
});

describe('stats of single values', () => {
  it('mean, sample std (n − 1), min and max of the finite values', () => {
    const s = stats([0.71, 0.65, 0.69])!;
    close(s.mean, mean([0.71, 0.65, 0.69]), 'mean');
    close(s.std, sampleStd([0.71, 0.65, 0.69]), 'std');
    assert.deepEqual([s.n, s.min, s.max], [3, 0.65, 0.71]);
  });

  it('NaN and ±Infinity are left out; one value has std 0; none gives undefined', () => {
    assert.deepEqual(stats([Number.NaN, 2, Infinity]), { n: 1, mean: 2, std: 0, min: 2, max: 2 });
    assert.equal(stats([]), undefined);
    assert.equal(stats([Number.NaN]), undefined);
  });

  it('stays exact far from zero (Welford, not sum of squares)', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    close(stats(xs)!.std, sampleStd([4, 7, 13, 16]), 'std of large values');
  });

  it("a group's metric: the latest value of each of its runs", () => {
    const groups = groupRuns(runs, { kind: 'param', key: 'lr' });
    const a = groupMetricStats(runs, groups[1]!, 'rmse')!;
    close(a.mean, mean([0.71, 0.65, 0.69]), 'group 0.1 mean');
    close(a.std, sampleStd([0.71, 0.65, 0.69]), 'group 0.1 std');
    assert.equal(groupMetricStats(runs, groups[0]!, 'rmse')!.n, 1, 'the NaN run is left out');
    assert.equal(groupMetricStats(runs, groups[2]!, 'rmse'), undefined, 'no run of the group has it');
    assert.equal(formatStats(a, (v) => v.toFixed(3), '—'), `0.683 ± ${sampleStd([0.71, 0.65, 0.69]).toFixed(3)} (n=3)`);
    assert.equal(formatStats(undefined, String, '—'), '—');
  });
});

describe('a group history', () => {
  const a = series('a1', [[0, 1], [1, 0.5], [2, 0.25]]);
  const b = series('a2', [[0, 3], [1, 1.5], [2, Number.NaN]]);
  const c = series('a3', [[0, 2], [2, 0.75], [3, 0.1]]);

  it('aligns the runs on their steps and aggregates each step over the runs that logged it', () => {
    const h = groupHistory([a, b, c], 0);
    assert.deepEqual(h.steps, [0, 1, 2, 3]);
    assert.deepEqual(h.n, [3, 2, 2, 1], 'the NaN at step 2 and the missing steps are left out');
    close(h.mean[0]!, 2, 'step 0 mean');
    close(h.std[0]!, 1, 'step 0 std');
    close(h.mean[1]!, 1, 'step 1 mean');
    close(h.std[1]!, sampleStd([0.5, 1.5]), 'step 1 std');
    close(h.mean[2]!, 0.5, 'step 2 mean');
    assert.deepEqual([h.min[2], h.max[2]], [0.25, 0.75]);
    assert.deepEqual([h.mean[3], h.std[3]], [0.1, 0]);
  });

  it('the band: mean ± std, or min–max', () => {
    const h = groupHistory([a, b, c], 0);
    const std = bandEdges(h, 'std');
    close(std.lower[0]!, 1, 'lower');
    close(std.upper[0]!, 3, 'upper');
    assert.deepEqual(bandEdges(h, 'minMax'), { lower: h.min, upper: h.max });
  });

  it('each run is smoothed before it is aggregated', () => {
    const smooth = groupHistory([a], 0.5);
    // Debiased EMA of [1, 0.5, 0.25] with weight 0.5: 1, then (0.25 + 0.25) / 0.75.
    close(smooth.mean[1]!, (0.5 * 0.5 * 1 + 0.5 * 0.5) / 0.75, 'smoothed step 1');
  });

  it('no series, no steps', () => {
    assert.deepEqual(groupHistory([], 0).steps, []);
  });
});
