/**
 * Transport behaviour of the MLflow client (retries, cancel, timeout, errors, logging, TLS,
 * ranges) against a local stub with the rig's fault controls: fast and deterministic.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MlflowClient, MlflowError, type MlflowClientOptions, type RequestLogEvent } from '../../src/core/mlflow';
import { MlflowHttp } from '../../src/core/mlflow/http';
import { tlsConnectOptions } from '../../src/core/mlflow/transport';
import { startFlakyServer, type FlakyServer, type StubAnswer } from './helpers/flaky-server';
import { failureOf } from './helpers/failureOf';
import { haveOpenssl, makeSelfSignedCert } from '../servers/selfSignedTls';

const EXPERIMENT = { experiment_id: '1', name: 'wine-quality', artifact_location: 'mlflow-artifacts:/1', lifecycle_stage: 'active' };
const FILE = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

function rangeOf(header: string | string[] | undefined): [number, number] | undefined {
  const m = typeof header === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m) return undefined;
  return [Number(m[1]), m[2] ? Math.min(Number(m[2]), FILE.length - 1) : FILE.length - 1];
}


describe('MLflow client transport (local stub)', () => {
  let server: FlakyServer;
  let events: RequestLogEvent[];
  const password = 'pa55-w0rd!';

  const client = (extra: Partial<MlflowClientOptions> = {}) =>
    new MlflowClient({
      trackingUri: server.trackingUri,
      auth: { kind: 'basic', username: 'alice', password },
      timeoutMs: 2_000,
      retry: { limit: 3, backoff: { initialDelayMs: 5, maxDelayMs: 20 } },
      onRequest: (e) => events.push(e),
      ...extra,
    });

  before(async () => {
    server = await startFlakyServer({
      'GET /api/2.0/mlflow/experiments/get': () => ({ body: { experiment: EXPERIMENT } }),
      'GET /api/2.0/mlflow/experiments/search': () => ({ body: { experiments: [EXPERIMENT] } }),
      'POST /api/2.0/mlflow/runs/search': () => ({ body: {} }),
      'POST /api/2.0/mlflow/runs/create': () => ({ body: { run: {} } }),
      'GET /api/2.0/mlflow/runs/get': () => ({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Missing value for required parameter 'run_id'." },
      }),
      'GET /api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/blob.bin': ({ headers }): StubAnswer => {
        const range = rangeOf(headers.range);
        if (!range) return { body: FILE, headers: { 'content-type': 'application/octet-stream' } };
        return {
          status: 206,
          body: FILE.subarray(range[0], range[1] + 1),
          headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${range[0]}-${range[1]}/${FILE.length}` },
        };
      },
      // Like a server (or proxy) that ignores Range and always sends the whole file.
      'GET /get-artifact': () => ({ body: FILE, headers: { 'content-type': 'application/octet-stream' } }),
    });
  });
  after(() => server.stop());
  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
    events = [];
  });

  it('retries a GET after two 503s and succeeds; the server saw 3 requests', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 503, count: 2 });
    const experiment = await client().getExperiment('1');
    assert.equal(experiment.name, 'wine-quality');
    assert.equal(server.requests().length, 3);
    assert.deepEqual(events.map((e) => e.status), [503, 503, 200]);
    assert.ok(server.requests().every((r) => r.hasAuthorization));
  });

  it('retries read-only POSTs flagged idempotent (runs/search) and on 429 and connection resets', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/runs/search', mode: 'status', status: 429, count: 1 });
    server.faults({ pathPrefix: '/api/2.0/mlflow/runs/search', mode: 'reset', count: 1 });
    const page = await client().searchRunsPage({ experimentIds: ['1'] });
    assert.deepEqual(page.runs, []);
    assert.equal(server.requests().length, 3);
  });

  it('honours Retry-After', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 503, count: 1, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await client().getExperiment('1');
    assert.ok(Date.now() - started >= 900, `waited only ${Date.now() - started} ms`);
  });

  it('does not retry a non-idempotent call', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/runs/create', mode: 'status', status: 503, count: 2 });
    const http = new MlflowHttp({ trackingUri: server.trackingUri, auth: { kind: 'none' }, retry: { backoff: { initialDelayMs: 1 } } });
    const error = await failureOf(http.postJson('api/2.0/mlflow/runs/create', { experiment_id: '1' }, { idempotent: false }));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 503);
    assert.equal(server.requests().length, 1);
  });

  it('does not retry a 400 and keeps MLflow\'s message', async () => {
    const error = await failureOf(client().getRun(''));
    assert.equal(error.kind, 'invalidParameter');
    assert.equal(error.serverMessage, "Missing value for required parameter 'run_id'.");
    assert.equal(server.requests().length, 1);
  });

  it('does not retry a 500 that carries MLflow\'s error JSON (a considered answer, not a hiccup)', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'mlflowError', status: 500, count: 3 });
    const error = await failureOf(client().getExperiment('1'));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 500);
    assert.equal(error.serverMessage, 'Injected fault: HTTP 500');
    assert.equal(server.requests().length, 1);
  });

  it('retries a bare 500 page (a proxy or a crash) and succeeds', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 500, count: 2 });
    const experiment = await client().getExperiment('1');
    assert.equal(experiment.name, 'wine-quality');
    assert.equal(server.requests().length, 3);
  });

  it('gives up after the retry limit with a server error', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 502 });
    const error = await failureOf(client({ retry: { limit: 2, backoff: { initialDelayMs: 1 } } }).getExperiment('1'));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.equal(server.requests().length, 3);
  });

  it('cancels quickly while the server delays, without retrying', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'delay', delayMs: 5_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(client().getExperiment('1', { signal: controller.signal }));
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    assert.equal(server.requests().length, 1);
  });

  it('cancels during a retry backoff and sends nothing more', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'status', status: 503 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await failureOf(client({ retry: { limit: 3, backoff: { initialDelayMs: 3_000 } } }).getExperiment('1', { signal: controller.signal }));
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1_000);
    assert.equal(server.requests().length, 1);
  });

  it('an already-aborted signal sends no request', async () => {
    const error = await failureOf(client().getExperiment('1', { signal: AbortSignal.abort() }));
    assert.equal(error.kind, 'cancelled');
    assert.equal(server.requests().length, 0);
  });

  it('times out a silent server (and does not retry timeouts)', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/get', mode: 'delay', delayMs: 5_000 });
    const started = Date.now();
    const error = await failureOf(client({ timeoutMs: 300 }).getExperiment('1'));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    assert.equal(server.requests().length, 1);
  });

  it('a 200 web page (login page, wrong prefix) is notJson', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow/experiments/search', mode: 'html', count: 1 });
    const error = await failureOf(client().ping());
    assert.equal(error.kind, 'notJson');
    assert.match(error.userMessage, /web page instead of MLflow data/);
  });

  it('a wrong path prefix gives notFound saying the URL is probably wrong', async () => {
    const error = await failureOf(client({ trackingUri: server.trackingUri.replace('/mlflow/', '/wrong/') }).ping());
    assert.equal(error.kind, 'notFound');
    assert.match(error.userMessage, /tracking URL is probably wrong/);
  });

  it('connection refused is a network error, retried for idempotent calls', async () => {
    const closed = await startFlakyServer({});
    const uri = closed.trackingUri;
    await closed.stop();
    const error = await failureOf(client({ trackingUri: uri, retry: { limit: 2, backoff: { initialDelayMs: 1 } } }).ping());
    assert.equal(error.kind, 'network');
    assert.match(error.userMessage, /connection refused/);
    assert.equal(events.length, 3);
    assert.ok(events.every((e) => e.status === undefined && /ECONNREFUSED/.test(e.error ?? '')));
  });

  it('the request log has method, path with query, status and duration, and never credentials', async () => {
    await client().ping();
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event!.method, 'GET');
    assert.equal(event!.path, '/mlflow/api/2.0/mlflow/experiments/search?max_results=1');
    assert.equal(event!.status, 200);
    assert.ok(event!.durationMs >= 0);
    const logged = JSON.stringify(events);
    assert.ok(!logged.includes(password));
    assert.ok(!logged.includes(Buffer.from(`alice:${password}`).toString('base64')));
    assert.equal(server.requests()[0]!.headers.authorization, `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`);
  });

  it('downloads a byte range (206) with its content-range', async () => {
    const download = await client().downloadMlflowArtifact('1/r/artifacts/blob.bin', { range: { start: 100, end: 199 } });
    assert.equal(download.status, 206);
    assert.deepEqual(download.contentRange, { start: 100, end: 199, total: 1000 });
    assert.equal(server.requests()[0]!.headers.range, 'bytes=100-199');
    const bytes = Buffer.from(await new Response(download.body).arrayBuffer());
    assert.deepEqual(bytes, FILE.subarray(100, 200));
  });

  it('slices the range itself when the server ignores Range', async () => {
    const download = await client().downloadRunArtifact('r', 'model/blob.bin', { range: { start: 990 } });
    assert.equal(download.status, 206);
    assert.deepEqual(download.contentRange, { start: 990, end: 999, total: 1000 });
    const bytes = Buffer.from(await new Response(download.body).arrayBuffer());
    assert.deepEqual(bytes, FILE.subarray(990));
  });

  it('refuses artifact paths with .. before sending anything', async () => {
    const error = await failureOf(client().downloadMlflowArtifact('1/../../api/2.0/mlflow/x'));
    assert.equal(error.kind, 'invalidParameter');
    assert.equal(server.requests().length, 0);
  });
});

describe('TLS options', () => {
  let dir: string;
  let server: https.Server | undefined;
  let uri = '';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlwf-tls-'));
    if (!haveOpenssl) return;
    const pems = makeSelfSignedCert(dir);
    server = https.createServer({ key: readFileSync(pems.key), cert: readFileSync(pems.cert) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"experiments":[]}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    uri = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mlflow/`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('translates settings into undici connect options', () => {
    assert.equal(tlsConnectOptions(undefined), undefined);
    assert.equal(tlsConnectOptions({}), undefined);
    assert.deepEqual(tlsConnectOptions({ insecure: true, caCertPath: 'ignored' }), { rejectUnauthorized: false });
    const caFile = path.join(dir, 'ca-only.pem');
    writeFileSync(caFile, 'PEM');
    assert.deepEqual(tlsConnectOptions({ caCertPath: caFile }), { ca: 'PEM' });
    assert.throws(() => tlsConnectOptions({ caCertPath: path.join(dir, 'missing.pem') }), (e: unknown) => e instanceof MlflowError && /CA certificate file/.test(e.userMessage));
  });

  it('a self-signed server fails by default, works with insecure or with its CA', { skip: !haveOpenssl && 'openssl missing' }, async () => {
    const make = (tls?: { insecure?: boolean; caCertPath?: string }) =>
      new MlflowClient({ trackingUri: uri, auth: { kind: 'none' }, tls, retry: { limit: 0 } });
    const error = await failureOf(make().ping());
    assert.equal(error.kind, 'network');
    assert.match(error.userMessage, /TLS certificate/);
    for (const client of [make({ insecure: true }), make({ caCertPath: path.join(dir, 'cert.pem') })]) {
      await client.ping();
      await client.dispose();
    }
  });
});
