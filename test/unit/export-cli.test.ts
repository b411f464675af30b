// The `mlwf-export` command line against the real rig: mlwf_export_model's flags and environment
// variables, the folder path on stdout, progress on stderr, and the documented exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startRig, type Rig } from '../servers/rig';
import { LLM, WINE, proxiedTree, readTree, assertSameTree } from './helpers/exportFixtures';

const CLI = path.resolve(__dirname, '../../src/cli/mlwfExport.ts');
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-cli-'));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MLFLOW_') && !k.startsWith('AWS_')));
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mlwf-export (CLI)', () => {
  let rig: Rig;
  let out: string;
  let auth: Record<string, string>;
  before(async () => {
    rig = await startRig();
    auth = { MLFLOW_TRACKING_USERNAME: rig.username, MLFLOW_TRACKING_PASSWORD: rig.password };
  });
  after(async () => {
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    out = await fs.mkdtemp(path.join(root, 'out-'));
    await rig.admin.clearFaults();
  });

  it('exports with mlwf_export_model flags and MLFLOW_TRACKING_* credentials: exit 0, the folder on stdout', async () => {
    const r = await run([`--model-registry-url=${rig.trackingUri}`, `--model-name=${WINE.name}`, '--model-version', WINE.version, '--output', out], auth);
    assert.equal(r.code, 0, r.stderr);
    const folder = r.stdout.trim();
    assert.match(path.basename(folder), /^MLWFExportModel_\d{14}$/);
    assert.equal(path.dirname(folder), out);
    assertSameTree(await readTree(path.join(folder, 'artifacts')), await proxiedTree(rig, `${WINE.experiment}/${WINE.run}/artifacts/model`), 'CLI artifacts/');
    assert.match(r.stderr, /^Downloading…$/m); // not a terminal: one line per phase, no \r
    assert.match(r.stderr, /^Exporting ElasticnetWineModel version 1 from /m); // the export's log line
    assert.ok(!r.stderr.includes('\r') && !r.stderr.includes('\x1b'), `no terminal control codes when stderr is not a terminal: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, /Exported ElasticnetWineModel version 1: 6 files/);
  });

  it('MLFLOW_TRACKING_URI and an alias work too', async () => {
    const r = await run(['--model-name', LLM.name, '--model-alias', 'production', '--output', out, '--quiet'], { ...auth, MLFLOW_TRACKING_URI: rig.trackingUri });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok((await fs.readdir(r.stdout.trim())).includes('model.tar.gz'));
  });

  it('exit 2 on a bad command line, with the usage', async () => {
    const r = await run(['--model-registry-url', rig.trackingUri, '--model-name', WINE.name], auth);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Give exactly one of --model-version and --model-alias\./);
    assert.match(r.stderr, /Exit codes: 0 exported/);
    const bad = await run(['--model-registry-url', rig.trackingUri, '--model-name', WINE.name, '--model-version', '1', '--compression-level', '11'], auth);
    assert.equal(bad.code, 2);
  });

  it('exit 3 when the server refuses the password; exit 1 for an unknown version; nothing written', async () => {
    const refused = await run(['--model-registry-url', rig.trackingUri, '--model-name', WINE.name, '--model-version', '1', '--output', out], { ...auth, MLFLOW_TRACKING_PASSWORD: 'wrong' });
    assert.equal(refused.code, 3, refused.stderr);
    assert.equal(refused.stderr.trim().split('\n').length, 2, refused.stderr); // "Resolving…" and the one-sentence error
    const unknown = await run(['--model-registry-url', rig.trackingUri, '--model-name', WINE.name, '--model-version', '999', '--output', out], auth);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^mlwf-export: .*nothing was left behind\.$/m);
    assert.deepEqual(await fs.readdir(out), []);
  });

  it('Ctrl+C in the middle of the download: exit 130 and nothing left behind', async () => {
    await rig.admin.faults({ pathPrefix: `/api/2.0/mlflow-artifacts/artifacts/${LLM.experiment}/${LLM.run}/artifacts/model/artifacts/weights/adapter_model.bin`, mode: 'delay', delayMs: 8000, count: 1 });
    let sent = false;
    const r = await run(['--model-registry-url', rig.trackingUri, '--model-name', LLM.name, '--model-version', LLM.version, '--output', out], auth, (text, kill) => {
      if (!sent && text.includes('Downloading…')) {
        sent = true;
        setTimeout(() => kill('SIGINT'), 300);
      }
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /mlwf-export: The export was cancelled and nothing was left behind\./);
    assert.deepEqual(await fs.readdir(out), []);
  });
});
