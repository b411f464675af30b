/** File store artifacts: listing, bytes, ranges, relocated stores and escape attempts. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStoreBackend } from '../../src/core/fileStore';
import { bytesOf, copyOfFixture, FIXTURE_ROOT, rejectsWith, runId } from './fileStore-helpers';

const RUN = runId('elasticnet-a0.1-l0.2');
const store = new FileStoreBackend(FIXTURE_ROOT);
const artifactsDir = path.join(FIXTURE_ROOT, '1', RUN, 'artifacts');

describe('file store: artifacts', () => {
  it('lists one level with paths from the artifact root (store copied from another machine)', async () => {
    const root = await store.listArtifacts(RUN);
    assert.match(root.root_uri ?? '', /^file:\/\/\/.*\/artifacts$/);
    assert.deepEqual(root.files, [{ path: 'model', is_dir: true }, { path: 'plots', is_dir: true }]);
    const model = await store.listArtifacts(RUN, 'model');
    assert.deepEqual(model.files.map((f) => f.path), ['model/MLmodel', 'model/requirements.txt']);
    const req = model.files[1]!;
    assert.equal(req.file_size, readFileSync(path.join(artifactsDir, 'model', 'requirements.txt')).length);
    assert.deepEqual((await store.listArtifacts(RUN, 'does/not/exist')).files, []);
    assert.deepEqual((await store.listArtifacts(runId('sweep-parent'))).files, []);
  });

  it('downloads whole files and byte ranges', async () => {
    const png = await store.downloadRunArtifact(RUN, 'plots/x.png');
    const bytes = await bytesOf(png.body);
    assert.equal(png.status, 200);
    assert.equal(png.contentType, 'image/png');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.contentLength, bytes.length);

    const full = readFileSync(path.join(artifactsDir, 'model', 'MLmodel'));
    const part = await store.downloadRunArtifact(RUN, 'model/MLmodel', { range: { start: 5, end: 14 } });
    assert.equal(part.status, 206);
    assert.deepEqual(part.contentRange, { start: 5, end: 14, total: full.length });
    assert.deepEqual(await bytesOf(part.body), full.subarray(5, 15));
    const tail = await store.downloadRunArtifact(RUN, 'model/MLmodel', { range: { start: full.length - 4 } });
    assert.deepEqual(await bytesOf(tail.body), full.subarray(full.length - 4));
    await rejectsWith(store.downloadRunArtifact(RUN, 'model/MLmodel', { range: { start: full.length + 10 } }), 'invalidParameter');
  });

  it('answers notFound / invalidParameter like the server', async () => {
    await rejectsWith(store.downloadRunArtifact(RUN, 'model/missing.pkl'), 'notFound');
    await rejectsWith(store.downloadRunArtifact(RUN, 'model'), 'invalidParameter', /folder/);
    await rejectsWith(store.listArtifacts('ffffffffffffffffffffffffffffffff'), 'notFound');
  });

  for (const bad of ['../meta.yaml', 'model/../../meta.yaml', '/etc/passwd', '..', 'model\\..\\..\\meta.yaml', 'C:/Windows']) {
    it(`rejects the escaping path ${JSON.stringify(bad)}`, async () => {
      await rejectsWith(store.downloadRunArtifact(RUN, bad), 'invalidParameter');
      await rejectsWith(store.listArtifacts(RUN, bad), 'invalidParameter');
    });
  }

  describe('symlinks', () => {
    const root = copyOfFixture();
    const copy = new FileStoreBackend(root);
    const dir = path.join(root, '1', RUN, 'artifacts');
    writeFileSync(path.join(root, '..', 'secret.txt'), 'top secret');
    symlinkSync(path.join(root, '..', 'secret.txt'), path.join(dir, 'leak.txt'));
    symlinkSync(path.join(root, '..'), path.join(dir, 'outside'));
    mkdirSync(path.join(dir, 'data'));
    symlinkSync(path.join(dir, 'model', 'MLmodel'), path.join(dir, 'data', 'MLmodel-link'));
    after(() => rmSync(path.dirname(root), { recursive: true, force: true }));

    it('refuses links that lead outside the artifacts and hides them from listings', async () => {
      await rejectsWith(copy.downloadRunArtifact(RUN, 'leak.txt'), 'invalidParameter');
      await rejectsWith(copy.downloadRunArtifact(RUN, 'outside/secret.txt'), 'invalidParameter');
      await rejectsWith(copy.listArtifacts(RUN, 'outside'), 'invalidParameter');
      assert.deepEqual((await copy.listArtifacts(RUN)).files.map((f) => f.path), ['data', 'model', 'plots']);
    });

    it('follows links that stay inside', async () => {
      const link = await copy.downloadRunArtifact(RUN, 'data/MLmodel-link');
      assert.match((await bytesOf(link.body)).toString('utf8'), /flavors:/);
    });

    it('uses artifact_uri when it points to an existing folder (relative to the store parent)', async () => {
      const other = path.join(root, '..', 'elsewhere');
      mkdirSync(other, { recursive: true });
      writeFileSync(path.join(other, 'note.txt'), 'moved');
      const metaFile = path.join(root, '1', runId('sweep-parent'), 'meta.yaml');
      writeFileSync(metaFile, readFileSync(metaFile, 'utf8').replace(/^artifact_uri: .*$/m, 'artifact_uri: elsewhere'));
      const fresh = new FileStoreBackend(root);
      assert.deepEqual((await fresh.listArtifacts(runId('sweep-parent'))).files, [{ path: 'note.txt', is_dir: false, file_size: 5 }]);
    });

    it('explains remote artifact stores instead of listing nothing', async () => {
      const metaFile = path.join(root, '1', runId('child-a0.8'), 'meta.yaml');
      // force: git keeps no empty folders, so a fresh clone may not have this run's artifacts/.
      rmSync(path.join(root, '1', runId('child-a0.8'), 'artifacts'), { recursive: true, force: true });
      writeFileSync(metaFile, readFileSync(metaFile, 'utf8').replace(/^artifact_uri: .*$/m, 'artifact_uri: s3://bucket/1/x/artifacts'));
      await rejectsWith(new FileStoreBackend(root).listArtifacts(runId('child-a0.8')), 'invalidParameter', /s3:\/\/bucket/);
    });
  });
});
