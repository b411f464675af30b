// Export from the tracking server's proxied store (mlflow-artifacts:), through the real nginx with
// Basic auth and the /mlflow/ prefix: byte-identical artifacts/, info.yaml from MLflow's data, an
// archive three unpackers agree on; a traversal path, a permanent failure and a cancel leave nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { exportModelVersion, ExportError, findPlaceholders, type ExportProgress } from '../../src/core/export';
import { validateInfoYaml } from '../../src/core/infoYaml';
import { startRig, type Rig } from '../servers/rig';
import { assertSameTree, entriesIn, LLM, proxiedTree, readTree, rigClient, unpackThreeWays, WINE } from './helpers/exportFixtures';

let rig: Rig;
let out: string;
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-'));

async function failure(p: Promise<unknown>): Promise<ExportError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ExportError, `expected ExportError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the export to fail');
}

describe('export from mlflow-artifacts: through nginx', () => {
  before(async () => {
    rig = await startRig();
  });
  after(async () => {
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    out = await fs.mkdtemp(path.join(root, 'out-'));
    await rig.admin.clearFaults();
  });

  it('exports the wine sklearn model: identical files, info.yaml, an archive GNU tar, tarfile and npm tar agree on', async () => {
    const expected = await proxiedTree(rig, `${WINE.experiment}/${WINE.run}/artifacts/model`);
    assert.ok(expected.has('MLmodel') && expected.has('model.pkl') && expected.has('conda.yaml'));
    const events: ExportProgress[] = [];
    const result = await exportModelVersion({
      client: rigClient(rig),
      name: WINE.name,
      version: WINE.version,
      outputDir: out,
      onProgress: (p) => events.push(p),
      now: () => new Date(2026, 0, 2, 3, 4, 5),
    });
    assert.equal(path.basename(result.folder), 'MLWFExportModel_20260102030405');
    assert.equal(result.route, 'mlflow-artifacts');
    assert.deepEqual(await entriesIn(out), ['MLWFExportModel_20260102030405']);
    assert.deepEqual(await entriesIn(result.folder), ['artifacts', 'info.yaml', 'model.tar.gz']);
    assertSameTree(await readTree(path.join(result.folder, 'artifacts')), expected, 'artifacts/');

    const unpacked = await unpackThreeWays(result.archive);
    assertSameTree(unpacked.gnu, expected, 'GNU tar');
    assertSameTree(unpacked.python, expected, 'Python tarfile');
    assertSameTree(unpacked.npm, expected, 'npm tar');
    assert.ok(unpacked.entries.every((e) => e === 'artifacts/' || e.startsWith('artifacts/')), unpacked.entries.join(','));

    const info = yaml.load(await fs.readFile(result.infoYaml, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(info.Name, WINE.name);
    assert.equal(info.Version, '1');
    assert.deepEqual(info.Keywords.slice(0, 3), ['MLflow', 'python_function', 'sklearn']);
    assert.equal(info.Distribution.EncodingFormat, 'MLflow Model (tar.gz)');
    assert.match(info.DateCreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(info.AdditionalInfo, /\| alpha \| /);
    assert.match(info.AdditionalInfo, /\| rmse \| /);
    assert.match(info.AdditionalInfo, /Python 3\.11\.2/);
    assert.match(info.AdditionalInfo, /MLflow 2\.14\.3/);
    assert.match(info.AdditionalInfo, /wine-quality/);
    assert.match(info.AdditionalInfo, /Input example: `input_example.json`/);
    assert.ok(findPlaceholders(info).includes('License.Name'));

    const downloading = events.filter((e) => e.phase === 'downloading');
    const last = downloading[downloading.length - 1]!;
    assert.equal(last.filesTotal, expected.size);
    assert.ok(events.some((e) => e.phase === 'archiving'));
  });

  it('exports the LLM pyfunc model by alias, nested weight folders included', async () => {
    const expected = await proxiedTree(rig, `${LLM.experiment}/${LLM.run}/artifacts/model`);
    assert.ok(expected.has('artifacts/weights/adapter_model.bin'), [...expected.keys()].join(','));
    const result = await exportModelVersion({ client: rigClient(rig), name: LLM.name, alias: 'production', outputDir: out, concurrency: 2 });
    assert.equal(result.version.version, LLM.version);
    assertSameTree(await readTree(path.join(result.folder, 'artifacts')), expected, 'artifacts/');
    const unpacked = await unpackThreeWays(result.archive);
    assertSameTree(unpacked.gnu, expected, 'GNU tar');
    assertSameTree(unpacked.python, expected, 'Python tarfile');
    assertSameTree(unpacked.npm, expected, 'npm tar');
  });

  it('info.yaml of both examples validates except for the deliberately marked placeholders', async () => {
    for (const [model, ask] of [
      [WINE.name, { version: '1' }],
      [LLM.name, { alias: 'production' }],
    ] as const) {
      const result = await exportModelVersion({ client: rigClient(rig), name: model, ...ask, outputDir: out });
      const text = await fs.readFile(path.join(result.folder, 'info.yaml'), 'utf8');
      const problems = validateInfoYaml(text);
      const placeholders = findPlaceholders(yaml.load(text));
      assert.ok(placeholders.length > 0, `${model}: the export leaves placeholders for a person to fill`);
      // Every problem is a placeholder still to fill, on one of the placeholders' fields.
      const others = problems.filter((p) => p.code !== 'placeholder-not-filled');
      assert.deepEqual(others.map((p) => `${p.code} at ${p.field.join('.')}: ${p.message}`), [], `${model}: only placeholders are reported`);
      assert.deepEqual(
        problems.map((p) => p.field.join('.')).sort(),
        placeholders.map((at) => at.split('.').filter((k) => !/^\d+$/.test(k)).join('.')).sort(),
        `${model}: one "not filled" problem per placeholder`,
      );
      // Filling them in (as a person would) leaves a file ABCI Datasets accepts.
      const filled = text
        .replace(/"<<FILL IN: the URL of model\.tar\.gz[^"]*"/, '"https://example-bucket.s3.v3.abci.ai/models/model.tar.gz"')
        .replace(/"<<FILL IN: a contact e-mail[^"]*"/, 'alice@example.org')
        .replace(/"<<FILL IN: a licence name[^"]*"/, 'MIT License')
        .replace(/"<<FILL IN: describe the model[^"]*"/, '"A model exported from MLflow for the tests, with a description longer than fifty characters."')
        .replace(/"<<FILL IN: your organisation[^"]*"/, 'AIST');
      assert.deepEqual(validateInfoYaml(filled).map((p) => `${p.code} at ${p.field.join('.')}`), [], `${model}: valid once filled in`);
    }
  });

  it('never overwrites: a folder of the same name already there gets a suffix and stays untouched', async () => {
    const now = () => new Date(2026, 4, 6, 7, 8, 9);
    await fs.mkdir(path.join(out, 'MLWFExportModel_20260506070809'));
    await fs.writeFile(path.join(out, 'MLWFExportModel_20260506070809', 'mine.txt'), 'keep me');
    const result = await exportModelVersion({ client: rigClient(rig), name: WINE.name, version: '2', outputDir: out, now });
    assert.equal(path.basename(result.folder), 'MLWFExportModel_20260506070809_2');
    assert.deepEqual(await entriesIn(path.join(out, 'MLWFExportModel_20260506070809')), ['mine.txt']);
  });

  it('refuses a listing whose path escapes the folder, and leaves nothing behind', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow-artifacts/artifacts', mode: 'json', count: 1, body: { files: [{ path: '../../../escape.txt', is_dir: false, file_size: 4 }] } });
    const error = await failure(exportModelVersion({ client: rigClient(rig), name: WINE.name, version: '1', outputDir: out }));
    assert.equal(error.kind, 'unsafePath');
    assert.match(error.userMessage, /"\.\.\/\.\.\/\.\.\/escape\.txt".*escape the export folder.*nothing was left behind\.$/);
    assert.deepEqual(await entriesIn(out), []);
    assert.equal(existsSync(path.join(root, 'escape.txt')), false);
  });

  it('refuses an absolute path from the listing too', async () => {
    await rig.admin.faults({ pathPrefix: '/api/2.0/mlflow-artifacts/artifacts', mode: 'json', count: 1, body: { files: [{ path: '/etc/passwd', is_dir: false, file_size: 4 }] } });
    const error = await failure(exportModelVersion({ client: rigClient(rig), name: WINE.name, version: '1', outputDir: out }));
    assert.equal(error.kind, 'unsafePath');
    assert.deepEqual(await entriesIn(out), []);
  });

  it('a file that keeps failing stops the export with one sentence and removes the unfinished folder', async () => {
    const file = `/api/2.0/mlflow-artifacts/artifacts/${WINE.experiment}/${WINE.run}/artifacts/model/model.pkl`;
    await rig.admin.faults({ pathPrefix: file, status: 503, count: 1000 });
    const error = await failure(exportModelVersion({ client: rigClient(rig), name: WINE.name, version: '1', outputDir: out }));
    assert.equal(error.kind, 'mlflow');
    assert.match(error.userMessage, /nothing was left behind\.$/);
    assert.equal(error.userMessage.split('. ').length, 1, error.userMessage);
    assert.deepEqual(await entriesIn(out), []);
    const seen = (await rig.admin.requests()).filter((r) => r.path === file);
    assert.ok(seen.length >= 2, `retried before giving up (${seen.length} attempts)`);
  });

  it('cancel in the middle of the downloads stops at once and leaves nothing behind', async () => {
    // One weights file answers slowly, so the export is surely mid-download when Cancel comes.
    await rig.admin.faults({ pathPrefix: `/api/2.0/mlflow-artifacts/artifacts/${LLM.experiment}/${LLM.run}/artifacts/model/artifacts/weights/adapter_model.bin`, mode: 'delay', delayMs: 5000, count: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = exportModelVersion({
      client: rigClient(rig),
      name: LLM.name,
      version: LLM.version,
      outputDir: out,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading' && p.filesDone >= 1) controller.abort();
      },
    });
    const error = await failure(pending);
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.userMessage, 'The export was cancelled and nothing was left behind.');
    assert.ok(Date.now() - started < 4000, `stopped at once (${Date.now() - started} ms)`);
    assert.deepEqual(await entriesIn(out), []);
  });

  it('runs:/ and models:/ sources are followed through the server to the files', async () => {
    const expected = await proxiedTree(rig, `${WINE.experiment}/${WINE.run}/artifacts/model`);
    const version = (v: string, source: string) => ({ version: v, creation_timestamp: 1795345697894, source, run_id: WINE.run });
    const file = path.join(root, 'indirect.json');
    writeFileSync(file, JSON.stringify({
      include: ['recorded'],
      registeredModels: [{
        name: 'WineIndirect',
        creation_timestamp: 1795345697894,
        versions: [version('1', `runs:/${WINE.run}/model`), version('2', `models:/${WINE.name}/1`), version('3', `models:/${WINE.name}@champion`)],
      }],
    }));
    await rig.admin.loadScenario(file);
    try {
      for (const v of ['1', '2', '3']) {
        const result = await exportModelVersion({ client: rigClient(rig), name: 'WineIndirect', version: v, outputDir: out });
        assert.equal(result.route, 'mlflow-artifacts');
        assert.equal(result.sourceUri, `mlflow-artifacts:/${WINE.experiment}/${WINE.run}/artifacts/model`);
        assertSameTree(await readTree(path.join(result.folder, 'artifacts')), expected, `version ${v} artifacts/`);
      }
    } finally {
      await rig.admin.loadScenario('recorded');
    }
  });

  it('an unknown version is a clear error before anything is created', async () => {
    const error = await failure(exportModelVersion({ client: rigClient(rig), name: WINE.name, version: '999', outputDir: out }));
    assert.equal(error.kind, 'mlflow');
    assert.deepEqual(await entriesIn(out), []);
  });
});
