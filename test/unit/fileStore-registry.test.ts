/** File store model registry, root discovery and tracking-URI parsing. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileStoreRootFromUri, FileStoreBackend, findMlrunsRoot } from '../../src/core/fileStore';
import { FIXTURE_ROOT, rejectsWith, runId } from './fileStore-helpers';

const store = new FileStoreBackend(FIXTURE_ROOT);
const MODEL = 'ElasticnetWineModel';

describe('file store: model registry', () => {
  it('searches registered models with aliases, tags and latest versions per stage', async () => {
    const page = await store.searchRegisteredModelsPage();
    assert.equal(page.registered_models.length, 1);
    const model = page.registered_models[0]!;
    assert.equal(model.name, MODEL);
    assert.deepEqual(model.aliases, [{ alias: 'champion', version: '1' }]);
    assert.deepEqual(model.tags, [{ key: 'framework', value: 'sklearn' }]);
    assert.deepEqual(model.latest_versions.map((v) => [v.version, v.current_stage]), [['1', 'Production'], ['2', 'None']]);
    assert.equal(typeof model.creation_timestamp, 'number');
    assert.deepEqual((await store.searchRegisteredModelsPage({ filter: "name LIKE '%nothing%'" })).registered_models, []);
    assert.equal((await store.searchRegisteredModelsPage({ filter: "name ILIKE '%wine%'" })).registered_models.length, 1);
  });

  it('gets a model version with its alias, run and tags', async () => {
    const v1 = await store.getModelVersion(MODEL, '1');
    assert.deepEqual(v1.aliases, ['champion']);
    assert.equal(v1.run_id, runId('elasticnet-a0.1-l0.2'));
    assert.equal(v1.status, 'READY');
    assert.deepEqual(v1.tags, [{ key: 'validation_status', value: 'approved' }]);
    assert.equal(v1.user_id, undefined); // null in meta.yaml, absent from REST answers
    assert.deepEqual((await store.getModelVersion(MODEL, '2')).aliases, []);
    assert.equal((await store.getRegisteredModel(MODEL)).description, 'ElasticNet regressor predicting wine quality (0-10).');
  });

  it('searches versions by name, newest first, and pages them', async () => {
    const page = await store.searchModelVersionsPage({ filter: `name = '${MODEL}'`, maxResults: 1 });
    assert.deepEqual(page.model_versions.map((v) => v.version), ['2']);
    const next = await store.searchModelVersionsPage({ filter: `name = '${MODEL}'`, maxResults: 1, pageToken: page.next_page_token });
    assert.deepEqual(next.model_versions.map((v) => v.version), ['1']);
    assert.equal(next.next_page_token, undefined);
    const byRun = await store.searchModelVersionsPage({ filter: `run_id = '${runId('child-a0.2')}'` });
    assert.deepEqual(byRun.model_versions.map((v) => v.version), ['2']);
  });

  it('answers notFound for unknown models and versions, also for path-like names', async () => {
    await rejectsWith(store.getRegisteredModel('NoSuchModel'), 'notFound');
    await rejectsWith(store.getModelVersion(MODEL, '9'), 'notFound');
    await rejectsWith(store.getRegisteredModel('../1'), 'notFound');
    await rejectsWith(store.getRegisteredModel('..'), 'notFound');
  });
});

describe('file store: locating the store', () => {
  it('finds mlruns/ only when it holds an experiment', async () => {
    assert.equal(await findMlrunsRoot(path.dirname(FIXTURE_ROOT)), FIXTURE_ROOT);
    const ws = mkdtempSync(path.join(tmpdir(), 'mlwf-ws-'));
    try {
      assert.equal(await findMlrunsRoot(ws), undefined);
      mkdirSync(path.join(ws, 'mlruns', 'models', 'M'), { recursive: true });
      writeFileSync(path.join(ws, 'mlruns', 'models', 'M', 'meta.yaml'), 'name: M\n');
      assert.equal(await findMlrunsRoot(ws), undefined, 'a registry alone is no experiment');
      mkdirSync(path.join(ws, 'mlruns', '0'));
      writeFileSync(path.join(ws, 'mlruns', '0', 'meta.yaml'), 'name: Default\n');
      assert.equal(await findMlrunsRoot(ws), path.join(ws, 'mlruns'));
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('turns file: URIs and plain paths into folders, and other schemes into undefined', () => {
    assert.equal(fileStoreRootFromUri('file:///data/proj/mlruns'), path.normalize('/data/proj/mlruns'));
    assert.equal(fileStoreRootFromUri('file:///data/my%20proj/mlruns'), path.normalize('/data/my proj/mlruns'));
    assert.equal(fileStoreRootFromUri('/data/proj/mlruns/'), path.normalize('/data/proj/mlruns/'));
    assert.equal(fileStoreRootFromUri('./mlruns'), 'mlruns');
    assert.equal(fileStoreRootFromUri('http://host:5000/mlflow/'), undefined);
    assert.equal(fileStoreRootFromUri('databricks'), undefined);
    assert.equal(fileStoreRootFromUri('file:relative/mlruns'), path.normalize('relative/mlruns'));
    assert.equal(fileStoreRootFromUri('s3://bucket/x'), undefined);
    assert.equal(fileStoreRootFromUri('  '), undefined);
  });
});
