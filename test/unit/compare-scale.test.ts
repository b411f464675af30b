/**
 * The scale: 100 runs × 5 metrics × 1,000,000 steps each on the test server behind nginx.
 * What must hold is the bound, not a time: five requests (one per metric), a budgeted number of
 * points per chart, and full resolution only for a narrow zoom.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import type { MlflowClient } from '../../src/core/mlflow';
import { hexId } from '../servers/mlflow/deterministic';
import { generatedMetricValue } from '../servers/mlflow/generated-history';
import { startRig, type Rig } from '../servers/rig';
import { BULK_PATH, HISTORY_PATH, clientFor, seenOn } from './compare-helpers';

const SEED = 21;
const RUNS = 100;
const STEPS = 1_000_000;
const KEYS = ['loss', 'val_loss', 'acc', 'val_acc', 'lr'];
const RUN_IDS = Array.from({ length: RUNS }, (_, i) => hexId(SEED, i));

describe('compare data at 100 runs × 5 metrics × 1,000,000 steps', () => {
  let rig: Rig;
  let client: MlflowClient;

  before(async () => {
    rig = await startRig({ scenario: {}, generate: { seed: SEED, runs: RUNS, historyRuns: RUNS, historySteps: STEPS, historyKeys: KEYS } });
    client = clientFor(rig);
  });
  after(async () => {
    await client?.dispose();
    await rig?.stop();
  });

  it('loads all five charts in five requests with at most 501 points per run', async () => {
    // A 50,000-point budget (the panel's is 20,000): 500 a run, the figures below.
    const loader = createMetricHistoryLoader(client, { overviewPointBudget: 50_000 });
    const charts = await Promise.all(KEYS.map((metricKey) => loader.load({ runIds: RUN_IDS, metricKey })));

    const requests = await seenOn(rig, BULK_PATH);
    assert.equal(requests.length, 5);
    assert.deepEqual(requests.map((r) => r.params.get('metric_key')).sort(), [...KEYS].sort());
    assert.ok(requests.every((r) => r.status === 200 && r.params.getAll('run_ids').length === RUNS && r.params.get('max_results') === '500'));
    assert.equal((await seenOn(rig, HISTORY_PATH)).length, 0);

    let total = 0;
    for (const [k, series] of charts.entries()) {
      assert.equal(series.length, RUNS);
      for (const [i, s] of series.entries()) {
        total += s.points.length;
        assert.equal(s.points.length, 501);
        assert.equal(s.sampled, true);
        assert.deepEqual([s.points[0]!.step, s.points[1]!.step, s.points.at(-1)!.step], [0, 2000, STEPS - 1]);
        // The generator gives key k of run i its own curve (seed + i + k·7919).
        assert.equal(s.points[250]!.value, generatedMetricValue(SEED + i + k * 7919, 500_000, STEPS));
      }
    }
    assert.equal(total, 5 * RUNS * 501, '250,500 points for 500,000,000 logged ones');
  });

  it('zooms one chart to 1,000 steps at full resolution in one request', async () => {
    await rig.admin.clearRequests();
    const loader = createMetricHistoryLoader(client);
    const series = await loader.load({ runIds: RUN_IDS, metricKey: 'val_acc', range: { minStep: 400_000, maxStep: 400_999 } });
    const [request] = await seenOn(rig, BULK_PATH);
    assert.deepEqual([request!.params.get('start_step'), request!.params.get('end_step')], ['400000', '400999']);
    assert.ok(series.every((s) => !s.sampled && s.points.length === 1000 && s.points[0]!.step === 400_000));
  });
});
