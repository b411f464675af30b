/** FileStoreBackend over test/fixtures/mlruns: experiments, runs, paging, filters, DTO shapes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileStoreBackend } from '../../src/core/fileStore';
import * as n from '../../src/core/mlflow/normalize';
import type { Run } from '../../src/core/mlflow';
import { FIXTURE_ROOT, rejectsWith, runId } from './fileStore-helpers';

const store = new FileStoreBackend(FIXTURE_ROOT);

async function allRuns(search: { filter?: string; orderBy?: string[]; runViewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' }, maxResults = 1000): Promise<Run[]> {
  const out: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchRunsPage({ experimentIds: ['1'], maxResults, pageToken, ...search });
    out.push(...page.runs);
    pageToken = page.next_page_token;
  } while (pageToken);
  return out;
}
const names = (runs: Run[]) => runs.map((r) => r.info.run_name);

/** Key structure of a value: what "same shape" means between two DTOs. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, shape(v)]).sort());
  }
  return typeof value;
}

describe('file store: experiments', () => {
  it('lists active experiments newest first, skipping models/ and the broken folder', async () => {
    const page = await store.searchExperimentsPage();
    assert.deepEqual(page.experiments.map((e) => [e.experiment_id, e.name]), [['1', 'wine-quality'], ['0', 'Default']]);
    assert.equal(page.next_page_token, undefined);
    const wine = page.experiments[0]!;
    assert.deepEqual(wine.tags.find((t) => t.key === 'team'), { key: 'team', value: 'ds' });
    assert.equal(typeof wine.creation_time, 'number');
  });

  it('honours viewType for the deleted experiment in .trash', async () => {
    const deleted = await store.searchExperimentsPage({ viewType: 'DELETED_ONLY' });
    assert.deepEqual(deleted.experiments.map((e) => [e.experiment_id, e.name, e.lifecycle_stage]), [['3', 'old-sweep', 'deleted']]);
    const all = await store.searchExperimentsPage({ viewType: 'ALL' });
    assert.deepEqual(all.experiments.map((e) => e.experiment_id).sort(), ['0', '1', '3']);
  });

  it('reports the unreadable meta.yaml as a problem, and getExperiment explains it', async () => {
    const problems = await store.problems();
    const broken = problems.filter((p) => p.kind === 'experiment');
    assert.equal(broken.length, 1);
    assert.equal(broken[0]!.folder, '2');
    assert.match(broken[0]!.message, /YAML/);
    await rejectsWith(store.getExperiment('2'), 'server', /cannot be read/);
    await rejectsWith(store.getExperiment('42'), 'notFound');
  });

  it('filters experiments by name and tag, and refuses unknown attributes', async () => {
    const byName = await store.searchExperimentsPage({ filter: "name LIKE 'wine%'" });
    assert.deepEqual(byName.experiments.map((e) => e.name), ['wine-quality']);
    const byTag = await store.searchExperimentsPage({ filter: "tags.team = 'ds'" });
    assert.deepEqual(byTag.experiments.map((e) => e.name), ['wine-quality']);
    await rejectsWith(store.searchExperimentsPage({ filter: "colour = 'red'" }), 'invalidParameter', /colour/);
  });

  it('pages experiments one at a time without gaps or duplicates', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.searchExperimentsPage({ viewType: 'ALL', maxResults: 1, pageToken: token });
      assert.equal(page.experiments.length, 1);
      seen.push(page.experiments[0]!.experiment_id);
      token = page.next_page_token;
    } while (token);
    assert.deepEqual(seen, ['3', '1', '0']); // creation_time DESC: the trashed one is newest
  });
});

describe('file store: runs', () => {
  it('orders runs by start_time DESC by default and hides deleted runs', async () => {
    const runs = await allRuns({});
    assert.deepEqual(names(runs), ['elasticnet-a1.0-diverged', 'child-a0.8', 'child-a0.2', 'sweep-parent', 'elasticnet-a0.5-l0.5', 'elasticnet-a0.1-l0.2']);
    assert.deepEqual(names(await allRuns({ runViewType: 'DELETED_ONLY' })), ['mistake']);
    assert.equal((await allRuns({ runViewType: 'ALL' })).length, 7);
  });

  it('pages runs with max_results 2: same runs, same order, no duplicates', async () => {
    const whole = names(await allRuns({ orderBy: ['metrics.rmse ASC'] }));
    const paged = names(await allRuns({ orderBy: ['metrics.rmse ASC'] }, 2));
    assert.deepEqual(paged, whole);
    assert.equal(new Set(paged).size, 6);
  });

  it('refuses a page token of another query and a garbage token', async () => {
    const first = await store.searchRunsPage({ experimentIds: ['1'], maxResults: 2 });
    assert.ok(first.next_page_token);
    await rejectsWith(store.searchRunsPage({ experimentIds: ['1'], maxResults: 2, filter: "params.alpha = '0.1'", pageToken: first.next_page_token }), 'invalidParameter');
    await rejectsWith(store.searchRunsPage({ experimentIds: ['1'], pageToken: 'not-a-token' }), 'invalidParameter');
    await rejectsWith(store.searchRunsPage({ experimentIds: ['1'], maxResults: 0 }), 'invalidParameter');
  });

  it('sorts by metrics and params, missing values last', async () => {
    const byRmse = names(await allRuns({ orderBy: ['metrics.rmse ASC'] }));
    // NaN (the diverged run's latest rmse) sorts above every number; sweep-parent has no rmse at all.
    assert.deepEqual(byRmse, ['elasticnet-a0.1-l0.2', 'child-a0.2', 'elasticnet-a0.5-l0.5', 'child-a0.8', 'elasticnet-a1.0-diverged', 'sweep-parent']);
    const byRmseDesc = names(await allRuns({ orderBy: ['metrics.rmse DESC'] }));
    assert.deepEqual(byRmseDesc, ['elasticnet-a1.0-diverged', 'child-a0.8', 'elasticnet-a0.5-l0.5', 'child-a0.2', 'elasticnet-a0.1-l0.2', 'sweep-parent']);
    const byAlpha = names(await allRuns({ orderBy: ['params.alpha DESC'] }));
    assert.deepEqual(byAlpha.slice(0, 2), ['elasticnet-a1.0-diverged', 'child-a0.8']);
  });

  const filters: Array<[string, string[]]> = [
    ['metrics.rmse < 0.8', ['child-a0.2', 'elasticnet-a0.1-l0.2']],
    ["params.alpha = '0.5'", ['elasticnet-a0.5-l0.5']],
    ["params.alpha != '0.5' AND metrics.r2 >= 0.2", ['child-a0.2', 'elasticnet-a0.1-l0.2']],
    ["params.alpha LIKE '0.%'", ['child-a0.8', 'child-a0.2', 'elasticnet-a0.5-l0.5', 'elasticnet-a0.1-l0.2']],
    ["tags.`mlflow.runName` ILIKE 'CHILD%'", ['child-a0.8', 'child-a0.2']],
    ["tags.`mlflow.runName` LIKE 'CHILD%'", []],
    ["attributes.run_name LIKE 'child-a0._'", ['child-a0.8', 'child-a0.2']],
    ['tags."dataset.version" = \'v2\'', ['elasticnet-a0.1-l0.2']],
    [`tags.mlflow.parentRunId = '${runId('sweep-parent')}'`, ['child-a0.8', 'child-a0.2']],
    ["attributes.status = 'FAILED'", ['elasticnet-a1.0-diverged']],
    ["attributes.run_name = 'sweep-parent'", ['sweep-parent']],
    ['attributes.start_time > 1718001200000 and metrics.rmse <= 0.866', ['child-a0.8', 'child-a0.2']],
    ['metrics.`train/loss` < 0.6', ['elasticnet-a0.1-l0.2']],
  ];
  for (const [filter, expected] of filters) {
    it(`filters: ${filter}`, async () => assert.deepEqual(names(await allRuns({ filter })), expected));
  }

  const invalid = [
    "params.alpha > '0.1'",
    "metrics.rmse < 'low'",
    "params.alpha = '0.1' OR params.alpha = '0.5'",
    "params.alpha IN ('0.1')",
    "attributes.colour = 'red'",
    "datasets.name = 'x'",
    'params.alpha = 0.1',
    'metrics.rmse <',
  ];
  for (const filter of invalid) {
    it(`refuses: ${filter}`, () => rejectsWith(store.searchRunsPage({ experimentIds: ['1'], filter }), 'invalidParameter'));
  }
  it('refuses a malformed order_by and an unknown experiment', async () => {
    await rejectsWith(store.searchRunsPage({ experimentIds: ['1'], orderBy: ['metrics.rmse UP'] }), 'invalidParameter');
    await rejectsWith(store.searchRunsPage({ experimentIds: ['99'] }), 'notFound');
  });

  it('returns nested runs with their parent tag', async () => {
    const child = await store.getRun(runId('child-a0.2'));
    assert.equal(child.data.tags.find((t) => t.key === 'mlflow.parentRunId')?.value, runId('sweep-parent'));
    assert.equal(child.info.status, 'FINISHED');
    assert.equal((await store.getRun(runId('elasticnet-a1.0-diverged'))).info.status, 'FAILED');
  });

  it('getRun answers the same DTO shape as the REST client for a recorded run', async () => {
    const recorded = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'mlflow-recorded', 'runs_get.json'), 'utf8'));
    const rest = n.run(recorded.body.run);
    const local = await store.getRun(runId('elasticnet-a0.1-l0.2'));
    // The file store reads no dataset inputs (yet): compare everything else, and the list type.
    assert.deepEqual(shape({ ...local, inputs: undefined }), shape({ ...rest, inputs: undefined }));
    assert.deepEqual(local.inputs, { dataset_inputs: [] });
    assert.deepEqual(local.data.params, [{ key: 'alpha', value: '0.1' }, { key: 'l1_ratio', value: '0.2' }]);
    assert.deepEqual(local.data.metrics.find((m) => m.key === 'rmse'), { key: 'rmse', value: 0.728, timestamp: 1718000004000, step: 3 });
    assert.equal(local.info.run_id, runId('elasticnet-a0.1-l0.2'));
    assert.equal(local.info.run_uuid, local.info.run_id);
    assert.equal(local.info.start_time, 1718000000000);
    assert.match(local.data.tags.find((t) => t.key === 'mlflow.note.content')!.value, /^## Sweep point/);
  });

  it('reads metric histories, nested metric keys and NaN', async () => {
    const history = await store.getMetricHistory(runId('elasticnet-a0.1-l0.2'), 'rmse');
    assert.deepEqual(history.map((p) => [p.step, p.value]), [[0, 0.91], [1, 0.82], [2, 0.76], [3, 0.728]]);
    assert.equal((await store.getMetricHistory(runId('elasticnet-a0.1-l0.2'), 'train/loss')).length, 3);
    assert.ok(Number.isNaN((await store.getMetricHistory(runId('elasticnet-a1.0-diverged'), 'rmse'))[1]!.value));
    assert.deepEqual(await store.getMetricHistory(runId('elasticnet-a0.1-l0.2'), 'nope'), []);
    assert.deepEqual(await store.getMetricHistory(runId('elasticnet-a0.1-l0.2'), '../params/alpha'), []);
    await rejectsWith(store.getRun('0123456789abcdef'), 'notFound');
    await rejectsWith(store.getRun('../1'), 'notFound');
  });
});
