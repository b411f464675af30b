/**
 * The loader on a server without get-history-bulk-interval (an MLflow before 2.9: Flask's HTML
 * 404), and the test server's sampling checked against real MLflow 2.14.3's recorded answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import type { MlflowClient } from '../../src/core/mlflow';
import { hexId } from '../servers/mlflow/deterministic';
import { generatedMetricValue } from '../servers/mlflow/generated-history';
import { startMlflowServer, startRig, type Rig } from '../servers/rig';
import { BULK_PATH, EXPLICIT_EXPERIMENT, HISTORY_PATH, NAN_RUN, NO_METRIC_RUN, clientFor, rejectsCancelled, seenOn } from './compare-helpers';

const SEED = 11;
const STEPS = 30_000;
const runId = (i: number) => hexId(SEED, i);

describe('metric-history loader on a server without the bulk-interval route', () => {
  let rig: Rig;
  let client: MlflowClient;

  before(async () => {
    rig = await startRig({
      scenario: { experiments: [EXPLICIT_EXPERIMENT], missingRoutes: [BULK_PATH] },
      generate: { seed: SEED, runs: 4, historyRuns: 3, historySteps: STEPS, historyKeys: ['loss', 'val_loss'] },
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

  it('asks the bulk route once, then fetches whole histories and thins each to the budget, first and last kept', async () => {
    const loader = createMetricHistoryLoader(client, { overviewPointBudget: 3000 });
    const runs = [runId(0), runId(1), runId(2), runId(3)];
    const series = await loader.load({ runIds: runs, metricKey: 'loss' });

    const bulk = await seenOn(rig, BULK_PATH);
    assert.deepEqual(bulk.map((r) => r.status), [404]);
    const history = await seenOn(rig, HISTORY_PATH);
    assert.deepEqual(history.map((r) => r.params.get('run_id')).sort(), [...runs].sort());
    assert.ok(history.every((r) => r.params.get('metric_key') === 'loss' && r.status === 200));

    for (const [i, s] of series.slice(0, 3).entries()) {
      assert.equal(s.points.length, 750); // 3,000 points shared by 4 runs
      assert.equal(s.sampled, true);
      assert.deepEqual([s.points[0]!.step, s.points.at(-1)!.step], [0, STEPS - 1]);
      for (const p of s.points.slice(0, 50)) assert.equal(p.value, generatedMetricValue(SEED + i, p.step, STEPS));
      assert.ok(s.points.every((p, k) => k === 0 || p.step > s.points[k - 1]!.step));
    }
    assert.equal(series[3]!.points.length, 1); // the generator logs `loss` once in later runs
    assert.equal(series[3]!.sampled, false);
    assert.equal(loader.stats().usingFallback, true);

    await rig.admin.clearRequests();
    await loader.load({ runIds: runs, metricKey: 'val_loss' });
    assert.equal((await seenOn(rig, BULK_PATH)).length, 0, 'the missing route is remembered');
    assert.equal((await seenOn(rig, HISTORY_PATH)).length, 4);
  });

  it('cuts a zoom window out of the whole history at full resolution, and keeps non-finite values and empty runs', async () => {
    const loader = createMetricHistoryLoader(client);
    const [zoomed] = await loader.load({ runIds: [runId(1)], metricKey: 'loss', range: { minStep: 20_000, maxStep: 21_999 } });
    assert.equal(zoomed!.points.length, 2000);
    assert.equal(zoomed!.sampled, false);
    assert.equal(zoomed!.points[0]!.step, 20_000);

    const edge = await loader.load({ runIds: [NAN_RUN, NO_METRIC_RUN], metricKey: 'acc' });
    assert.deepEqual(edge[0]!.points.map((p) => p.value), [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.9]);
    assert.deepEqual(edge[1]!.points, []);
  });

  it('cancels queued get-history requests of the fallback', async () => {
    const loader = createMetricHistoryLoader(client, { concurrency: 1 });
    await loader.load({ runIds: [runId(3)], metricKey: 'loss' }); // learns that the route is missing
    await rig.admin.clearRequests();
    await rig.admin.faults({ pathPrefix: HISTORY_PATH, mode: 'delay', delayMs: 800, count: 1 });
    const controller = new AbortController();
    const pending = loader.load({ runIds: [runId(0), runId(1), runId(2)], metricKey: 'val_loss' }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await rejectsCancelled(pending);
    await new Promise((r) => setTimeout(r, 900));
    assert.equal((await seenOn(rig, HISTORY_PATH)).length, 1);
  });
});

describe("the test server's bulk-interval sampling against real MLflow 2.14.3", () => {
  const recordedDir = path.resolve(__dirname, '../fixtures/mlflow-recorded');
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    ({ url, stop } = await startMlflowServer({ scenario: 'recorded' }));
  });
  after(() => stop());

  for (const name of ['ajax_get_history_bulk_interval', 'ajax_get_history_bulk_interval_steps', 'ajax_get_history_bulk_interval_missing_key']) {
    it(`answers ${name} as recorded`, async () => {
      const recording = JSON.parse(readFileSync(path.join(recordedDir, `${name}.json`), 'utf8')) as {
        request: { path: string; query: Record<string, unknown> };
        status: number;
        body: unknown;
      };
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(recording.request.query)) for (const item of Array.isArray(v) ? v : [v]) query.append(k, String(item));
      const res = await fetch(`${url}${recording.request.path}?${query.toString()}`);
      assert.equal(res.status, recording.status);
      assert.deepEqual(await res.json(), recording.body);
    });
  }
});
