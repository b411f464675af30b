/**
 * The export's bulk download path (MlflowClient.open…Artifact on Node's http client, not fetch):
 * what it must keep from the ky path — Basic auth, the path prefix, ranges (sliced when the server
 * ignores Range), MLflow's error kinds and messages, the request log without credentials, the
 * timeout before the headers, cancel during the body, TLS settings — against local servers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MlflowClient, type MlflowClientOptions, type RequestLogEvent } from '../../src/core/mlflow';
import { failureOf } from './helpers/failureOf';
import { startFlakyServer, type FlakyServer, type StubAnswer } from './helpers/flaky-server';
import { haveOpenssl, makeSelfSignedCert } from '../servers/selfSignedTls';

const FILE = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
const PASSWORD = 'pa55-w0rd!';
const AUTH = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;

async function bytesOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function ranged(header: string | string[] | undefined): StubAnswer {
  const m = typeof header === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m) return { body: FILE, headers: { 'content-type': 'application/octet-stream' } };
  const [start, end] = [Number(m[1]), m[2] ? Number(m[2]) : FILE.length - 1];
  return { status: 206, body: FILE.subarray(start, end + 1), headers: { 'content-range': `bytes ${start}-${end}/${FILE.length}` } };
}

describe('bulk downloads (Node http client)', () => {
  let server: FlakyServer;
  let events: RequestLogEvent[];
  const client = (extra: Partial<MlflowClientOptions> = {}) =>
    new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: 'alice', password: PASSWORD }, timeoutMs: 2_000, onRequest: (e) => events.push(e), ...extra });

  before(async () => {
    server = await startFlakyServer({
      // Like nginx in front of MLflow: a wrong password gets its HTML 401 page.
      'GET /api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/blob.bin': ({ headers }) =>
        headers.authorization === AUTH ? ranged(headers.range) : { status: 401, body: '<html><body>401 Authorization Required</body></html>', headers: { 'content-type': 'text/html' } },
      // Like MLflow 2.14.3's mlflow-artifacts route: Range ignored, the whole file every time.
      'GET /model-versions/get-artifact': () => ({ body: FILE, headers: { 'content-type': 'application/octet-stream' } }),
    });
  });
  after(() => server.stop());
  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
    events = [];
  });

  it('the exact bytes, under the path prefix, with Basic auth, no content coding; the log never holds credentials', async () => {
    const download = await client().openMlflowArtifact('1/r/artifacts/blob.bin');
    assert.equal(download.status, 200);
    assert.ok((await bytesOf(download.body)).equals(FILE));
    const [request] = server.requests();
    assert.equal(request!.path, '/mlflow/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/blob.bin');
    assert.equal(request!.headers.authorization, AUTH);
    assert.equal(request!.headers['accept-encoding'], 'identity');
    assert.deepEqual(
      events.map((e) => [e.method, e.path, e.status]),
      [['GET', '/mlflow/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/blob.bin', 200]],
    );
    assert.ok(!JSON.stringify(events).includes(PASSWORD) && !JSON.stringify(events).includes(AUTH.slice(6)));
  });

  it('a range: 206 with its content-range from the server, or sliced here when the server ignores Range', async () => {
    const served = await client().openMlflowArtifact('1/r/artifacts/blob.bin', { range: { start: 1000 } });
    assert.equal(served.status, 206);
    assert.deepEqual(served.contentRange, { start: 1000, end: FILE.length - 1, total: FILE.length });
    assert.ok((await bytesOf(served.body)).equals(FILE.subarray(1000)));
    assert.equal(server.requests()[0]!.headers.range, 'bytes=1000-');

    const sliced = await client().openModelVersionArtifact('Model', '1', 'weights/blob.bin', { range: { start: 123_456 } });
    assert.equal(sliced.status, 206);
    assert.deepEqual(sliced.contentRange, { start: 123_456, end: FILE.length - 1, total: FILE.length });
    assert.ok((await bytesOf(sliced.body)).equals(FILE.subarray(123_456)));
    assert.match(server.requests()[1]!.query, /name=Model&version=1&path=weights%2Fblob\.bin/);
  });

  it('a wrong password, a missing file and a 503 are the MlflowErrors the ky path gives (one request each)', async () => {
    const wrong = await failureOf(client({ auth: { kind: 'basic', username: 'alice', password: 'nope' } }).openMlflowArtifact('1/r/artifacts/blob.bin'));
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.status, 401);
    const missing = await failureOf(client().openMlflowArtifact('1/r/artifacts/none.bin'));
    assert.equal(missing.kind, 'notFound');
    server.faults({ pathPrefix: '/api/2.0/mlflow-artifacts/', mode: 'status', status: 503, count: 1 });
    const busy = await failureOf(client().openMlflowArtifact('1/r/artifacts/blob.bin'));
    assert.equal(busy.kind, 'server');
    assert.equal(busy.status, 503);
    assert.match(busy.request ?? '', /^GET \/mlflow\/api\/2\.0\/mlflow-artifacts\/artifacts\/1\/r\/artifacts\/blob\.bin$/);
    assert.equal(server.requests().length, 3);
  });

  it('a server that does not answer within the timeout is a timeout error, soon', async () => {
    server.faults({ pathPrefix: '/api/2.0/mlflow-artifacts/', mode: 'delay', delayMs: 5_000 });
    const started = Date.now();
    const error = await failureOf(client({ timeoutMs: 300 }).openMlflowArtifact('1/r/artifacts/blob.bin'));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
  });

  it('an aborted signal sends nothing; nothing listening is a network error saying so', async () => {
    const cancelled = await failureOf(client().openMlflowArtifact('1/r/artifacts/blob.bin', { signal: AbortSignal.abort() }));
    assert.equal(cancelled.kind, 'cancelled');
    assert.equal(server.requests().length, 0);
    const closed = await startFlakyServer({});
    await closed.stop();
    const refused = await failureOf(client({ trackingUri: closed.trackingUri }).openMlflowArtifact('1/r/artifacts/blob.bin'));
    assert.equal(refused.kind, 'network');
    assert.match(refused.userMessage, /connection refused/);
    assert.match(events.at(-1)!.error ?? '', /ECONNREFUSED/);
  });
});

describe('bulk downloads: cancel mid-body and redirects', () => {
  let server: http.Server;
  let base = '';
  let other: http.Server;
  let otherBase = '';
  const seen: Array<{ url: string; authorization?: string }> = [];
  let bodyClosed: Promise<void> = Promise.resolve();

  before(async () => {
    other = http.createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      res.end('elsewhere');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    server = http.createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      if (req.url!.includes('moved')) {
        res.writeHead(302, { location: req.url!.includes('away') ? `${otherBase}/files/x` : '/mlflow/api/2.0/mlflow-artifacts/artifacts/here' });
        res.end();
        return;
      }
      if (req.url!.endsWith('/here')) {
        res.end('here');
        return;
      }
      // An endless slow body: 16 KiB every 10 ms until the client goes away.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(16384, 1)), 10);
      bodyClosed = new Promise((resolve) => res.once('close', () => (clearInterval(timer), resolve())));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mlflow/`;
  });
  after(async () => {
    server.closeAllConnections();
    other.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
  const client = () => new MlflowClient({ trackingUri: base, auth: { kind: 'basic', username: 'alice', password: PASSWORD } });

  it('cancel while the body streams: the body fails with the abort and the connection is closed', async () => {
    const controller = new AbortController();
    const download = await client().openMlflowArtifact('slow.bin', { signal: controller.signal });
    let received = 0;
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      (async () => {
        for await (const chunk of download.body) received += (chunk as Buffer).length;
      })(),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok(received > 0, 'some bytes arrived before the cancel');
    await bodyClosed; // the server saw the connection go (the test times out otherwise)
  });

  it('follows a redirect on the same server with the credentials, and drops them for another origin', async () => {
    seen.length = 0;
    assert.equal((await bytesOf((await client().openMlflowArtifact('moved')).body)).toString(), 'here');
    assert.equal((await bytesOf((await client().openMlflowArtifact('moved-away')).body)).toString(), 'elsewhere');
    assert.deepEqual(
      seen.map((s) => [s.url, s.authorization === AUTH]),
      [
        ['/mlflow/api/2.0/mlflow-artifacts/artifacts/moved', true],
        ['/mlflow/api/2.0/mlflow-artifacts/artifacts/here', true],
        ['/mlflow/api/2.0/mlflow-artifacts/artifacts/moved-away', true],
        ['/files/x', false],
      ],
    );
  });
});

describe('bulk downloads over TLS', () => {
  let dir: string;
  let server: https.Server | undefined;
  let uri = '';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlwf-bulk-tls-'));
    if (!haveOpenssl) return;
    const pems = makeSelfSignedCert(dir);
    server = https.createServer({ key: readFileSync(pems.key), cert: readFileSync(pems.cert) }, (_req, res) => res.end(FILE));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    uri = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mlflow/`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a self-signed server fails by default with the certificate message, works with insecure or with its CA', { skip: !haveOpenssl && 'openssl missing' }, async () => {
    const make = (tls?: { insecure?: boolean; caCertPath?: string }) => new MlflowClient({ trackingUri: uri, auth: { kind: 'none' }, tls });
    const error = await failureOf(make().openMlflowArtifact('a/b.bin'));
    assert.equal(error.kind, 'network');
    assert.match(error.userMessage, /TLS certificate/);
    for (const client of [make({ insecure: true }), make({ caCertPath: path.join(dir, 'cert.pem') })]) {
      assert.ok((await bytesOf((await client.openMlflowArtifact('a/b.bin')).body)).equals(FILE));
      await client.dispose();
    }
  });
});
