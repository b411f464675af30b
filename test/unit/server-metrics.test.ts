/** Metric histories: whole history, and get-history-bulk-interval sampling over long histories. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hexId } from '../servers/mlflow/deterministic';
import { generatedMetricValue } from '../servers/mlflow/generated-history';
import { api } from '../servers/mlflow/test-client';
import { startMlflowServer } from '../servers/rig';

const SEED = 5;
const STEPS = 1_000_000;
const runId = (i: number) => hexId(SEED, i);
type Point = { key: string; value: number; timestamp: number; step: number; run_id: string };

describe('metric histories', () => {
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    ({ url, stop } = await startMlflowServer({ scenario: {}, generate: { seed: SEED, runs: 5, historySteps: STEPS, historyRuns: 2 } }));
  });
  after(() => stop());

  const interval = async (query: string) => api(url, 'GET', `ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${query}`);

  it('samples a 1,000,000-step history evenly, keeping first and last step, with exact values', async () => {
    const t = Date.now();
    const r = await interval(`run_ids=${runId(0)}&run_ids=${runId(1)}&metric_key=loss&max_results=320`);
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t < 3000);
    const points = r.json.metrics as Point[];
    for (const i of [0, 1]) {
      const mine = points.filter((p) => p.run_id === runId(i));
      const steps = mine.map((p) => p.step);
      assert.equal(steps.length, 321);
      assert.equal(steps[0], 0);
      assert.equal(steps[steps.length - 1], STEPS - 1);
      assert.deepEqual(steps.slice(0, 4), [0, 3125, 6250, 9375]); // 1e6 / 320 apart
      for (const p of mine.slice(0, 20)) assert.equal(p.value, generatedMetricValue(SEED + i, p.step, STEPS));
    }
    assert.deepEqual(Object.keys(points[0]), ['key', 'value', 'timestamp', 'step', 'run_id']);
  });

  it('zooms into a step window and keeps runs with short histories', async () => {
    const r = await interval(`run_ids=${runId(0)}&run_ids=${runId(3)}&metric_key=loss&max_results=100&start_step=0&end_step=5000`);
    const points = r.json.metrics as Point[];
    const long = points.filter((p) => p.run_id === runId(0)).map((p) => p.step);
    assert.ok(long.length >= 100 && long.length <= 102);
    assert.ok(long.every((s) => s >= 0 && s <= 5000));
    assert.equal(long[long.length - 1], 5000);
    const short = points.filter((p) => p.run_id === runId(3));
    assert.deepEqual(short.map((p) => p.step), [0]); // a one-point history's min/max step is kept
  });

  it('validates its parameters like MLflow', async () => {
    const onlyStart = await interval(`run_ids=${runId(0)}&metric_key=loss&start_step=10`);
    assert.equal(onlyStart.status, 400);
    const backwards = await interval(`run_ids=${runId(0)}&metric_key=loss&start_step=10&end_step=5`);
    assert.equal(backwards.status, 400);
    const tooMany = await interval(`${Array.from({ length: 101 }, (_, i) => `run_ids=${hexId(1, i)}`).join('&')}&metric_key=loss`);
    assert.equal(tooMany.status, 400);
    const noKey = await interval(`run_ids=${runId(0)}`);
    assert.equal(noKey.status, 400);
    assert.match(noKey.json.message, /Missing value for required parameter 'metric_key'/);
    const bigMax = await interval(`run_ids=${runId(0)}&metric_key=loss&max_results=2501`);
    assert.equal(bigMax.status, 400);
  });

  it('returns the whole history from get-history, ignoring max_results and page_token', async () => {
    const { url: u, stop: s } = await startMlflowServer({ scenario: {}, generate: { seed: SEED, runs: 1, historySteps: 30000, historyRuns: 1 } });
    try {
      const r = await api(u, 'GET', `api/2.0/mlflow/metrics/get-history?run_id=${runId(0)}&metric_key=loss&max_results=10&page_token=x`);
      assert.equal(r.status, 200);
      const metrics = r.json.metrics as Point[];
      assert.equal(metrics.length, 30000);
      assert.equal(r.json.next_page_token, undefined);
      assert.equal(metrics[12345].value, generatedMetricValue(SEED, 12345, 30000));
      const unknown = await api(u, 'GET', `api/2.0/mlflow/metrics/get-history?run_id=${runId(0)}&metric_key=nope`);
      assert.deepEqual(unknown.json, {});
      const latest = await api(u, 'GET', `api/2.0/mlflow/runs/get?run_id=${runId(0)}`);
      const loss = latest.json.run.data.metrics.find((m: { key: string }) => m.key === 'loss');
      assert.equal(loss.step, 29999);
    } finally {
      await s();
    }
  });
});
