/** Paging through thousands of generated experiments and runs: no duplicates, no gaps, stable order. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMlflowServer } from '../servers/rig';
import { allRunPages, api } from '../servers/mlflow/test-client';

const EXPERIMENTS = 2500;
const RUNS = 5000;
// Generated runs with index % 211 === 210 are deleted (see GeneratedRun.lifecycleStage).
const ACTIVE_RUNS = RUNS - Math.floor((RUNS + 1) / 211);

describe('paging', () => {
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    ({ url, stop } = await startMlflowServer({ scenario: {}, generate: { experiments: EXPERIMENTS, runs: RUNS, keys: 50 } }));
  });
  after(() => stop());

  it('pages all experiments without duplicates or gaps, newest first', async () => {
    const seen: Array<{ experiment_id: string; creation_time: number }> = [];
    let token: string | undefined;
    for (let i = 0; i < 100; i++) {
      const q = `max_results=333${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
      const r = await api(url, 'GET', `api/2.0/mlflow/experiments/search?${q}`);
      assert.equal(r.status, 200);
      seen.push(...r.json.experiments);
      token = r.json.next_page_token;
      if (!token) break;
    }
    assert.equal(seen.length, EXPERIMENTS + 1);
    assert.equal(new Set(seen.map((e) => e.experiment_id)).size, seen.length);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].creation_time >= seen[i].creation_time);
  });

  it('pages all runs in default order (start_time DESC, run_id ASC) without duplicates or gaps', async () => {
    const runs = await allRunPages(url, { experiment_ids: ['999'], max_results: 777 });
    assert.equal(runs.length, ACTIVE_RUNS);
    assert.equal(new Set(runs.map((r) => r.info.run_id)).size, runs.length);
    for (let i = 1; i < runs.length; i++) {
      const [a, b] = [runs[i - 1].info, runs[i].info];
      assert.ok(a.start_time > b.start_time || (a.start_time === b.start_time && a.run_id < b.run_id), `order at ${i}`);
    }
  });

  it('pages the same sequence as one big request, with a filter and order_by', async () => {
    const request = { experiment_ids: ['999'], filter: 'metrics.m_003 > 0.2', order_by: ['metrics.m_003 DESC'] };
    const paged = await allRunPages(url, { ...request, max_results: 50 });
    const whole = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { ...request, max_results: 50000 });
    assert.deepEqual(paged.map((r) => r.info.run_id), whole.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id));
    assert.ok(paged.length > 10);
  });

  it('pages run_view_type ALL = active + deleted', async () => {
    const all = await allRunPages(url, { experiment_ids: ['999'], run_view_type: 'ALL', max_results: 2000 });
    const deleted = await allRunPages(url, { experiment_ids: ['999'], run_view_type: 'DELETED_ONLY', max_results: 2000 });
    assert.equal(all.length, RUNS);
    assert.equal(deleted.length, RUNS - ACTIVE_RUNS);
    assert.ok(deleted.every((r) => r.info.lifecycle_stage === 'deleted'));
  });

  it('rejects a garbage page token and too large max_results like MLflow', async () => {
    const bad = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { experiment_ids: ['999'], page_token: 'garbage' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_code, 'INVALID_PARAMETER_VALUE');
    const big = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { experiment_ids: ['999'], max_results: 50001 });
    assert.equal(big.status, 400);
    assert.match(big.json.message, /Invalid value 50001 for parameter 'max_results'/);
    const exp = await api(url, 'GET', 'api/2.0/mlflow/experiments/search?max_results=50001');
    assert.equal(exp.status, 400);
  });
});

describe('100,000 runs with 500 keys', () => {
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    ({ url, stop } = await startMlflowServer({ scenario: {}, generate: { runs: 100000, keys: 500, keysPerRun: 10 } }));
  });
  after(() => stop());

  it('answers a sorted, filtered page quickly and the next page from the cache', async () => {
    const request = { experiment_ids: ['999'], filter: "params.p_123 LIKE '0.%'", order_by: ['metrics.m_123 ASC'], max_results: 100 };
    let t = Date.now();
    const first = await api(url, 'POST', 'api/2.0/mlflow/runs/search', request);
    const firstMs = Date.now() - t;
    assert.equal(first.status, 200);
    assert.equal(first.json.runs.length, 100);
    t = Date.now();
    const second = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { ...request, page_token: first.json.next_page_token });
    const secondMs = Date.now() - t;
    assert.equal(second.json.runs.length, 100);
    const values = [...first.json.runs, ...second.json.runs].map(
      (r) => r.data.metrics.find((m: { key: string }) => m.key === 'm_123').value as number,
    );
    for (let i = 1; i < values.length; i++) assert.ok(values[i - 1] <= values[i]);
    assert.ok(firstMs < 5000, `first page took ${firstMs} ms`);
    assert.ok(secondMs < 500, `cached page took ${secondMs} ms`);
  });
});
