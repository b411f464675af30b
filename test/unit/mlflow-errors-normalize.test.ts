import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { asWriteError, isMlflowError, MlflowError, notJsonMessage } from '../../src/core/mlflow';
import { errorFromResponse, networkError } from '../../src/core/mlflow/errors';
import * as n from '../../src/core/mlflow/normalize';

// The recordings of a real MLflow 2.14.3 behind nginx, shared next to the repository.
const recordedDir = path.resolve(__dirname, '../fixtures/mlflow-recorded') // copied from the recordings: CI has no shared/ folder;


interface Recording {
  status: number;
  content_type: string;
  body?: unknown;
  body_text?: string;
}
function recording(name: string): Recording {
  return JSON.parse(readFileSync(path.join(recordedDir, `${name}.json`), 'utf8')) as Recording;
}
function errorOf(name: string, hadCredentials = true): MlflowError {
  const r = recording(name);
  return errorFromResponse({
    status: r.status,
    contentType: r.content_type,
    bodyText: r.body_text ?? JSON.stringify(r.body),
    hadCredentials,
  });
}

describe('error mapping of recorded real-server answers', () => {
  it('nginx HTML 401 (wrong password / no auth) is an auth error, worded for each case', () => {
    const wrong = errorOf('error_wrong_password', true);
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.status, 401);
    assert.match(wrong.userMessage, /rejected the user name or password/);
    const none = errorOf('error_no_auth', false);
    assert.equal(none.kind, 'auth');
    assert.match(none.userMessage, /requires a sign-in/);
  });
  it('RESOURCE_DOES_NOT_EXIST is notFound with the MLflow message', () => {
    for (const name of ['error_unknown_run_id', 'error_unknown_experiment_id', 'error_unknown_model_name', 'error_unknown_model_version']) {
      const e = errorOf(name);
      assert.equal(e.kind, 'notFound', name);
      assert.equal(e.errorCode, 'RESOURCE_DOES_NOT_EXIST');
      assert.equal(e.userMessage, `${(recording(name).body as { message: string }).message}.`);
    }
  });
  it('INVALID_PARAMETER_VALUE is invalidParameter carrying the MLflow message', () => {
    const e = errorOf('error_bad_filter_runs');
    assert.equal(e.kind, 'invalidParameter');
    assert.equal(e.errorCode, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.serverMessage, "Invalid comparator '<<<' not one of '{'<', '<=', '>', '!=', '>=', '='}");
    assert.match(e.userMessage, /^MLflow rejected the request: Invalid comparator '<<<'/);
    assert.equal(errorOf('error_unknown_alias').kind, 'invalidParameter');
    assert.equal(errorOf('error_bad_page_token').kind, 'invalidParameter');
  });
  it('Flask HTML 404/405 means the URL is wrong', () => {
    for (const name of ['error_unknown_endpoint', 'error_runs_search_via_get_405', 'error_wrong_method']) {
      const e = errorOf(name);
      assert.equal(e.kind, 'notFound', name);
      assert.match(e.userMessage, /tracking URL is probably wrong/);
      assert.equal(e.errorCode, undefined);
    }
  });
  it('500 INTERNAL_ERROR (missing proxied artifact) is a server error with the first line of the message', () => {
    const e = errorOf('mlflow_artifacts_download_missing_500');
    assert.equal(e.kind, 'server');
    assert.equal(e.errorCode, 'INTERNAL_ERROR');
    assert.ok(!e.userMessage.includes('\n'));
  });
});

describe('error mapping (synthetic)', () => {
  const ctx = { contentType: 'text/html', bodyText: '<html>x</html>', hadCredentials: true };
  it('maps statuses when the body is not MLflow JSON', () => {
    assert.equal(errorFromResponse({ ...ctx, status: 403 }).kind, 'forbidden');
    assert.equal(errorFromResponse({ ...ctx, status: 502 }).kind, 'server');
    assert.equal(errorFromResponse({ ...ctx, status: 429 }).kind, 'server');
    assert.equal(errorFromResponse({ ...ctx, status: 400 }).kind, 'invalidParameter');
  });
  it('a JSON 403 PERMISSION_DENIED from MLflow auth keeps the server message', () => {
    const e = errorFromResponse({ status: 403, contentType: 'application/json', bodyText: '{"error_code":"PERMISSION_DENIED","message":"Permission denied"}', hadCredentials: true });
    assert.equal(e.kind, 'forbidden');
    assert.equal(e.serverMessage, 'Permission denied');
  });
  it("MLflow's auth app's plain-text 403 is kept; a proxy's HTML 403 is not", () => {
    // What `mlflow server --app-name basic-auth` (2.14.3 and 3.6) answers a user without the right.
    const denied = errorFromResponse({ status: 403, contentType: 'text/html; charset=utf-8', bodyText: 'Permission denied', hadCredentials: true });
    assert.equal(denied.kind, 'forbidden');
    assert.equal(denied.serverMessage, 'Permission denied');
    assert.match((asWriteError(denied) as Error & { userMessage: string }).userMessage, /your account has no permission to change this/);
    const proxy = errorFromResponse({ status: 403, contentType: 'text/html', bodyText: '<html><body><h1>403 Forbidden</h1></body></html>', hadCredentials: true });
    assert.equal(proxy.serverMessage, undefined);
    assert.match((asWriteError(proxy) as Error & { userMessage: string }).userMessage, /it refused the change \(HTTP 403\)/);
  });
  it('network errors are classified by the socket code inside fetch\'s TypeError', () => {
    const wrap = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
    assert.match(networkError(wrap('ECONNREFUSED')).userMessage, /connection refused/);
    assert.match(networkError(wrap('ENOTFOUND')).userMessage, /could not be resolved/);
    assert.match(networkError(wrap('ECONNRESET')).userMessage, /closed unexpectedly/);
    assert.match(networkError(wrap('DEPTH_ZERO_SELF_SIGNED_CERT')).userMessage, /TLS certificate/);
    assert.equal(networkError(wrap('ECONNREFUSED')).kind, 'network');
  });
  it('isMlflowError and the log message carry details but userMessage stays one sentence', () => {
    const e = errorFromResponse({ status: 404, contentType: 'application/json', bodyText: '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run x not found"}', hadCredentials: true, request: 'GET /mlflow/api/2.0/mlflow/runs/get?run_id=x' });
    assert.ok(isMlflowError(e));
    assert.ok(!isMlflowError(new Error('x')));
    assert.match(e.message, /GET \/mlflow\/api\/2.0\/mlflow\/runs\/get\?run_id=x \| HTTP 404 \| RESOURCE_DOES_NOT_EXIST/);
    assert.equal(e.userMessage, 'Run x not found.');
    assert.match(notJsonMessage(), /web page instead of MLflow data/);
  });
});

describe('normalisation', () => {
  it('keeps recorded objects as they are (names and values)', () => {
    const body = recording('runs_get').body as { run: unknown };
    const run = n.run(body.run);
    const raw = body.run as { info: Record<string, unknown>; data: { metrics: unknown[]; params: unknown[]; tags: unknown[] } };
    assert.deepEqual(run.data.metrics, raw.data.metrics);
    assert.deepEqual(run.data.params, raw.data.params);
    assert.deepEqual(run.data.tags, raw.data.tags);
    for (const [key, value] of Object.entries(raw.info)) {
      assert.deepEqual((run.info as unknown as Record<string, unknown>)[key], value, key);
    }
    const mv = (recording('model_versions_get').body as { model_version: unknown }).model_version;
    assert.deepEqual(n.modelVersion(mv), { ...(mv as object), user_id: undefined, status_message: undefined });
  });
  it('fills omitted lists with [] and parses int64 strings', () => {
    const empty = n.artifactListing(recording('artifacts_list_empty_run').body);
    assert.deepEqual(empty.files, []);
    const searched = (recording('model_versions_search_page1').body as { model_versions: unknown[] }).model_versions;
    assert.deepEqual(n.modelVersion(searched[0]).aliases, [], 'search results carry no aliases');
    const run = n.run({ info: { run_uuid: 'abc', start_time: '1794481697357' }, data: { metrics: [{ key: 'm', value: 'NaN', timestamp: '5', step: '7' }] } });
    assert.equal(run.info.run_id, 'abc');
    assert.equal(run.info.start_time, 1794481697357);
    assert.equal(run.info.end_time, undefined);
    assert.deepEqual(run.data.params, []);
    assert.deepEqual(run.data.tags, []);
    assert.deepEqual(run.inputs.dataset_inputs, []);
    assert.ok(Number.isNaN(run.data.metrics[0]!.value));
    assert.equal(run.data.metrics[0]!.step, 7);
    assert.equal(n.metric({ key: 'x', value: 'Infinity', timestamp: 1, step: 0 }).value, Number.POSITIVE_INFINITY);
    assert.equal(n.pageToken({}), undefined);
    assert.equal(n.pageToken({ next_page_token: '' }), undefined);
  });
  it('registered models keep latest_versions, tags and aliases', () => {
    const rm = n.registeredModel((recording('registered_models_get').body as { registered_model: unknown }).registered_model);
    assert.deepEqual(rm.aliases, [{ alias: 'challenger', version: '2' }, { alias: 'champion', version: '1' }]);
    assert.equal(rm.latest_versions.length, 4);
    assert.deepEqual(rm.latest_versions[0]!.aliases, []);
  });
});
