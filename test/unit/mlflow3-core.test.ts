// MLflow 3 in the core, against the test server in its MLflow 3 mode (the recorded-3.6 scenario,
// itself checked against a real 3.6 by conformance-3.6.test.ts) behind the real nginx rig:
// capabilities once per client, histories with max_results, a version's files from where MLflow
// says, a run's models, the logged-model file routes, export from a logged model, the security
// middleware's plain-text 403. Real 3.6 and 2.14.3 servers: mlflow3-real.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { downloadOwnerArtifact, listOwnerArtifacts, modelsOfRun, versionFiles } from '../../src/core/backend/modelFiles';
import { readModelSpec } from '../../src/core/container/modelSpec';
import { exportModelVersion, ExportError } from '../../src/core/export';
import { LoggedModelServerSource } from '../../src/core/export/mlflowSources';
import { isMlflowError, MlflowClient, type MlflowError } from '../../src/core/mlflow';
import { errorFromResponse } from '../../src/core/mlflow/errors';
import { startRig, type Rig } from '../servers/rig';
import { readTree, rigClient } from './helpers/exportFixtures';

const REC = path.resolve(__dirname, '..', 'fixtures', 'mlflow-recorded-3.6');
const MODEL = 'm-e531c2b758524177a3b1da6649dea985';
const RUN = 'f0c5780dab2947d89c92478a068e05f4';
const LEGACY_RUN = 'e90bf4e5694c4f6eb258c657e6ac7db8';
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-mlflow3-'));

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
  return Buffer.from(await new Response(body).arrayBuffer()).toString('utf8');
}

describe('MLflow 3 in the core (test server in 3.6 mode, through nginx)', () => {
  let rig: Rig;
  let client: MlflowClient;
  before(async () => {
    rig = await startRig({ scenario: 'recorded-3.6' });
    client = rigClient(rig);
  });
  after(async () => {
    await client?.dispose();
    await rig?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks version and server-features once per client and says logged models are there', async () => {
    await rig.admin.clearRequests();
    const [a, b] = await Promise.all([client.capabilities(), client.capabilities()]);
    assert.equal(a, b);
    assert.deepEqual(a, { mlflowVersion: '3.6.1.dev0', major: 3, loggedModels: true, serverFeatures: { workspaces_enabled: false } });
    await client.capabilities();
    const seen = (await rig.admin.requests()).map((r) => r.path);
    assert.deepEqual(seen.sort(), ['/api/2.0/mlflow/server-features', '/version']);
  });

  it('reads the whole history (the server gives none without max_results, so it is always sent)', async () => {
    await rig.admin.clearRequests();
    const points = await client.getMetricHistory(RUN, 'train_loss');
    assert.equal(points.length, 200);
    assert.deepEqual(points.slice(0, 2).map((p) => p.step), [0, 1]);
    const [req] = (await rig.admin.requests()).filter((r) => r.path.endsWith('/metrics/get-history'));
    assert.match(req!.query, /max_results=25000/);
    // What a client without max_results gets from this server (and from MLflow 3.4–3.6): nothing.
    const raw = await fetch(`${rig.trackingUri}api/2.0/mlflow/metrics/get-history?run_id=${RUN}&metric_key=train_loss`, {
      headers: { authorization: `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}` },
    });
    assert.deepEqual(Object.keys((await raw.json()) as object), ['next_page_token']);
  });

  it('finds a version\'s files where MLflow says: the logged model for models:/m-…, the run folder for the legacy one', async () => {
    const v2 = await client.getModelVersion('ElasticnetWineModel3', '2');
    assert.equal(v2.source, `models:/${MODEL}`);
    assert.deepEqual(await versionFiles(client, v2), { owner: { modelId: MODEL, runId: RUN }, path: '' });
    const legacy = await client.getModelVersion('LegacyStyleModel', '1');
    assert.deepEqual(await versionFiles(client, legacy), { owner: { runId: LEGACY_RUN }, path: 'legacy_model' });
    // The run's own listing holds no model at all: what the Models view showed before.
    const runFiles = await client.listArtifacts(RUN);
    assert.deepEqual(runFiles.files.map((f) => f.path), ['plots']);
  });

  it('lists and reads a logged model\'s own files: the MLmodel bytes the real server served', async () => {
    const listing = await listOwnerArtifacts(client, { modelId: MODEL }, undefined);
    assert.equal(listing.root_uri, `mlflow-artifacts:/1/models/${MODEL}/artifacts`);
    assert.deepEqual(listing.files.map((f) => f.path), ['MLmodel', 'conda.yaml', 'input_example.json', 'model.pkl', 'python_env.yaml', 'requirements.txt', 'serving_input_example.json']);
    const mlmodel = await text((await downloadOwnerArtifact(client, { modelId: MODEL }, 'MLmodel')).body);
    assert.equal(mlmodel, readFileSync(path.join(REC, 'logged_models_artifacts_file_MLmodel.yaml'), 'utf8'));
    assert.match(mlmodel, /^artifact_path: mlflow-artifacts:\/1\/models\//m);
  });

  it('refuses a logged model id that is not one (never put into a URL path) and reports a missing one as not found', async () => {
    await assert.rejects(client.getLoggedModel('../runs/get'), (e: unknown) => isMlflowError(e) && e.kind === 'invalidParameter');
    await assert.rejects(client.getLoggedModel('m-00000000000000000000000000000000'), (e: unknown) => isMlflowError(e) && e.kind === 'notFound');
  });

  it('lists the models a run logged: its logged model with params and metrics; the legacy run\'s MLmodel folder', async () => {
    const run = await client.getRun(RUN);
    assert.deepEqual(run.outputs.model_outputs, [{ model_id: MODEL, step: 0 }]);
    const models = await modelsOfRun(client, run);
    assert.deepEqual(models.loggedModels.map((m) => m.info.model_id), [MODEL]);
    assert.deepEqual(models.loggedModels[0]!.data.params, [{ key: 'alpha', value: '0.3' }, { key: 'l1_ratio', value: '0.5' }]);
    assert.ok(models.loggedModels[0]!.data.metrics.some((m) => m.key === 'rmse'));
    assert.deepEqual(models.folders, []);
    const legacy = await modelsOfRun(client, await client.getRun(LEGACY_RUN));
    assert.deepEqual(legacy, { loggedModels: [], folders: ['legacy_model'] });
  });

  it('exports a logged model (models:/m-…) that is not a registered version: its files, info.yaml without a version, a recipe-ready MLmodel', async () => {
    const out = mkdtempSync(path.join(root, 'out-'));
    const result = await exportModelVersion({ client, name: '', modelId: MODEL, outputDir: out, now: () => new Date(2026, 0, 2, 3, 4, 5) });
    assert.equal(result.sourceUri, `mlflow-artifacts:/1/models/${MODEL}/artifacts`);
    assert.equal(result.route, 'mlflow-artifacts');
    assert.equal(result.version.source, `models:/${MODEL}`);
    const files = await readTree(path.join(result.folder, 'artifacts'));
    assert.equal(files.get('MLmodel')?.toString('utf8'), readFileSync(path.join(REC, 'logged_models_artifacts_file_MLmodel.yaml'), 'utf8'));
    assert.equal(files.size, 7);
    const info = await readFile(result.infoYaml, 'utf8');
    assert.match(info, /^Name: model$/m);
    assert.doesNotMatch(info, /^Version:/m);
    assert.match(info, new RegExp(`MLflow logged model \`model\` \\(\`models:/${MODEL}\`\\)`));
    // A 3.6.1.dev0 model is not on PyPI: the recipe pins what MLflow recorded.
    const spec = readModelSpec(path.join(result.folder, 'artifacts'));
    assert.equal(spec.requirements[0], 'mlflow==3.6.0');
  });

  it('exports registered version 2 (source models:/m-…) with the same files as its logged model', async () => {
    const out = mkdtempSync(path.join(root, 'out-'));
    const viaVersion = await exportModelVersion({ client, name: 'ElasticnetWineModel3', alias: 'champion', outputDir: out });
    const viaModel = await exportModelVersion({ client, name: 'x', modelId: MODEL, outputDir: mkdtempSync(path.join(root, 'out-')) });
    assert.deepEqual(await readTree(path.join(viaVersion.folder, 'artifacts')), await readTree(path.join(viaModel.folder, 'artifacts')));
    assert.match(await readFile(viaVersion.infoYaml, 'utf8'), /^Version: "2"$/m);
  });

  it('reads a logged model through the server route (for stores the client has no keys for)', async () => {
    const source = new LoggedModelServerSource(client, MODEL);
    const files = await source.list();
    assert.equal(files.length, 7);
    const stream = await source.open(files.find((f) => f.path === 'MLmodel')!, 13);
    const chunks: Buffer[] = [];
    for await (const c of stream as Readable) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString('utf8'), readFileSync(path.join(REC, 'logged_models_artifacts_file_MLmodel.yaml'), 'utf8').slice(13));
  });

  it('an unknown logged model stops the export with the server\'s sentence and leaves nothing behind', async () => {
    const out = mkdtempSync(path.join(root, 'out-'));
    const error = await exportModelVersion({ client, name: '', modelId: 'm-ffffffffffffffffffffffffffffffff', outputDir: out }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as ExportError,
    );
    assert.ok(error instanceof ExportError);
    assert.equal(error.kind, 'mlflow');
    assert.match(error.userMessage, /not found.*nothing was left behind/i);
    assert.deepEqual(await readdir(out), []);
  });
});

describe('MLflow 3 security middleware: 403 in plain text', () => {
  it('a Host the server does not allow: one sentence naming --allowed-hosts, not a parse or sign-in error', async () => {
    // As a server started with --allowed-hosts mlflow.internal answers a client that uses 127.0.0.1.
    const rig = await startRig({ scenario: { mlflowVersion: '3.6.1.dev0', allowedHosts: ['mlflow.internal'] } });
    const client = rigClient(rig, rig.directUrl);
    try {
      const error = await client.ping().then(() => assert.fail('expected a 403'), (e: unknown) => e as MlflowError);
      assert.ok(isMlflowError(error));
      assert.equal(error.kind, 'forbidden');
      assert.equal(error.status, 403);
      assert.equal(error.securityBlock, 'hostHeader');
      assert.match(error.userMessage, /--allowed-hosts/);
      assert.doesNotMatch(error.userMessage, /sign in|password|web page/i);
    } finally {
      await client.dispose();
      await rig.stop();
    }
  });

  it('maps both recorded answers of a real 3.6 (Host header, cross-origin POST)', () => {
    const host = errorFromResponse({ status: 403, contentType: 'text/plain', bodyText: readFileSync(path.join(REC, 'security_foreign_host_header.txt'), 'utf8'), hadCredentials: true });
    assert.equal(host.securityBlock, 'hostHeader');
    const origin = errorFromResponse({ status: 403, contentType: 'text/plain', bodyText: readFileSync(path.join(REC, 'security_cross_origin_post.txt'), 'utf8'), hadCredentials: true });
    assert.equal(origin.securityBlock, 'crossOrigin');
    assert.match(origin.userMessage, /--cors-allowed-origins/);
    // nginx's own 403 page stays a plain "not allowed".
    const proxy = errorFromResponse({ status: 403, contentType: 'text/html', bodyText: '<html><center><h1>403 Forbidden</h1></center></html>', hadCredentials: true });
    assert.equal(proxy.securityBlock, undefined);
  });

  it('on a 2.14.3-mode server there are no logged models and capabilities say so', async () => {
    const rig = await startRig({ scenario: 'recorded' });
    const client = rigClient(rig);
    try {
      const caps = await client.capabilities();
      assert.equal(caps.mlflowVersion, '2.14.3');
      assert.equal(caps.loggedModels, false);
      assert.equal(caps.serverFeatures, undefined);
      const run = await client.getRun('fdc0413dbe594808a9e7f4ac1b68800c');
      assert.deepEqual(run.outputs.model_outputs, []);
      const models = await modelsOfRun(client, run);
      assert.deepEqual(models.loggedModels, []);
      assert.ok(models.folders.includes('model'), `folders: ${models.folders.join(', ')}`);
    } finally {
      await client.dispose();
      await rig.stop();
    }
  });
});
