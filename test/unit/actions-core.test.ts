// The plain parts of the write actions: MLflow's input rules as MLWF applies them before any
// request (the same rules the real servers enforce, see actions-real.test.ts), the editor-tab
// paths of notes and descriptions, and the clock that makes VS Code notice a text changed on the
// server meanwhile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeClock, editableTextPath, parseEditableTextPath, type EditableText } from '../../src/core/actions/editableText';
import { aliasProblem, experimentNameProblem, maxTagValueLength, modelNameProblem, runFolderSource, tagKeyProblem, tagValueProblem } from '../../src/core/mlflow';

describe('write input rules (MLflow 2.14.3 and 3.6 validation.py)', () => {
  it('tag keys: empty, too long, bad characters, path tricks and system keys are refused with a reason', () => {
    assert.match(tagKeyProblem('')!, /cannot be empty/);
    assert.match(tagKeyProblem('k'.repeat(251))!, /at most 250 characters \(this one has 251\)/);
    assert.equal(tagKeyProblem('k'.repeat(250)), undefined);
    for (const bad of ['a:b', 'a@b', 'tab\there', 'é?']) assert.match(tagKeyProblem(bad)!, /only letters, digits/, bad);
    for (const path of ['/abs', 'a//b', 'a/../b', './a', 'a/.']) assert.match(tagKeyProblem(path)!, /slash|"\.\."/, path);
    assert.equal(tagKeyProblem('team/owner name-1.x'), undefined);
    assert.match(tagKeyProblem('mlflow.runName')!, /system tags/);
    assert.equal(tagKeyProblem('mlflow.runName', { allowSystem: true }), undefined);
  });

  it('tag values: the smaller limit unless the server generation is known', () => {
    assert.equal(maxTagValueLength('run', undefined), 5000);
    assert.equal(maxTagValueLength('run', 2), 5000);
    assert.equal(maxTagValueLength('run', 3), 8000);
    assert.equal(maxTagValueLength('modelVersion', 3), 100_000);
    assert.equal(maxTagValueLength('experiment', 3), 5000);
    assert.equal(tagValueProblem('run', 'x'.repeat(8000), 3), undefined);
    assert.match(tagValueProblem('run', 'x'.repeat(5001), 2)!, /at most 5000 characters on this server \(this one has 5001\)/);
  });

  it('aliases, experiment and model names', () => {
    assert.match(aliasProblem('')!, /cannot be empty/);
    assert.match(aliasProblem('Latest')!, /reserved/);
    assert.match(aliasProblem('V12')!, /version number/);
    assert.match(aliasProblem('a.b')!, /only letters/);
    assert.equal(aliasProblem('champion_2-b'), undefined);
    assert.match(experimentNameProblem(' ')!, /cannot be empty/);
    assert.match(experimentNameProblem('e'.repeat(501))!, /at most 500/);
    assert.match(modelNameProblem('')!, /cannot be empty/);
    assert.match(modelNameProblem(' wine')!, /spaces/);
    assert.match(modelNameProblem('a/b')!, /"\/"/);
    assert.equal(modelNameProblem('wine-model'), undefined);
  });

  it("a run folder's source is the run's artifact URI plus the folder, never outside it", () => {
    assert.equal(runFolderSource('mlflow-artifacts:/1/abc/artifacts/', 'model/'), 'mlflow-artifacts:/1/abc/artifacts/model');
    assert.equal(runFolderSource('s3://b/1/abc/artifacts', 'models/best'), 's3://b/1/abc/artifacts/models/best');
    for (const bad of ['', '../x', 'a/../../b', 'a//b']) assert.throws(() => runFolderSource('s3://b/x', bad), /not a folder of the run/, bad);
  });
});

describe('notes and descriptions as editor tabs', () => {
  it('paths round-trip for every kind, whatever the names hold', () => {
    const refs: EditableText[] = [
      { kind: 'runNote', runId: 'abc123' },
      { kind: 'experimentNote', experimentId: '7' },
      { kind: 'modelDescription', name: 'wine/model ü?#%' },
      { kind: 'versionDescription', name: 'a b', version: '12' },
    ];
    for (const ref of refs) {
      const path = editableTextPath(ref, 'title: with/slash*');
      assert.ok(path.endsWith('/title_ with_slash_.md'), path);
      assert.deepEqual(parseEditableTextPath(path), ref);
    }
    assert.equal(parseEditableTextPath('/runNote/x.md'), undefined);
    assert.equal(parseEditableTextPath('/other/1/x.md'), undefined);
    assert.equal(parseEditableTextPath('/versionDescription/m/x.md'), undefined);
  });

  it('the clock keeps the time while the text is the same and moves it on when the server text changes', () => {
    const clock = new ChangeClock();
    const t1 = clock.observe('u', 'hello');
    assert.equal(clock.observe('u', 'hello'), t1);
    const t2 = clock.observe('u', 'changed elsewhere');
    assert.ok(t2 > t1);
    const t3 = clock.observe('u', 'hello');
    assert.ok(t3 > t2, 'back to an older text is a change too');
    assert.notEqual(clock.observe('v', 'hello'), t3);
  });
});
