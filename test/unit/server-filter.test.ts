/** The runs/search filter grammar and order_by, checked against predicates over all runs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMlflowServer } from '../servers/rig';
import { allRunPages, api } from '../servers/mlflow/test-client';

type Run = { info: Record<string, any>; data: { metrics?: Array<{ key: string; value: number }>; params?: Array<{ key: string; value: string }>; tags?: Array<{ key: string; value: string }> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const metric = (r: Run, k: string) => r.data.metrics?.find((m) => m.key === k)?.value;
const param = (r: Run, k: string) => r.data.params?.find((m) => m.key === k)?.value;
const tag = (r: Run, k: string) => r.data.tags?.find((m) => m.key === k)?.value;

describe('run filter grammar', () => {
  let url: string;
  let stop: () => Promise<void>;
  let all: Run[];
  const search = async (filter: string, extra: Record<string, unknown> = {}) =>
    (await allRunPages(url, { experiment_ids: ['999'], filter, max_results: 1000, ...extra })) as Run[];

  before(async () => {
    // 10 keys, 4 per run: plenty of runs lack any given key.
    ({ url, stop } = await startMlflowServer({ scenario: {}, generate: { runs: 3000, keys: 10, keysPerRun: 4 } }));
    all = (await allRunPages(url, { experiment_ids: ['999'], max_results: 1000 })) as Run[];
    assert.ok(all.length > 2900);
  });
  after(() => stop());

  const cases: Array<[string, (r: Run) => boolean]> = [
    ['metrics.m_001 > 0.5', (r) => (metric(r, 'm_001') ?? -1) > 0.5],
    ['metrics.m_001 <= 0.25 and metrics.m_003 >= 0.5', (r) => (metric(r, 'm_001') ?? 9) <= 0.25 && (metric(r, 'm_003') ?? -1) >= 0.5],
    ["params.p_002 = '0.3'", (r) => param(r, 'p_002') === '0.3'],
    ["params.p_002 != '0.3'", (r) => param(r, 'p_002') !== undefined && param(r, 'p_002') !== '0.3'],
    ["params.`p_002` LIKE '0.%'", (r) => param(r, 'p_002')?.startsWith('0.') === true],
    ['params."p_004" = "1.0"', (r) => param(r, 'p_004') === '1.0'],
    ["tags.group = 'g3'", (r) => tag(r, 'group') === 'g3'],
    ["tags.`mlflow.runName` = 'run-000010'", (r) => r.info.run_name === 'run-000010'],
    ["attributes.status = 'FAILED'", (r) => r.info.status === 'FAILED'],
    ["status != 'FAILED' AND params.p_001 = '0.5'", (r) => r.info.status !== 'FAILED' && param(r, 'p_001') === '0.5'],
    ["run_name LIKE 'run-0001%'", (r) => r.info.run_name.startsWith('run-0001')],
    ["attributes.run_name ILIKE 'RUN-0002_0'", (r) => /^run-0002.0$/.test(r.info.run_name)],
    ['attributes.start_time >= 1796000600000 AND attributes.start_time < 1796001200000', (r) => r.info.start_time >= 1796000600000 && r.info.start_time < 1796001200000],
  ];
  for (const [filter, predicate] of cases) {
    it(`filter ${filter}`, async () => {
      const got = (await search(filter)).map((r) => r.info.run_id);
      const want = all.filter(predicate).map((r) => r.info.run_id);
      assert.ok(want.length > 0, 'the case should select something');
      assert.deepEqual(got, want);
    });
  }

  it('filters run_id IN (...) and NOT IN', async () => {
    const ids = all.slice(5, 8).map((r) => r.info.run_id);
    const got = await search(`attributes.run_id IN (${ids.map((i) => `'${i}'`).join(', ')})`);
    assert.deepEqual(got.map((r) => r.info.run_id), ids);
    const rest = await search(`attributes.run_id NOT IN ('${ids[0]}')`);
    assert.equal(rest.length, all.length - 1);
  });

  const invalid: Array<[string, RegExp]> = [
    ["metrics.m_001 > 0.5 OR params.p_002 = '0.3'", /Invalid clause/],
    ['foo.bar = 1', /Invalid entity type 'foo'/],
    ["metrics.m_001 = 'abc'", /Expected numeric value type for metric/],
    ['params.p_001 = 0.3', /Expected a quoted string value for param/],
    ['metrics.m_001 <<< 1', /Invalid comparator '<<<'/],
    ["params.p_001 > '0.3'", /Invalid comparator '>'/],
    ["attributes.nope = 'x'", /Invalid attribute key 'nope'/],
    ["params.p_001 IN ('0.1')", /Invalid comparator 'IN'/],
    ['metrics.m_001 >', /Invalid clause/],
    ["params.p_001 = '0.1' AND", /Invalid clause/],
  ];
  for (const [filter, message] of invalid) {
    it(`rejects ${filter}`, async () => {
      const r = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { experiment_ids: ['999'], filter });
      assert.equal(r.status, 400);
      assert.equal(r.json.error_code, 'INVALID_PARAMETER_VALUE');
      assert.match(r.json.message, message);
    });
  }

  it('orders by a param ascending with missing values last', async () => {
    const runs = await search('', { order_by: ['params.p_002 ASC'] });
    const values = runs.map((r) => param(r, 'p_002'));
    const firstMissing = values.indexOf(undefined);
    assert.ok(firstMissing > 0);
    assert.ok(values.slice(firstMissing).every((v) => v === undefined), 'missing values last');
    const present = values.slice(0, firstMissing) as string[];
    assert.deepEqual(present, [...present].sort());
  });

  it('orders by a metric descending with missing values last, ties by start_time DESC then run_id', async () => {
    const runs = await search('', { order_by: ['metrics.m_005 DESC'] });
    const values = runs.map((r) => metric(r, 'm_005'));
    const firstMissing = values.indexOf(undefined);
    assert.ok(values.slice(firstMissing).every((v) => v === undefined));
    for (let i = 1; i < firstMissing; i++) assert.ok((values[i - 1] as number) >= (values[i] as number));
    const missing = runs.slice(firstMissing).map((r) => r.info);
    for (let i = 1; i < missing.length; i++) {
      const [a, b] = [missing[i - 1], missing[i]];
      assert.ok(a.start_time > b.start_time || (a.start_time === b.start_time && a.run_id < b.run_id));
    }
  });

  it('orders by attributes.start_time ASC and bare end_time', async () => {
    const asc = await search('', { order_by: ['attributes.start_time ASC'], max_results: 200 });
    for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1].info.start_time <= asc[i].info.start_time);
    const byEnd = await search('', { order_by: ['end_time DESC'] });
    for (let i = 1; i < byEnd.length; i++) assert.ok(byEnd[i - 1].info.end_time >= byEnd[i].info.end_time);
  });

  it('rejects an unparseable order_by', async () => {
    const r = await api(url, 'POST', 'api/2.0/mlflow/runs/search', { experiment_ids: ['999'], order_by: ['metrics.m_001 SIDEWAYS'] });
    assert.equal(r.status, 400);
    assert.equal(r.json.error_code, 'INVALID_PARAMETER_VALUE');
  });

  it('filters experiments by name and tags (=, !=, LIKE, ILIKE)', async () => {
    const { url: u, stop: s } = await startMlflowServer({ scenario: 'recorded' });
    try {
      const names = async (filter: string) =>
        ((await api(u, 'POST', 'api/2.0/mlflow/experiments/search', { filter })).json.experiments ?? []).map((e: { name: string }) => e.name);
      assert.deepEqual(await names("name = 'wine-quality'"), ['wine-quality']);
      assert.deepEqual(await names("name != 'wine-quality'"), ['llm-finetune', 'Default']);
      assert.deepEqual(await names("name ILIKE '%FINE%'"), ['llm-finetune']);
      assert.deepEqual(await names("name LIKE '%FINE%'"), []);
      assert.deepEqual(await names("tags.team = 'nlp'"), ['llm-finetune']);
      const bad = await api(u, 'GET', 'api/2.0/mlflow/experiments/search?filter=name%20%3D%3D%20');
      assert.equal(bad.status, 400);
    } finally {
      await s();
    }
  });
});
