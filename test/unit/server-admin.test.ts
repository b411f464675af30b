/** The admin API through the real rig: injected faults, the request log, swapping scenarios, auth. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { api, basicAuth } from '../servers/mlflow/test-client';
import { startRig, type Rig } from '../servers/rig';

const SEARCH = '/api/2.0/mlflow/experiments/search';

describe('admin API through nginx', () => {
  let rig: Rig;
  let auth: Record<string, string>;
  const search = () => api(rig.trackingUri, 'GET', `${SEARCH.slice(1)}?max_results=1`, undefined, auth);

  before(async () => {
    rig = await startRig({ scenario: 'recorded' });
    auth = basicAuth(rig.username, rig.password);
  });
  after(() => rig?.stop());
  beforeEach(async () => {
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
  });

  it('gives a random password per rig and the documented URLs', () => {
    assert.equal(rig.username, 'alice');
    assert.ok(rig.password.length >= 12);
    assert.match(rig.trackingUri, /^http:\/\/127\.0\.0\.1:\d+\/mlflow\/$/);
    assert.match(rig.directUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails the next `count` matching requests with the given status, then recovers', async () => {
    await rig.admin.faults({ pathPrefix: SEARCH, status: 503, count: 2, mode: 'status' });
    assert.equal((await search()).status, 503);
    const second = await search();
    assert.equal(second.status, 503);
    assert.equal(second.json.error_code, 'TEMPORARILY_UNAVAILABLE');
    assert.equal((await search()).status, 200);
  });

  it('only matches its path prefix', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow/runs/', status: 500, count: 1 });
    assert.equal((await search()).status, 200);
    const run = await api(rig.trackingUri, 'GET', 'api/2.0/mlflow/runs/get?run_id=fdc0413dbe594808a9e7f4ac1b68800c', undefined, auth);
    assert.equal(run.status, 500);
  });

  it('resets the connection (a network error, not a 502 page)', async () => {
    await rig.admin.faults({ pathPrefix: SEARCH, mode: 'reset', count: 1 });
    await assert.rejects(search());
    assert.equal((await search()).status, 200);
    const seen = await rig.admin.requests();
    assert.deepEqual(seen.map((r) => r.status), [0, 200]);
  });

  it('answers a login-like HTML page with 200', async () => {
    await rig.admin.faults({ pathPrefix: SEARCH, mode: 'html', count: 1 });
    const r = await search();
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^text\/html/);
    assert.match(r.json.text as string, /Sign in/);
  });

  it('delays then answers normally', async () => {
    await rig.admin.faults({ pathPrefix: SEARCH, mode: 'delay', delayMs: 400, count: 1 });
    const t = Date.now();
    const r = await search();
    assert.ok(Date.now() - t >= 380, 'delayed');
    assert.equal(r.status, 200);
    assert.equal(r.json.experiments.length, 1);
  });

  it('logs requests without header values; nginx-rejected ones never reach the server', async () => {
    await search();
    await api(rig.trackingUri, 'GET', 'api/2.0/mlflow/experiments/search', undefined, {});
    await api(rig.directUrl, 'GET', 'api/2.0/mlflow/experiments/get?experiment_id=1');
    const seen = await rig.admin.requests();
    assert.deepEqual(seen, [
      { method: 'GET', path: SEARCH, query: 'max_results=1', status: 200, hasAuthorization: true },
      { method: 'GET', path: '/api/2.0/mlflow/experiments/get', query: 'experiment_id=1', status: 200, hasAuthorization: false },
    ]);
    assert.ok(!JSON.stringify(seen).includes(rig.password));
  });

  it('rejects a missing or wrong password at nginx with a Basic challenge', async () => {
    const none = await fetch(`${rig.trackingUri}health`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Basic realm="MLflow"');
    const wrong = await fetch(`${rig.trackingUri}health`, { headers: basicAuth(rig.username, 'nope') });
    assert.equal(wrong.status, 401);
  });

  it('replaces the scenario with generated data and back', async () => {
    await rig.admin.loadScenario({ generate: { experiments: 12 } });
    const gen = await api(rig.trackingUri, 'GET', 'api/2.0/mlflow/experiments/search', undefined, auth);
    assert.equal(gen.json.experiments.length, 12);
    await rig.admin.loadScenario('recorded');
    const back = await api(rig.trackingUri, 'GET', 'api/2.0/mlflow/experiments/search', undefined, auth);
    assert.deepEqual(back.json.experiments.map((e: { name: string }) => e.name), ['llm-finetune', 'wine-quality', 'Default']);
    const png = await fetch(`${rig.trackingUri}get-artifact?run_uuid=fdc0413dbe594808a9e7f4ac1b68800c&path=plots/coefficients.png`, { headers: auth });
    assert.equal((await png.arrayBuffer()).byteLength, 19534);
  });
});
