// info.yaml generation: the template's comments, placeholders that are easy to find, a quoted
// Version, ISO dates, and server text (user-controlled) that cannot break out of its value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { findPlaceholders, INFO_YAML_PLACEHOLDER, isPlaceholder, renderInfoYaml } from '../../src/core/export';
import type { ModelVersion, RegisteredModel, Run } from '../../src/core/mlflow';

const model: RegisteredModel = { name: 'ElasticnetWineModel', creation_timestamp: 1795345697894, last_updated_timestamp: 1795345697894, latest_versions: [], tags: [{ key: 'task', value: 'regression' }], aliases: [] };
const version: ModelVersion = { name: 'ElasticnetWineModel', version: '10', creation_timestamp: 1795345697894, last_updated_timestamp: 1795345799000, source: 'mlflow-artifacts:/1/x/artifacts/model', run_id: 'x', tags: [], aliases: ['champion'], current_stage: 'Production' };
const run: Run = {
  info: { run_id: 'x', run_uuid: 'x', experiment_id: '1', run_name: 'elasticnet', user_id: 'alice', status: 'FINISHED', artifact_uri: 'mlflow-artifacts:/1/x/artifacts', lifecycle_stage: 'active' },
  data: { params: [{ key: 'alpha', value: '0.5' }], metrics: [{ key: 'rmse', value: 0.7, step: 3, timestamp: 1 }], tags: [{ key: 'mlflow.user', value: 'alice' }] },
  inputs: { dataset_inputs: [] },
  outputs: { model_outputs: [] },
};

describe('info.yaml', () => {
  it('keeps the template guidance, quotes the version, dates in ISO 8601, placeholders where MLflow knows nothing', () => {
    const text = renderInfoYaml({ model, version, run, mlmodel: { flavors: { python_function: { python_version: '3.11.2' }, sklearn: { sklearn_version: '1.2.1' } }, mlflow_version: '2.14.3' } });
    assert.match(text, /^# Description \(required\): more than 50 characters/m);
    assert.match(text, /^# Keywords \(required\): a block sequence/m);
    assert.match(text, /^# UsageInfo: https:\/\/example\.org/m);
    assert.match(text, /^Version: "10"$/m);
    const doc = yaml.load(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(doc.Version, '10');
    assert.equal(doc.DateCreated, '2026-11-22T11:08:17Z');
    assert.deepEqual(doc.Keywords, ['MLflow', 'python_function', 'sklearn', 'regression']);
    assert.equal(doc.Creator.Name, 'alice');
    assert.deepEqual(findPlaceholders(doc).sort(), ['Creator.ContactPoint.Email', 'Description', 'Distribution.ContentURL.0', 'License.Name']);
    assert.ok(isPlaceholder(doc.License.Name) && doc.License.Name.startsWith(INFO_YAML_PLACEHOLDER));
    assert.match(doc.AdditionalInfo, /aliases: champion/);
    assert.match(doc.AdditionalInfo, /\| rmse \| 0\.7 \| 3 \|/);
  });

  it('AdditionalInfo is a literal block a person can read and edit: the Markdown lines as written, even long ones', () => {
    const long = `scikit-learn==1.2.1 ${'x'.repeat(120)}`;
    const text = renderInfoYaml({ model, version, run, requirements: ['mlflow==2.14.3', long] });
    assert.match(text, /^AdditionalInfo: \|-?$/m, 'a literal block, not a folded (>) one');
    const block = text.slice(text.indexOf('AdditionalInfo:')).split('\n').slice(1);
    assert.ok(block.includes('  | name | value |') && block.includes('  |---|---|'), 'the parameter table lines follow each other');
    assert.ok(block.includes(`    - \`${long}\``), 'a long line stays one line');
    const doc = yaml.load(text) as { AdditionalInfo: string };
    assert.match(doc.AdditionalInfo, /## Parameters\n\n\| name \| value \|\n\|---\|---\|\n\| alpha \| 0\.5 \|/);
  });

  it('a description of more than 50 characters is used as is; the creator setting wins over mlflow.user', () => {
    const long = 'Predicts the quality of Portuguese red wine from 11 physicochemical measurements.';
    const doc = yaml.load(renderInfoYaml({ model: { ...model, description: long }, version, run, creator: 'AIST ABCI team' })) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(doc.Description, long);
    assert.equal(doc.Creator.Name, 'AIST ABCI team');
    assert.ok(!findPlaceholders(doc).includes('Description'));
  });

  it('hostile server text stays inside its value (no new keys, no broken document)', () => {
    const evil = 'x\nLicense:\n  Name: MIT\n# comment\n"quoted": [1, 2]\n--- !!js/function';
    const doc = yaml.load(
      renderInfoYaml({ model: { ...model, name: evil, description: `${evil} padded to be long enough for the description rule` }, version: { ...version, name: evil }, run }),
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(doc.Name, evil);
    assert.ok(isPlaceholder(doc.License.Name), 'License was not overwritten by the injected text');
  });
});
