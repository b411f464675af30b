// How long the export waits for a file's first byte. The MLflow server reads a whole file from
// its artifact store before it answers, so a large file on a slow store answers late: the wait
// is the export's own (default 5 minutes), not the client's request timeout, and when it runs
// out the file is not asked for again (each request would make the server start over).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { exportModelVersion, isExportError } from '../../src/core/export';
import { MlflowClient } from '../../src/core/mlflow';
import { startRig, type Rig } from '../servers/rig';
import { WINE } from './helpers/exportFixtures';

let rig: Rig;
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-timeout-'));
const MODEL_PKL = `/api/2.0/mlflow-artifacts/artifacts/${WINE.experiment}/${WINE.run}/artifacts/model/model.pkl`;

const CLI = path.resolve(__dirname, '../../src/cli/mlwfExport.ts');

/** mlwf-export with these arguments and the rig's credentials: exit code and stderr. */
function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MLFLOW_') && !k.startsWith('AWS_')));
    const env = { ...clean, MLFLOW_TRACKING_USERNAME: rig.username, MLFLOW_TRACKING_PASSWORD: rig.password };
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, `--model-registry-url=${rig.trackingUri}`, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A client whose REST calls give up after 1 s (the setting mlwf.requestTimeoutSeconds). */
const client = () =>
  new MlflowClient({
    trackingUri: rig.trackingUri,
    auth: { kind: 'basic', username: rig.username, password: rig.password },
    timeoutMs: 1000,
    retry: { limit: 3, backoff: { initialDelayMs: 10, maxDelayMs: 50 } },
  });

describe('export: the wait for a file to start', () => {
  before(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
  });
  after(async () => {
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('a file the server takes longer than the request timeout to start still arrives, in one request', async () => {
    // Every answer for model.pkl starts 2.5 s late: longer than the 1 s request timeout.
    await rig.admin.faults({ pathPrefix: MODEL_PKL, mode: 'delay', delayMs: 2500, count: 10 });
    const out = await fs.mkdtemp(path.join(root, 'slow-'));
    const result = await exportModelVersion({ client: client(), name: WINE.name, version: WINE.version, outputDir: out, responseTimeoutMs: 10_000 });
    const pkl = await fs.stat(path.join(result.folder, 'artifacts', 'model.pkl'));
    assert.ok(pkl.size > 0);
    const asked = (await rig.admin.requests()).filter((r) => r.path === MODEL_PKL);
    assert.equal(asked.length, 1, 'asked once');
  });

  it('when the wait runs out: one sentence naming the file and the seconds, no retry, nothing left behind', async () => {
    await rig.admin.faults({ pathPrefix: MODEL_PKL, mode: 'delay', delayMs: 4000, count: 10 });
    const out = await fs.mkdtemp(path.join(root, 'late-'));
    const started = Date.now();
    const error = await exportModelVersion({ client: client(), name: WINE.name, version: WINE.version, outputDir: out, responseTimeoutMs: 1500 }).then(
      () => assert.fail('the export should stop'),
      (e: unknown) => e,
    );
    assert.ok(isExportError(error), String(error));
    assert.equal(error.kind, 'responseTimeout');
    assert.match(error.userMessage, /^The server did not start sending model\.pkl within 2 s \(it reads a whole file from its artifact store before answering, which takes longer for a large file on a slow store\); nothing was left behind\.$/);
    assert.ok(Date.now() - started < 4000, `stopped after the 1.5 s wait (${Date.now() - started} ms), not after retries`);
    const asked = (await rig.admin.requests()).filter((r) => r.path === MODEL_PKL);
    assert.equal(asked.length, 1, 'not asked again');
    assert.deepEqual(await fs.readdir(out), [], 'no partial folder');
  });

  it('mlwf-export --response-timeout: the same wait and sentence from a shell (exit 1), and a bad value is a usage error (exit 2)', async () => {
    await rig.admin.faults({ pathPrefix: MODEL_PKL, mode: 'delay', delayMs: 4000, count: 10 });
    const out = await fs.mkdtemp(path.join(root, 'cli-'));
    const late = await cli(['--model-name', WINE.name, '--model-version', WINE.version, '--output', out, '--response-timeout', '1', '--quiet']);
    assert.equal(late.code, 1, late.stderr);
    assert.match(late.stderr, /^mlwf-export: The server did not start sending model\.pkl within 1 s .*; nothing was left behind\.$/m);
    assert.deepEqual(await fs.readdir(out), []);
    const bad = await cli(['--model-name', WINE.name, '--model-version', WINE.version, '--response-timeout', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--response-timeout must be a whole number from 1 to 86400\./);
  });
});
