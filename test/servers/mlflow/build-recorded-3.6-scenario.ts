/**
 * Rebuilds test/fixtures/scenarios/recorded-3.6.json from the recordings of a real MLflow
 * 3.6.1.dev0 in test/fixtures/mlflow-recorded-3.6/, so the test server in its MLflow 3 mode
 * answers the recorded requests with the recorded values.
 * Run: node --import tsx test/servers/mlflow/build-recorded-3.6-scenario.ts
 *
 * Files that were only listed (not downloaded) get stand-in bytes of the recorded size; the
 * other two logged models (never listed) get the recorded model's files with their own ids.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ArtifactContent, Scenario, ScenarioLoggedModel, ScenarioRegisteredModel, ScenarioRun } from './scenario';

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded JSON is walked as it is */
const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
const RECORDED = path.join(FIXTURES, 'mlflow-recorded-3.6');
const json = (name: string): any => JSON.parse(readFileSync(path.join(RECORDED, `${name}.json`), 'utf8'));
const text = (file: string): string => readFileSync(path.join(RECORDED, file), 'utf8');

function sized(body: string, size: number): ArtifactContent {
  let t = body;
  const missing = size - Buffer.byteLength(t);
  if (missing >= 3 && /^\s*[[{]/.test(t)) t += `\n${' '.repeat(missing - 2)}\n`;
  else if (missing >= 3) t += `\n#${'-'.repeat(missing - 3)}\n`;
  else if (missing > 0) t += '\n'.repeat(missing);
  return { text: Buffer.from(t).subarray(0, size).toString('utf8') };
}

const RECORDED_MODEL = 'm-e531c2b758524177a3b1da6649dea985';
const MLMODEL = text('logged_models_artifacts_file_MLmodel.yaml');
const modelFiles = (json('logged_models_artifacts_directories').files as Array<{ path: string; file_size: number }>);

function loggedModelArtifacts(modelId: string, runId: string): Record<string, ArtifactContent> {
  const out: Record<string, ArtifactContent> = {};
  for (const f of modelFiles) {
    if (f.path === 'MLmodel') {
      out.MLmodel = { text: MLMODEL.split(RECORDED_MODEL).join(modelId).replace(/^run_id: .*$/m, `run_id: ${runId}`) };
    } else if (f.path === 'requirements.txt') out[f.path] = sized('mlflow==3.6.0\ncloudpickle==2.2.1\nnumpy==1.24.2\nscikit-learn==1.2.1\nscipy==1.10.1', f.file_size);
    else if (f.path === 'python_env.yaml') out[f.path] = sized('python: 3.11.2\nbuild_dependencies:\n- pip==23.0.1\ndependencies:\n- -r requirements.txt', f.file_size);
    else if (f.path.endsWith('.json')) out[f.path] = sized('{"columns": ["fixed_acidity"], "data": [[7.4]]}', f.file_size);
    else if (f.path.endsWith('.pkl')) out[f.path] = { generated: { size: f.file_size, seed: 3 } };
    else out[f.path] = sized('name: mlflow-env\nchannels:\n- conda-forge', f.file_size);
  }
  return out;
}

const runsById = new Map<string, any>();
for (const r of json('runs_search').runs) runsById.set(r.info.run_id, r);
for (const n of ['runs_get_with_logged_model', 'runs_get_with_dataset_input', 'runs_get_running', 'runs_get_xss']) {
  const r = json(n).run;
  runsById.set(r.info.run_id, r);
}
const history = json('metrics_get_history_max_results_25000').metrics as Array<{ step: number; value: number; timestamp: number }>;
const HISTORY_RUN = 'f0c5780dab2947d89c92478a068e05f4';
const LEGACY_RUN = 'e90bf4e5694c4f6eb258c657e6ac7db8';

function scenarioRun(r: any): ScenarioRun {
  const info = r.info;
  const out: ScenarioRun = {
    run_id: info.run_id,
    run_name: info.run_name,
    user_id: info.user_id,
    status: info.status,
    start_time: info.start_time,
    end_time: info.end_time,
    lifecycle_stage: info.lifecycle_stage,
    artifact_uri: info.artifact_uri,
    params: r.data.params ?? [],
    tags: r.data.tags ?? [],
    metrics: r.data.metrics ?? [],
    inputs: r.inputs ?? {},
    outputs: r.outputs ?? {},
  };
  if (info.run_id === HISTORY_RUN) {
    out.history = { train_loss: history.map((p) => [p.step, p.value, p.timestamp]) };
    out.artifacts = { 'plots/residuals.txt': { text: text('get_artifact_run_file.txt') } };
  }
  if (info.run_id === LEGACY_RUN) {
    out.artifacts = {};
    for (const f of json('artifacts_list_legacy_model').files as Array<{ path: string; file_size: number }>) {
      out.artifacts[f.path] = f.path.endsWith('MLmodel')
        ? sized(`artifact_path: legacy_model\nflavors:\n  python_function:\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: mlflow.sklearn\n    python_version: 3.11.2\nmlflow_version: 3.6.1.dev0\nrun_id: ${LEGACY_RUN}`, f.file_size)
        : loggedModelArtifacts('m-0', LEGACY_RUN)[path.basename(f.path)] ?? sized('', f.file_size);
    }
  }
  return out;
}

const experiments = (json('experiments_search').experiments as any[]).map((e) => ({
  experiment_id: e.experiment_id,
  name: e.name,
  artifact_location: e.artifact_location,
  lifecycle_stage: e.lifecycle_stage,
  creation_time: e.creation_time,
  last_update_time: e.last_update_time,
  tags: e.tags ?? [],
  runs: [...runsById.values()].filter((r) => r.info.experiment_id === e.experiment_id).map(scenarioRun),
}));

const versionsByModel = new Map<string, any[]>();
for (const v of [...json('model_versions_search').model_versions, json('model_versions_get_legacy_v1').model_version]) {
  const list = versionsByModel.get(v.name) ?? [];
  if (!list.some((x) => x.version === v.version)) list.push(v);
  versionsByModel.set(v.name, list);
}
const registeredModels: ScenarioRegisteredModel[] = (json('registered_models_search').registered_models as any[]).map((m) => ({
  name: m.name,
  creation_timestamp: m.creation_timestamp,
  last_updated_timestamp: m.last_updated_timestamp,
  description: m.description,
  tags: m.tags ?? [],
  aliases: Object.fromEntries((m.aliases ?? []).map((a: any) => [a.alias, a.version])),
  versions: (versionsByModel.get(m.name) ?? []).map((v) => ({
    version: v.version,
    creation_timestamp: v.creation_timestamp,
    last_updated_timestamp: v.last_updated_timestamp,
    current_stage: v.current_stage,
    description: v.description,
    source: v.source,
    run_id: v.run_id,
    status: v.status,
    tags: v.tags ?? [],
    run_link: v.run_link,
  })),
}));

const loggedModels: ScenarioLoggedModel[] = (json('logged_models_search').models as any[]).map((m) => ({
  model_id: m.info.model_id,
  experiment_id: m.info.experiment_id,
  name: m.info.name,
  creation_timestamp_ms: m.info.creation_timestamp_ms,
  last_updated_timestamp_ms: m.info.last_updated_timestamp_ms,
  status: m.info.status,
  model_type: m.info.model_type,
  source_run_id: m.info.source_run_id,
  tags: m.info.tags ?? [],
  params: m.data.params ?? [],
  metrics: m.data.metrics ?? [],
  artifacts: loggedModelArtifacts(m.info.model_id, m.info.source_run_id),
}));

const scenario: Scenario = {
  description: 'Built from test/fixtures/mlflow-recorded-3.6 (a real MLflow 3.6.1.dev0) by build-recorded-3.6-scenario.ts: do not edit by hand.',
  mlflowVersion: text('version.txt').trim(),
  experiments,
  registeredModels,
  loggedModels,
};
writeFileSync(path.join(FIXTURES, 'scenarios', 'recorded-3.6.json'), `${JSON.stringify(scenario, null, 1)}\n`);
console.log(`recorded-3.6.json: ${experiments.length} experiments, ${runsById.size} runs, ${registeredModels.length} models, ${loggedModels.length} logged models`);
