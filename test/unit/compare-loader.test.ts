/**
 * The compare panel's metric-history loader against the real rig (test MLflow behind nginx with
 * Basic auth at /mlflow/): what it asks the server (counted in the rig's request log), what it
 * returns, its cache, its cancellation and its bounded parallelism.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TrackingBackend } from '../../src/core/backend/trackingBackend';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import { MlflowClient } from '../../src/core/mlflow';
import { hexId } from '../servers/mlflow/deterministic';
import { GENERATED_BASE_TIME } from '../servers/mlflow/generate';
import { generatedMetricValue } from '../servers/mlflow/generated-history';
import { startRig, type Rig } from '../servers/rig';
import {
  BULK_PATH,
  EXPLICIT_EXPERIMENT,
  NAN_RUN,
  NO_METRIC_RUN,
  SPARSE_RUN,
  UNKNOWN_RUN,
  clientFor,
  rejectsCancelled,
  seenOn,
} from './compare-helpers';

const SEED = 3;
const RUNS = 250;
const STEPS = 5000;
const runId = (i: number) => hexId(SEED, i);
const ALL = Array.from({ length: RUNS }, (_, i) => runId(i));
/** The generator gives run i a start time of BASE + floor(i/2) minutes and logs a step every 100 ms. */
const timestampOf = (i: number, step: number) => GENERATED_BASE_TIME + Math.floor(i / 2) * 60000 + step * 100;

describe('metric-history loader against the rig', () => {
  let rig: Rig;
  let client: MlflowClient;

  before(async () => {
    rig = await startRig({
      scenario: { experiments: [EXPLICIT_EXPERIMENT] },
      generate: { seed: SEED, runs: RUNS, historyRuns: RUNS, historySteps: STEPS, historyKeys: ['loss', 'val_loss'] },
    });
    client = clientFor(rig);
  });
  after(async () => {
    await client?.dispose();
    await rig?.stop();
  });
  beforeEach(async () => {
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
  });

  it('fetches 250 whole histories in three requests of at most 100 runs, sampled to the chart budget, with exact values', async () => {
    const loader = createMetricHistoryLoader(client);
    const series = await loader.load({ runIds: ALL, metricKey: 'loss' });

    const requests = await seenOn(rig, BULK_PATH);
    assert.deepEqual(requests.map((r) => r.params.getAll('run_ids').length), [100, 100, 50]);
    assert.deepEqual(requests.flatMap((r) => r.params.getAll('run_ids')).sort(), [...ALL].sort());
    for (const r of requests) {
      assert.equal(r.status, 200);
      assert.equal(r.params.get('metric_key'), 'loss');
      assert.equal(r.params.get('max_results'), '100'); // 20,000 points shared by 250 runs is below the floor of 100
      assert.equal(r.params.has('start_step'), false);
    }
    assert.equal((await seenOn(rig, '/api/2.0/mlflow/metrics/get-history')).length, 0);

    assert.deepEqual(series.map((s) => s.runId), ALL, 'one series per run, in query order');
    for (const [i, s] of series.entries()) {
      assert.equal(s.metricKey, 'loss');
      assert.equal(s.sampled, true);
      assert.equal(s.points.length, 101); // 100 evenly spaced steps + the last one
      assert.equal(s.points[0]!.step, 0);
      assert.equal(s.points[1]!.step, 50);
      assert.equal(s.points.at(-1)!.step, STEPS - 1);
      for (const p of [s.points[0]!, s.points[77]!, s.points.at(-1)!]) {
        assert.equal(p.value, generatedMetricValue(SEED + i, p.step, STEPS));
        assert.equal(p.timestamp, timestampOf(i, p.step));
      }
    }
    const stats = loader.stats();
    assert.equal(stats.bulkRequests, 3);
    assert.equal(stats.seriesFetched, RUNS);
    assert.equal(stats.usingFallback, false);
  });

  it('answers a repeated query from the cache, shares one fetch between concurrent identical loads, and fetches again after clear()', async () => {
    const loader = createMetricHistoryLoader(client);
    const query = { runIds: ALL.slice(0, 120), metricKey: 'val_loss' };
    const [a, b] = await Promise.all([loader.load(query), loader.load(query)]);
    assert.equal((await seenOn(rig, BULK_PATH)).length, 2, 'two chunks, fetched once for both loads');
    assert.equal(a[7], b[7], 'the very same series object');
    assert.equal(loader.stats().cacheHits, 120);

    await rig.admin.clearRequests();
    const again = await loader.load({ runIds: ALL.slice(100, 120), metricKey: 'val_loss' });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 0, 'answered from the cache');
    assert.equal(again[0], a[100]);
    assert.equal(loader.stats().cacheHits, 140);

    // Another metric or another window is another cache entry.
    await loader.load({ runIds: ALL.slice(0, 2), metricKey: 'loss' });
    await loader.load({ runIds: ALL.slice(0, 2), metricKey: 'val_loss', range: { minStep: 0, maxStep: 10 } });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 2);

    loader.clear();
    await rig.admin.clearRequests();
    await loader.load(query);
    assert.equal((await seenOn(rig, BULK_PATH)).length, 2, 'clear() empties the cache');
  });

  it('forgets the oldest zoom windows beyond the cached-points cap, never the overview', async () => {
    const loader = createMetricHistoryLoader(client, { maxCachedZoomPoints: 3000 });
    const runs = ALL.slice(0, 2);
    const window = (minStep: number) => loader.load({ runIds: runs, metricKey: 'loss', range: { minStep, maxStep: minStep + 999 } });
    await loader.load({ runIds: runs, metricKey: 'loss' });
    await window(0); // 2,000 points
    await window(1000); // 4,000 in all: the first window goes
    await rig.admin.clearRequests();
    await window(1000);
    await loader.load({ runIds: runs, metricKey: 'loss' });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 0, 'the latest window and the overview are still cached');
    await window(0);
    assert.equal((await seenOn(rig, BULK_PATH)).length, 1, 'the oldest window was fetched again');
  });

  it('fetches a narrow zoom window at full resolution through start_step/end_step', async () => {
    const loader = createMetricHistoryLoader(client);
    const series = await loader.load({ runIds: ALL.slice(0, 3), metricKey: 'loss', range: { minStep: 1000.4, maxStep: 2999.6 } });
    const [request] = await seenOn(rig, BULK_PATH);
    assert.equal(request!.params.get('start_step'), '1001'); // a chart's fractional zoom is cut to whole steps
    assert.equal(request!.params.get('end_step'), '2999');
    assert.equal(request!.params.get('max_results'), '2500');
    for (const [i, s] of series.entries()) {
      assert.equal(s.sampled, false);
      assert.equal(s.points.length, 1999);
      assert.deepEqual([s.points[0]!.step, s.points.at(-1)!.step], [1001, 2999]);
      assert.ok(s.points.every((p, k) => p.step === 1001 + k));
      assert.equal(s.points[500]!.value, generatedMetricValue(SEED + i, 1501, STEPS));
    }
    const empty = await loader.load({ runIds: ALL.slice(0, 1), metricKey: 'loss', range: { minStep: 10.2, maxStep: 10.8 } });
    assert.deepEqual(empty[0]!.points, []);
  });

  it("completes a wide zoom that MLflow 2.14.3's window sampling leaves sparse from the overview, and marks it sampled", async () => {
    const runs = ALL.slice(0, 2);
    const range = { minStep: 1000, maxStep: 4999 };
    // What the server itself answers (its sampling compares an absolute index with the window's
    // length): nothing between steps 4000 and 4999 but the last one.
    const raw = await client.getMetricHistoryBulkInterval({ runIds: runs, metricKey: 'loss', startStep: 1000, endStep: 4999, maxResults: 2500 });
    assert.deepEqual(raw.filter((p) => p.step > 4000 && p.step < 4999), []);

    const loader = createMetricHistoryLoader(client);
    const overview = await loader.load({ runIds: runs, metricKey: 'loss' });
    assert.equal(overview[0]!.points.length, 2501); // 2 runs: the budget allows MLflow's maximum
    const zoomed = await loader.load({ runIds: runs, metricKey: 'loss', range });
    for (const s of zoomed) {
      assert.equal(s.sampled, true);
      assert.ok(s.points.every((p) => p.step >= 1000 && p.step <= 4999));
      const tail = s.points.filter((p) => p.step > 4000 && p.step < 4999);
      assert.ok(tail.length >= 400, `${tail.length} points between 4000 and 4999`);
      assert.ok(s.points.every((p, k) => k === 0 || p.step > s.points[k - 1]!.step), 'ordered, no duplicates');
    }
  });

  it('keeps NaN and ±Infinity, and gives runs without the metric (or unknown runs) an empty series', async () => {
    const loader = createMetricHistoryLoader(client);
    const series = await loader.load({ runIds: [NAN_RUN, NO_METRIC_RUN, UNKNOWN_RUN, SPARSE_RUN], metricKey: 'acc' });
    assert.deepEqual(series.map((s) => s.runId), [NAN_RUN, NO_METRIC_RUN, UNKNOWN_RUN, SPARSE_RUN]);
    assert.deepEqual(series[0]!.points.map((p) => p.value), [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.9]);
    assert.equal(series[0]!.sampled, false);
    assert.deepEqual(series[1], { runId: NO_METRIC_RUN, metricKey: 'acc', points: [], sampled: false });
    assert.deepEqual(series[2]!.points, []);
    // Two values logged at step 10 are both kept, in timestamp order.
    assert.deepEqual(series[3]!.points.map((p) => [p.step, p.value]), [[0, 0.1], [10, 0.2], [10, 0.25], [1000, 0.3]]);
    assert.equal(series[3]!.sampled, false);
    // Zooming into histories the overview holds whole is answered without a request.
    await rig.admin.clearRequests();
    const zoomed = await loader.load({ runIds: [SPARSE_RUN, NAN_RUN], metricKey: 'acc', range: { minStep: 1, maxStep: 10 } });
    assert.deepEqual(zoomed[0]!.points.map((p) => p.value), [0.2, 0.25]);
    assert.deepEqual(zoomed[1]!.points.map((p) => p.step), [1, 2, 3, 4]);
    assert.ok(zoomed.every((z) => !z.sampled));
    assert.equal((await seenOn(rig, BULK_PATH)).length, 0);
    // What travelled: MLflow's protobuf JSON spells non-finite doubles as strings.
    const res = await fetch(`${rig.directUrl}${BULK_PATH}?run_ids=${NAN_RUN}&metric_key=acc`);
    const values = ((await res.json()) as { metrics: Array<{ value: unknown }> }).metrics.map((m) => m.value);
    assert.deepEqual(values, [0.5, 'NaN', 'Infinity', '-Infinity', 0.9]);
  });

  it('rejects with a cancelled error when the signal aborts, sends no queued request, and caches nothing', async () => {
    await rig.admin.faults({ pathPrefix: BULK_PATH, mode: 'delay', delayMs: 1500, count: 1 });
    const loader = createMetricHistoryLoader(client, { concurrency: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = loader.load({ runIds: ALL, metricKey: 'loss' }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await rejectsCancelled(pending);
    assert.ok(Date.now() - started < 1200, 'rejected at once, not when the slow answer came');
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal((await seenOn(rig, BULK_PATH)).length, 1, 'the two queued chunks were never sent');

    await rejectsCancelled(loader.load({ runIds: ALL, metricKey: 'loss' }, AbortSignal.abort()));
    await rig.admin.clearRequests();
    const series = await loader.load({ runIds: ALL.slice(0, 5), metricKey: 'loss' });
    assert.equal(series[4]!.points.length, 2501);
    assert.equal((await seenOn(rig, BULK_PATH)).length, 1, 'the cancelled fetch was not cached');
  });

  it("keeps a shared fetch going for the caller that still waits when another caller cancels", async () => {
    await rig.admin.faults({ pathPrefix: BULK_PATH, mode: 'delay', delayMs: 400, count: 1 });
    const loader = createMetricHistoryLoader(client);
    const query = { runIds: ALL.slice(0, 10), metricKey: 'loss' };
    const controller = new AbortController();
    const first = loader.load(query, controller.signal);
    const second = loader.load(query);
    setTimeout(() => controller.abort(), 50);
    await rejectsCancelled(first);
    const series = await second;
    assert.equal(series.length, 10);
    assert.equal(series[9]!.points.length, 2001); // 10 runs share the 20,000-point budget: 2,000 + the last step
    assert.equal((await seenOn(rig, BULK_PATH)).length, 1);
  });

  it('runs at most `concurrency` requests at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: TrackingBackend = new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'getMetricHistoryBulkInterval' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          peak = Math.max(peak, ++inFlight);
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    await rig.admin.faults({ pathPrefix: BULK_PATH, mode: 'delay', delayMs: 150, count: 10 });
    const loader = createMetricHistoryLoader(counting, { concurrency: 2, runsPerRequest: 25 });
    const series = await loader.load({ runIds: ALL.slice(0, 200), metricKey: 'val_loss' });
    assert.equal(series.length, 200);
    assert.equal((await seenOn(rig, BULK_PATH)).length, 8);
    assert.equal(peak, 2);
  });

  it('falls back to get-history for one request when the bulk route says a run does not exist (404 RESOURCE_DOES_NOT_EXIST)', async () => {
    await rig.admin.faults({ pathPrefix: BULK_PATH, status: 404, count: 1 });
    const loader = createMetricHistoryLoader(client);
    const series = await loader.load({ runIds: ALL.slice(0, 3), metricKey: 'loss' });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 1);
    assert.equal((await seenOn(rig, '/api/2.0/mlflow/metrics/get-history')).length, 3);
    assert.equal(series[2]!.points.length, 2500); // thinned by the loader: first and last kept
    assert.deepEqual([series[2]!.points[0]!.step, series[2]!.points.at(-1)!.step], [0, STEPS - 1]);
    assert.equal(series[2]!.sampled, true);
    assert.equal(loader.stats().usingFallback, false, 'a missing run does not mean a missing route');
    await loader.load({ runIds: ALL.slice(0, 3), metricKey: 'val_loss' });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 2, 'the next load uses the bulk route again');
  });
});
