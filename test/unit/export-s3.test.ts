// Export from s3:// sources on a real S3-compatible server (moto), straight with keys and through
// the tracking server's get-artifact route without them; a local path and file: URI too; faults
// between the export and S3; and how S3 settings and credentials are found.
import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { exportModelVersion, ExportError } from '../../src/core/export';
import { createS3Client, hasS3Credentials } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { startFaultProxy, type FaultProxy } from '../servers/faultProxy';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';
import { startRig, type Rig } from '../servers/rig';
import { assertSameTree, entriesIn, LLM, proxiedTree, readTree, rigClient, seedS3, unpackThreeWays, WINE, writeTree, type Tree } from './helpers/exportFixtures';

const BUCKET = 'mlwf-models';
const S3_WINE_RUN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const S3_LLM_RUN = 'b1b2c3d4e5f60718293a4b5c6d7e8f90';
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-s3-'));
const motoBin = findMotoServer();

async function failure(p: Promise<unknown>): Promise<ExportError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ExportError, `expected ExportError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the export to fail');
}

/** A scenario with the recorded data plus models whose sources are on S3 and on local disk. */
function scenarioFile(endpoint: string, localDir: string): string {
  const run = (id: string) => ({ run_id: id, run_name: `s3-${id.slice(0, 4)}`, start_time: 1795345697894, params: { alpha: '0.5' }, metrics: { rmse: 0.71 }, tags: { 'mlflow.user': 'bob' } });
  const version = (source: string, runId?: string) => ({ version: '1', creation_timestamp: 1795345697894, source, run_id: runId });
  const scenario = {
    include: ['recorded'],
    s3: { endpoint },
    experiments: [{ experiment_id: '10', name: 's3-models', artifact_location: `s3://${BUCKET}/10`, runs: [run(S3_WINE_RUN), run(S3_LLM_RUN)] }],
    registeredModels: [
      { name: 'WineOnS3', creation_timestamp: 1795345697894, versions: [version(`s3://${BUCKET}/10/${S3_WINE_RUN}/artifacts/model`, S3_WINE_RUN)] },
      { name: 'LlmOnS3', creation_timestamp: 1795345697894, versions: [version(`s3://${BUCKET}/10/${S3_LLM_RUN}/artifacts/model`, S3_LLM_RUN)] },
      {
        name: 'WineOnDisk',
        creation_timestamp: 1795345697894,
        versions: [version(localDir), { ...version(pathToFileURL(localDir).href), version: '2' }],
      },
    ],
  };
  const file = path.join(root, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('export from s3://, the server route and local paths', { skip: motoBin ? false : MOTO_MISSING }, () => {
  let rig: Rig;
  let moto: MotoServer;
  let wine: Tree;
  let llm: Tree;
  let out: string;
  const s3Settings = (endpoint: string) => resolveS3Settings({ endpoint, region: 'us-east-1' }, {});
  const withKeys = (endpoint: string) => async () => createS3Client({ settings: s3Settings(endpoint), credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2 });
  const noKeys = async () => undefined;

  before(async () => {
    [rig, moto] = await Promise.all([startRig(), startMoto(motoBin)]);
    wine = await proxiedTree(rig, `${WINE.experiment}/${WINE.run}/artifacts/model`);
    llm = await proxiedTree(rig, `${LLM.experiment}/${LLM.run}/artifacts/model`);
    await seedS3(moto.endpoint, BUCKET, `10/${S3_WINE_RUN}/artifacts/model`, wine);
    await seedS3(moto.endpoint, BUCKET, `10/${S3_LLM_RUN}/artifacts/model`, llm);
    const localDir = path.join(root, 'shared-fs', 'wine-model');
    await writeTree(localDir, wine);
    await rig.admin.loadScenario(scenarioFile(moto.endpoint, localDir));
  });
  after(async () => {
    await Promise.all([rig?.stop(), moto?.stop()]);
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    out = await fs.mkdtemp(path.join(root, 'out-'));
  });

  it('s3:// with keys: straight from S3, identical files, archive unpacks identically', async () => {
    for (const [name, tree] of [['WineOnS3', wine], ['LlmOnS3', llm]] as const) {
      await rig.admin.clearRequests();
      const result = await exportModelVersion({ client: rigClient(rig), name, version: '1', outputDir: out, s3: withKeys(moto.endpoint) });
      assert.equal(result.route, 's3');
      assertSameTree(await readTree(path.join(result.folder, 'artifacts')), tree, `${name} artifacts/`);
      const unpacked = await unpackThreeWays(result.archive);
      assertSameTree(unpacked.python, tree, `${name} Python tarfile`);
      assertSameTree(unpacked.npm, tree, `${name} npm tar`);
      // The bytes came from S3, not through the tracking server.
      assert.equal((await rig.admin.requests()).filter((r) => r.path.includes('get-artifact')).length, 0);
    }
  });

  it('s3:// without keys: falls back to the tracking server, which reads S3 itself', async () => {
    await rig.admin.clearRequests();
    const result = await exportModelVersion({ client: rigClient(rig), name: 'LlmOnS3', version: '1', outputDir: out, s3: noKeys });
    assert.equal(result.route, 'server');
    assertSameTree(await readTree(path.join(result.folder, 'artifacts')), llm, 'artifacts/ through the server');
    const fetched = (await rig.admin.requests()).filter((r) => r.path === '/model-versions/get-artifact');
    assert.equal(fetched.length, llm.size);
  });

  it('s3:// without keys when the direct route is required: one clear error, nothing left', async () => {
    const error = await failure(exportModelVersion({ client: rigClient(rig), name: 'WineOnS3', version: '1', outputDir: out, s3: noKeys, s3Route: 'direct' }));
    assert.equal(error.kind, 's3CredentialsMissing');
    assert.match(error.userMessage, /No Cloud Storage credentials were found to read s3:\/\/mlwf-models\//);
    assert.deepEqual(await entriesIn(out), []);
  });

  it('S3 faults (503s, a reset, a body cut mid-file) still give identical bytes', async () => {
    const proxy: FaultProxy = await startFaultProxy(moto.port, [
      { mode: 'cut', match: /GET \/mlwf-models\/10\/.*adapter_model\.bin/, limit: 1, cutAfter: 100_000 },
      { mode: 'status', status: 503, match: /GET \/mlwf-models\/10\/.*(MLmodel|config\.json)/, limit: 2 },
      { mode: 'reset', match: /GET \/mlwf-models\/10\/.*requirements\.txt/, limit: 1 },
    ]);
    try {
      const result = await exportModelVersion({ client: rigClient(rig), name: 'LlmOnS3', version: '1', outputDir: out, s3: withKeys(proxy.url) });
      assertSameTree(await readTree(path.join(result.folder, 'artifacts')), llm, 'artifacts/ after S3 faults');
      assert.equal(proxy.injected.length, 4, proxy.injected.join('\n'));
      assert.ok(proxy.seen.some((l) => /adapter_model\.bin.*\[bytes=[1-9]\d*-\]$/.test(l)), 'the cut file resumed with Range');
    } finally {
      await proxy.stop();
    }
  });

  it('a local path and a file: URI source (a file system shared with the server)', async () => {
    for (const version of ['1', '2']) {
      const result = await exportModelVersion({ client: rigClient(rig), name: 'WineOnDisk', version, outputDir: out });
      assert.equal(result.route, 'local');
      assertSameTree(await readTree(path.join(result.folder, 'artifacts')), wine, `version ${version} artifacts/`);
      assertSameTree((await unpackThreeWays(result.archive)).gnu, wine, `version ${version} archive`);
    }
  });
});

describe('S3 settings and credentials', () => {
  it('endpoint from MLFLOW_S3_ENDPOINT_URL unless set, path style for custom endpoints, ABCI 3.0 region by default', () => {
    const env = { MLFLOW_S3_ENDPOINT_URL: 'https://s3.v3.abci.ai' };
    const sources = (endpoint: string, region: string, profile: string) => ({ endpoint, region, profile });
    assert.deepEqual(resolveS3Settings({}, env), { endpoint: 'https://s3.v3.abci.ai', region: 'ap-northeast-1', forcePathStyle: true, profile: undefined, ignoreTls: false, sources: sources('environment', 'siteProfile', 'default') });
    const chosen = resolveS3Settings({ endpoint: 'https://s3.abci.ai', region: 'us-east-1', addressingStyle: 'virtual', profile: 'grp' }, { ...env, AWS_PROFILE: 'other' });
    assert.deepEqual(chosen, { endpoint: 'https://s3.abci.ai', region: 'us-east-1', forcePathStyle: false, profile: 'grp', ignoreTls: false, sources: sources('setting', 'setting', 'setting') });
    // The generic site profile has no endpoint of its own: AWS S3, virtual-host style.
    assert.equal(resolveS3Settings({ siteProfile: 'generic' }, { AWS_REGION: 'eu-west-1' }).forcePathStyle, false);
  });

  it('credentials: none for the default profile → false; a named profile in the shared credentials file → true', async () => {
    const saved = { ...process.env };
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-aws-'));
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      const settings = (profile?: string) => resolveS3Settings({ endpoint: 'http://127.0.0.1:1', profile }, process.env);
      // (The SDK caches what it read from these files per process: write them once, first.)
      writeFileSync(path.join(dir, 'credentials'), '[abci-group]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n');
      assert.equal(await hasS3Credentials(settings()), false, 'no default profile, no environment keys');
      assert.equal(await hasS3Credentials(settings('abci-group')), true);
      assert.equal(await hasS3Credentials(settings('missing-profile')), false);
      assert.equal(await hasS3Credentials(settings(), { accessKeyId: 'a', secretAccessKey: 'b' }), true);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
