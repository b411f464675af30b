/**
 * The MLflow client against the project's real test rig: the test MLflow server behind Debian's
 * nginx with Basic auth at /mlflow/, fault injection through the rig's admin API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MlflowClient, type MlflowClientOptions } from '../../src/core/mlflow';
import { MlflowHttp } from '../../src/core/mlflow/http';
import * as n from '../../src/core/mlflow/normalize';
import { startRig, type Rig, type SeenRequest } from '../servers/rig';
import { failureOf } from './helpers/failureOf';

const recordedDir = path.resolve(__dirname, '../fixtures/mlflow-recorded') // copied from the recordings: CI has no shared/ folder;

function recordedBody(name: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(path.join(recordedDir, `${name}.json`), 'utf8')) as { body: Record<string, unknown> }).body;
}


/** Requests the MLflow server behind the proxy saw whose path contains `fragment`. */
async function seen(rig: Rig, fragment: string): Promise<SeenRequest[]> {
  return (await rig.admin.requests()).filter((r) => r.path.includes(fragment));
}

const WINE_RUN = 'fdc0413dbe594808a9e7f4ac1b68800c';
const LLM_RUN = '93f0d454e77045d0b23d7288681c1311';

describe('MLflow client against the rig (recorded scenario)', () => {
  let rig: Rig;
  const client = (extra: Partial<MlflowClientOptions> = {}) =>
    new MlflowClient({
      trackingUri: rig.trackingUri,
      auth: { kind: 'basic', username: rig.username, password: rig.password },
      timeoutMs: 5_000,
      retry: { limit: 3, backoff: { initialDelayMs: 10, maxDelayMs: 50 } },
      ...extra,
    });

  before(async () => {
    rig = await startRig({ scenario: 'recorded' });
  });
  after(() => rig?.stop());
  beforeEach(async () => {
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
  });

  it('pings with the right password', async () => {
    await client().ping();
  });

  it('the real nginx 401 (wrong password and no credentials) is an auth error', async () => {
    const wrong = await failureOf(client({ auth: { kind: 'basic', username: rig.username, password: `${rig.password}-wrong` } }).ping());
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.status, 401);
    assert.match(wrong.userMessage, /rejected the user name or password/);
    const none = await failureOf(client({ auth: { kind: 'none' } }).ping());
    assert.equal(none.kind, 'auth');
    assert.match(none.userMessage, /requires a sign-in/);
  });

  it('retries 503 twice then succeeds; MLflow saw 3 requests', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 503, count: 2 });
    const experiment = await client().getExperiment('1');
    assert.equal(experiment.name, 'wine-quality');
    assert.equal((await seen(rig, 'experiments/get')).length, 3);
  });

  it('does not retry a call that is not flagged idempotent', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/runs/search', mode: 'status', status: 503, count: 2 });
    const http = new MlflowHttp({ trackingUri: rig.trackingUri, auth: { kind: 'basic', username: rig.username, password: rig.password }, retry: { backoff: { initialDelayMs: 1 } } });
    const error = await failureOf(http.postJson('api/2.0/mlflow/runs/search', { experiment_ids: ['1'] }, { idempotent: false }));
    assert.equal(error.kind, 'server');
    assert.equal((await seen(rig, 'runs/search')).length, 1);
  });

  it('an invalid filter is invalidParameter with MLflow\'s message, not retried', async () => {
    const error = await failureOf(client().searchRunsPage({ experimentIds: ['1'], filter: 'metrics.rmse <<< 0.5' }));
    assert.equal(error.kind, 'invalidParameter');
    assert.equal(error.errorCode, 'INVALID_PARAMETER_VALUE');
    assert.match(error.serverMessage ?? '', /Invalid comparator '<<<'/);
    assert.equal((await seen(rig, 'runs/search')).length, 1);
  });

  it('an unknown run is notFound', async () => {
    const error = await failureOf(client().getRun('00000000000000000000000000000000'));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.status, 404);
    assert.match(error.userMessage, /not found/);
  });

  it('an html fault is notJson', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/experiments/search', mode: 'html', count: 1 });
    assert.equal((await failureOf(client().ping())).kind, 'notJson');
  });

  it('cancel during a delay fault is quick', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'delay', delayMs: 5_000, count: 1 });
    const started = Date.now();
    const error = await failureOf(client().getExperiment('1', { signal: AbortSignal.timeout(200) }));
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
  });

  it('a delay longer than the timeout is a timeout', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'delay', delayMs: 5_000, count: 1 });
    const error = await failureOf(client({ timeoutMs: 300 }).getExperiment('1'));
    assert.equal(error.kind, 'timeout');
  });

  it('a wrong path prefix is reported as a wrong URL or a web page, never as data', async () => {
    const error = await failureOf(client({ trackingUri: rig.trackingUri.replace(/mlflow\/?$/, 'nope/') }).ping());
    assert.ok(['notFound', 'notJson'].includes(error.kind), error.kind);
  });

  it('runs/get and model-versions/get match the recordings after normalisation', async () => {
    const c = client();
    assert.deepEqual(await c.getRun(WINE_RUN), n.run((recordedBody('runs_get') as { run: unknown }).run));
    const mv = await c.getModelVersion('ElasticnetWineModel', '1');
    assert.deepEqual(mv, n.modelVersion((recordedBody('model_versions_get') as { model_version: unknown }).model_version));
    assert.deepEqual(mv.aliases, ['champion']);
    assert.equal((await c.getModelVersionByAlias('ElasticnetWineModel', 'challenger')).version, '2');
    assert.equal(await c.getModelVersionDownloadUri('ElasticnetWineModel', '1'), `mlflow-artifacts:/1/${WINE_RUN}/artifacts/model`);
    const latest = await c.getLatestVersions('ElasticnetWineModel');
    assert.ok(latest.length > 0 && latest.every((v) => v.name === 'ElasticnetWineModel'));
    const model = await c.getRegisteredModel('ElasticnetWineModel');
    assert.deepEqual(model.aliases.map((a) => a.alias).sort(), ['challenger', 'champion']);
  });

  it('pages through experiments, runs, models and versions with small pages', async () => {
    const c = client();
    const experiments = [];
    for await (const e of c.iterateExperiments({ maxResults: 1, viewType: 'ALL' })) experiments.push(e.experiment_id);
    assert.deepEqual([...new Set(experiments)].sort(), ((recordedBody('experiments_search_view_all').experiments as Array<{ experiment_id: string }>).map((e) => e.experiment_id)).sort());
    const runs = [];
    for await (const r of c.iterateRuns({ experimentIds: ['1'], maxResults: 5, runViewType: 'ALL' })) runs.push(r.info.run_id);
    assert.equal(new Set(runs).size, runs.length);
    assert.ok(runs.includes(WINE_RUN));
    const versions = [];
    for await (const v of c.iterateModelVersions({ filter: "name='ElasticnetWineModel'", maxResults: 5 })) versions.push(v.version);
    assert.equal(new Set(versions).size, versions.length);
    assert.ok(versions.length >= 12, `only ${versions.length} versions`);
    const models = [];
    for await (const m of c.iterateRegisteredModels({ maxResults: 1 })) models.push(m.name);
    assert.ok(models.includes('ElasticnetWineModel') && models.includes('Cerebras-GPT-590M'));
  });

  it('metric history and bulk-interval samples (prefix kept on the ajax-api route)', async () => {
    const c = client();
    const history = await c.getMetricHistory(LLM_RUN, 'loss');
    assert.equal(history.length, 1000);
    const sampled = await c.getMetricHistoryBulkInterval({ runIds: [LLM_RUN], metricKey: 'loss', maxResults: 10, startStep: 100, endStep: 200 });
    const recorded = (recordedBody('ajax_get_history_bulk_interval_steps').metrics as Array<{ step: number }>).map((m) => m.step);
    assert.deepEqual(sampled.map((p) => p.step), recorded);
    assert.ok(sampled.every((p) => p.run_id === LLM_RUN && p.key === 'loss'));
    const whole = await c.getMetricHistoryBulkInterval({ runIds: [LLM_RUN], metricKey: 'loss', maxResults: 320 });
    assert.ok(whole.length <= 322 && whole.length > 100, `${whole.length} points`);
    assert.equal(whole[0]!.step, 0);
    assert.equal(whole.at(-1)!.step, 999);
    assert.ok((await seen(rig, '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval')).length >= 2);
  });

  it('lists artifacts recursively and downloads a byte range of a proxied artifact', async () => {
    const c = client();
    const entries = await c.listArtifactsRecursive(WINE_RUN, undefined, { concurrency: 3 });
    const files = entries.filter((e) => !e.is_dir).map((e) => e.path);
    assert.ok(files.includes('model/MLmodel') && files.includes('metrics.json'), files.join(', '));
    const configPath = `2/${LLM_RUN}/artifacts/model/artifacts/weights/config.json`;
    const whole = Buffer.from(await new Response((await c.downloadMlflowArtifact(configPath)).body).arrayBuffer());
    assert.deepEqual(JSON.parse(whole.toString('utf8')), recordedBody('mlflow_artifacts_download_llm_weights'));
    const part = await c.downloadMlflowArtifact(configPath, { range: { start: 5, end: 24 } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await new Response(part.body).arrayBuffer()), whole.subarray(5, 25));
    assert.equal(part.contentRange?.start, 5);
    assert.equal(part.contentRange?.end, 24);
  });
});

describe('MLflow client against the rig (thousands of generated items)', () => {
  let rig: Rig;
  const EXPERIMENTS = 2_500;
  const RUNS = 5_000;

  before(async () => {
    rig = await startRig({ generate: { experiments: EXPERIMENTS, runs: RUNS } });
  });
  after(() => rig?.stop());

  const client = () =>
    new MlflowClient({ trackingUri: rig.trackingUri, auth: { kind: 'basic', username: rig.username, password: rig.password }, timeoutMs: 30_000 });

  it(`iterates ${EXPERIMENTS} generated experiments, 200 per page, each once`, async () => {
    await rig.admin.clearRequests();
    const ids: string[] = [];
    let generated = 0;
    for await (const e of client().iterateExperiments({ maxResults: 200, viewType: 'ALL' })) {
      ids.push(e.experiment_id);
      if (e.name.startsWith('gen-exp-')) generated++;
    }
    assert.equal(generated, EXPERIMENTS);
    assert.equal(new Set(ids).size, ids.length, 'no experiment twice');
    assert.equal((await seen(rig, 'experiments/search')).length, Math.ceil(ids.length / 200));
  });

  it(`iterates ${RUNS} runs, 300 per page, each once, in as many requests as pages`, async () => {
    await rig.admin.clearRequests();
    const ids = new Set<string>();
    let count = 0;
    let deleted = 0;
    for await (const r of client().iterateRuns({ experimentIds: ['999'], maxResults: 300, runViewType: 'ALL' })) {
      ids.add(r.info.run_id);
      count++;
      if (r.info.lifecycle_stage === 'deleted') deleted++;
    }
    assert.equal(count, RUNS);
    assert.equal(ids.size, RUNS);
    assert.equal((await seen(rig, 'runs/search')).length, Math.ceil(RUNS / 300));
    // The default view hides deleted runs, exactly those.
    let active = 0;
    for await (const _run of client().iterateRuns({ experimentIds: ['999'], maxResults: 1000 })) active++;
    assert.ok(deleted > 0, 'the generator deletes some runs');
    assert.equal(active, RUNS - deleted);
  });

  it('stops paging when cancelled between pages', async () => {
    const controller = new AbortController();
    let count = 0;
    const error = await failureOf(
      (async () => {
        for await (const _run of client().iterateRuns({ experimentIds: ['999'], maxResults: 100 }, { signal: controller.signal })) {
          if (++count === 150) controller.abort();
        }
      })(),
    );
    assert.equal(error.kind, 'cancelled');
    assert.ok(count >= 150 && count <= 200, `${count} runs seen`);
  });
});
