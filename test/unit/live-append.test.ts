// The compare page's live append in plain Node: new points go after each run's last point
// (repeats dropped, a same-step point logged later kept), a run's first points start its series,
// other metrics are ignored, and a zoom window stays on the same steps as the x-axis grows.
// The held-tail maths of the poller (which requests a poll needs, which points are new) too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, HeldTails, runIdsFilter, tailRequests, takeNewPoints, type NewPoints } from '../../src/core/live';
import type { Run } from '../../src/core/mlflow';
import type { CompareSeries } from '../../src/protocol/compare';
import { chartXs, needsTimestamps } from '../../webview/src/panels/compare/chartData';
import { appendLivePoints, zoomAnchor, zoomForAnchor } from '../../webview/src/panels/compare/liveAppend';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const pts = (...steps: number[]) => steps.map((step) => ({ step, timestamp: 1000 + step, value: 1 / (step + 1) }));
/** A series in the columns the page holds (steps, timestamps, values). */
const columns = (runId: string, points: ReturnType<typeof pts>, sampled = true): CompareSeries => ({
  runId,
  metricKey: 'loss',
  sampled,
  steps: Float64Array.from(points, (p) => p.step),
  timestamps: Float64Array.from(points, (p) => p.timestamp),
  values: Float64Array.from(points, (p) => p.value),
});
const series = (runId: string, ...steps: number[]): CompareSeries => columns(runId, pts(...steps));
const stepsOf = (s: CompareSeries) => [...s.steps];
const lastPoint = (s: CompareSeries) => ({ step: s.steps.at(-1), timestamp: s.timestamps?.at(-1), value: s.values.at(-1) });

describe('live append on the compare page', () => {
  it('appends only points after the last one held, per run, and keeps the sampled flag', () => {
    const { series: out, added } = appendLivePoints([series(A, 0, 5, 10)], [{ ...series(A, 9, 10, 11, 12), sampled: false }], 'loss');
    assert.equal(added, 2);
    assert.deepEqual(stepsOf(out[0]!), [0, 5, 10, 11, 12]);
    assert.equal(out[0]!.sampled, true);
  });

  it('keeps a point of the same step logged later, starts a series for a run without one, ignores other metrics', () => {
    const later = columns(A, [{ step: 10, timestamp: 5000, value: 0.01 }], false);
    const other = { ...series(A, 20), metricKey: 'acc' };
    const { series: out, added } = appendLivePoints([series(A, 0, 10)], [later, series(B, 3, 4), other], 'loss');
    assert.equal(added, 3);
    assert.deepEqual(lastPoint(out.find((s) => s.runId === A)!), { step: 10, timestamp: 5000, value: 0.01 });
    assert.deepEqual(stepsOf(out.find((s) => s.runId === B)!), [3, 4]);
  });

  it('a series drawn by step (fetched without timestamps) takes the steps after its last and stays without timestamps', () => {
    const byStep = { ...series(A, 0, 5, 10), timestamps: undefined };
    const { series: out, added } = appendLivePoints([byStep], [series(A, 10, 11, 12)], 'loss');
    assert.equal(added, 2, 'its last step again is taken for the point it holds');
    assert.deepEqual(stepsOf(out[0]!), [0, 5, 10, 11, 12]);
    assert.equal(out[0]!.timestamps, undefined);
    assert.equal(out[0]!.values.length, 5);
    const fresh = appendLivePoints([], [series(B, 1, 2)], 'loss').series[0]!;
    assert.deepEqual(Array.from(fresh.timestamps!), [1001, 1002], 'a new series keeps the live timestamps');
  });

  it('adds nothing (and says so) when every point is held already', () => {
    const before = [series(A, 0, 1, 2)];
    const { series: out, added } = appendLivePoints(before, [series(A, 1, 2)], 'loss');
    assert.equal(added, 0);
    assert.deepEqual(out, before);
  });

  it('keeps a zoom window on the same steps when the axis grows, and leaves an unzoomed chart unzoomed', () => {
    const anchor = zoomAnchor({ start: 20, end: 40 }, [0, 100])!;
    assert.deepEqual(anchor, [20, 40]);
    const z = zoomForAnchor(anchor, [0, 200]);
    assert.deepEqual(z, { start: 10, end: 20 });
    assert.equal(zoomAnchor({ start: 0, end: 100 }, [0, 100]), undefined);
    assert.equal(zoomAnchor(undefined, [0, 100]), undefined);
  });
});

function run(id: string, metrics: Array<[string, number, number]>, status = 'RUNNING'): Run {
  return {
    info: { run_id: id, run_uuid: id, experiment_id: '1', run_name: id, user_id: '', status, artifact_uri: '', lifecycle_stage: 'active' },
    data: { metrics: metrics.map(([key, step, timestamp]) => ({ key, step, timestamp, value: 0 })), params: [], tags: [] },
    inputs: { dataset_inputs: [] },
    outputs: { model_outputs: [] },
  };
}

describe('held tails of the live poller', () => {
  it('asks one request per grown metric for all grown runs, from the lowest held step to the newest reported', () => {
    const tails = HeldTails.fromRuns([run(A, [['loss', 10, 1], ['acc', 5, 1]]), run(B, [['loss', 4, 1]])]);
    const fresh = [run(A, [['loss', 12, 2], ['acc', 5, 1]]), run(B, [['loss', 7, 2]])];
    const reqs = tailRequests(fresh, [{ tails, runIds: new Set([A, B]) }]);
    assert.deepEqual(reqs, [{ metricKey: 'loss', runIds: [A, B], startStep: 4, endStep: 12 }]);
  });

  it('asks nothing when no latest point moved, and shares one request between two subscribers', () => {
    const same = [run(A, [['loss', 10, 1]])];
    assert.deepEqual(tailRequests(same, [{ tails: HeldTails.fromRuns(same), runIds: new Set([A]) }]), []);
    const grown = [run(A, [['loss', 11, 2]])];
    const two = [1, 2].map(() => ({ tails: HeldTails.fromRuns(same), runIds: new Set([A]) }));
    assert.equal(tailRequests(grown, two).length, 1);
  });

  it('sees a same-step point logged later as new, and a metric the run just started from its first step', () => {
    const tails = HeldTails.fromRuns([run(A, [['loss', 10, 1]])]);
    const reqs = tailRequests([run(A, [['loss', 10, 9], ['acc', 3, 9]])], [{ tails, runIds: new Set([A]) }]);
    assert.deepEqual(reqs.map((r) => [r.metricKey, r.startStep, r.endStep]).sort(), [['acc', 0, 3], ['loss', 10, 10]]);
  });

  it('takes only the answered points past the held ones, in step order, and holds them', () => {
    const tails = HeldTails.fromRuns([run(A, [['loss', 2, 102]])]);
    const into: NewPoints = new Map();
    const answer = [3, 1, 2, 4].map((step) => ({ run_id: A, key: 'loss', step, timestamp: 100 + step, value: step }));
    takeNewPoints(tails, new Set([A]), 'loss', [...answer, { run_id: B, key: 'loss', step: 9, timestamp: 1, value: 9 }], into);
    assert.deepEqual(into.get(A)!.get('loss')!.map((m) => m.step), [3, 4]);
    assert.equal(into.has(B), false, 'not a run of this subscriber');
    assert.deepEqual(tails.get(A, 'loss'), { step: 4, timestamp: 104 });
  });

  it('quotes run ids in the IN filter and backs off doubling to the cap', () => {
    assert.equal(runIdsFilter([A, "x'y"]), `attributes.run_id IN ('${A}', 'x\\'y')`);
    assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(10_000, n, 60_000)), [10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});

describe('a chart fetched without timestamps', () => {
  it('is drawn by step until they come, and says it needs them only for a time axis', () => {
    const byStep = { ...series(A, 0, 5), timestamps: undefined };
    assert.equal(needsTimestamps([byStep], 'step'), false);
    assert.equal(needsTimestamps([byStep], 'wallTime'), true);
    assert.equal(needsTimestamps([byStep], 'relativeTime'), true);
    assert.equal(needsTimestamps([series(A, 0, 5)], 'wallTime'), false);
    assert.equal(needsTimestamps([{ ...byStep, steps: new Float64Array(0), values: new Float64Array(0) }], 'wallTime'), false, 'an empty series needs nothing');
    assert.deepEqual(Array.from(chartXs(byStep, 'wallTime')), [0, 5]);
    assert.deepEqual(Array.from(chartXs(series(A, 0, 5), 'relativeTime')), [0, 0.005]);
  });
});
