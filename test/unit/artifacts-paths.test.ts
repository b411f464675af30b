// Artifact path safety, editor URIs and copyable URIs (src/core/artifacts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  artifactKind,
  artifactStoreUri,
  modelAliasUri,
  modelVersionUri,
  opensInEditor,
  resolveInside,
  runsUri,
  safeArtifactPath,
  versionArtifactPath,
} from '../../src/core/artifacts/artifactPaths';
import { artifactUriPath, parseArtifactUriPath } from '../../src/core/artifacts/artifactUri';

describe('artifact paths', () => {
  it('normalises slashes and rejects escapes', () => {
    assert.equal(safeArtifactPath('model//MLmodel/'), 'model/MLmodel');
    for (const bad of ['../x', 'model/../../etc/passwd', './a', 'a\\..\\b', 'a\0b']) {
      assert.throws(() => safeArtifactPath(bad), /not a safe relative path/, bad);
    }
  });

  it('keeps downloads inside the target folder', () => {
    assert.equal(resolveInside('/tmp/t', 'model/MLmodel'), path.resolve('/tmp/t/model/MLmodel'));
    assert.throws(() => resolveInside('/tmp/t', '../t2/x'));
  });

  it('builds store, runs: and models: URIs', () => {
    assert.equal(artifactStoreUri('s3://b/1/abc/artifacts/', 'model/MLmodel'), 's3://b/1/abc/artifacts/model/MLmodel');
    assert.equal(runsUri('abc', 'model'), 'runs:/abc/model');
    assert.equal(modelVersionUri('Wine', '3'), 'models:/Wine/3');
    assert.equal(modelAliasUri('Wine', 'champion'), 'models:/Wine@champion');
  });

  it('finds a model version folder inside its source run', () => {
    assert.equal(versionArtifactPath('runs:/abc/model', 'abc'), 'model');
    assert.equal(versionArtifactPath('mlflow-artifacts:/1/abc/artifacts/model', 'abc'), 'model');
    assert.equal(versionArtifactPath('s3://b/x/abc/artifacts/m/v1', 'abc', 's3://b/x/abc/artifacts'), 'm/v1');
    assert.equal(versionArtifactPath('s3://elsewhere/model', 'abc', 's3://b/x/abc/artifacts'), undefined);
    assert.equal(versionArtifactPath('runs:/abc/../../x', 'abc'), undefined);
  });

  it('opens text and images, downloads binaries and big files', () => {
    assert.equal(artifactKind('model/MLmodel'), 'text');
    assert.equal(artifactKind('plots/a.PNG'), 'image');
    assert.equal(artifactKind('model/model.pkl'), 'binary');
    assert.equal(opensInEditor('metrics.json', 100), true);
    assert.equal(opensInEditor('metrics.json', 21 * 1024 * 1024), false);
    assert.equal(opensInEditor('model/data/model.pth', 10), false);
  });
});

describe('mlwf-artifact URIs', () => {
  it('round-trips a run artifact with the file name last', () => {
    const p = artifactUriPath({ runId: 'abc123', path: 'model/MLmodel' });
    assert.equal(p, '/abc123/model/MLmodel');
    assert.deepEqual(parseArtifactUriPath('run', p), { runId: 'abc123', path: 'model/MLmodel' });
    assert.deepEqual(parseArtifactUriPath('run', '/abc123'), { runId: 'abc123', path: '' });
  });

  it('rejects escapes, other authorities and bad run ids', () => {
    assert.equal(parseArtifactUriPath('run', '/abc/../other/x'), undefined);
    assert.equal(parseArtifactUriPath('run', '/../x'), undefined);
    assert.equal(parseArtifactUriPath('model', '/abc/x'), undefined);
    assert.equal(parseArtifactUriPath('run', '/a%2Fb/x'), undefined);
    assert.throws(() => artifactUriPath({ runId: 'abc', path: '../x' }));
  });
});
