/**
 * Rebuilds test/fixtures/scenarios/recorded.json from the recordings in
 * test/fixtures/mlflow-recorded/, so the test server answers the recorded requests with the
 * recorded values. Run: node --import tsx test/servers/mlflow/build-recorded-scenario.ts
 *
 * Artifact files that were only listed (not downloaded) get stand-in bytes of the recorded size.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ArtifactContent, Scenario, ScenarioExperiment, ScenarioRegisteredModel, ScenarioRun } from './scenario';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
const RECORDED = path.join(FIXTURES, 'mlflow-recorded');

interface Recording {
  body?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const rec = (name: string) => JSON.parse(readFileSync(path.join(RECORDED, `${name}.json`), 'utf8')) as Recording;

/** Plausible text padded (with a trailing comment) to the exact recorded size. */
function sized(text: string, size: number): ArtifactContent {
  let t = text;
  const missing = size - Buffer.byteLength(t);
  // JSON files are padded with whitespace (still valid JSON: clients such as the sample request
  // parse input_example.json); other text with a comment line.
  if (missing >= 3 && /^\s*[[{]/.test(t)) t += `\n${' '.repeat(missing - 2)}\n`;
  else if (missing >= 3) t += `\n#${'-'.repeat(missing - 3)}\n`;
  else if (missing > 0) t += '\n'.repeat(missing);
  return { text: Buffer.from(t).subarray(0, size).toString('utf8') };
}

const kv = (list: Array<{ key: string; value: string }> | undefined) => list ?? [];

function collectRuns(): Map<string, Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const runs = new Map<string, Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  const names = ['runs_search_wine_all', 'runs_search_deleted_only', 'runs_search_llm', 'runs_get', 'runs_get_llm', 'runs_get_failed', 'runs_get_parent', 'runs_get_nested_child'];
  for (const n of names) {
    const b = rec(n).body ?? {};
    for (const r of b.runs ?? (b.run ? [b.run] : [])) if (!runs.has(r.info.run_id)) runs.set(r.info.run_id, r);
  }
  return runs;
}

function histories(): Map<string, Record<string, Array<[number, number, number]>>> {
  const out = new Map<string, Record<string, Array<[number, number, number]>>>();
  const add = (runId: string, key: string, pts: Array<{ step: number; value: number; timestamp: number }>) => {
    const h = out.get(runId) ?? {};
    h[key] ??= pts.map((p) => [p.step, p.value, p.timestamp]);
    out.set(runId, h);
  };
  add('fdc0413dbe594808a9e7f4ac1b68800c', 'train_loss', rec('metrics_get_history').body?.metrics);
  add('93f0d454e77045d0b23d7288681c1311', 'loss', rec('metrics_get_history_llm_loss_1000').body?.metrics);
  for (const file of ['ajax_get_history_bulk', 'ajax_get_history_bulk_interval']) {
    const byRun = new Map<string, Array<{ key: string; step: number; value: number; timestamp: number }>>();
    for (const m of rec(file).body?.metrics ?? []) byRun.set(m.run_id, [...(byRun.get(m.run_id) ?? []), m]);
    // Only the sampled points of these runs' `loss` were recorded: they stand for the history.
    for (const [runId, pts] of byRun) add(runId, pts[0].key, pts);
  }
  return out;
}

const MLMODEL = readFileSync(path.join(RECORDED, 'files', 'MLmodel'), 'utf8');
const file = (name: string): ArtifactContent => ({ file: `../mlflow-recorded/files/${name}` });

function wineModelDir(runId: string): Record<string, ArtifactContent> {
  return {
    'model/MLmodel': runId === 'fdc0413dbe594808a9e7f4ac1b68800c' ? file('MLmodel') : { text: MLMODEL.replace(/fdc0413dbe594808a9e7f4ac1b68800c/g, runId) },
    'model/conda.yaml': sized('channels:\n- conda-forge\ndependencies:\n- python=3.11.2\n- pip<=23.0.1\n- pip:\n  - mlflow==2.14.3\n  - cloudpickle==2.2.0\n  - scikit-learn==1.2.1\nname: mlflow-env', 317),
    'model/input_example.json': sized('{"columns": ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides", "free_sulfur_dioxide", "total_sulfur_dioxide", "density", "pH", "sulphates", "alcohol"], "data": [[7.4, 0.7, 0.0, 1.9, 0.076, 11.0, 34.0, 0.9978, 3.51, 0.56, 9.4]]}', 854),
    'model/model.pkl': { generated: { size: 859, seed: 11 } },
    'model/python_env.yaml': sized('python: 3.11.2\nbuild_dependencies:\n- pip==23.0.1\n- setuptools==66.1.1\n- wheel==0.38.4\ndependencies:\n- -r requirements.txt', 122),
    'model/requirements.txt': file('requirements.txt'),
  };
}

function runArtifacts(runId: string, experimentId: string, registered: Set<string>): Record<string, ArtifactContent> | undefined {
  if (runId === 'fdc0413dbe594808a9e7f4ac1b68800c') {
    return {
      'data/train_sample.csv': { text: 'fixed_acidity,volatile_acidity,quality\n7.4,0.7,5\n7.8,0.88,5\n' },
      'metrics.json': sized('{"rmse": 0.7278226002536912, "mae": 0.5921261991396873, "r2": 0.25912484274119674}', 90),
      ...wineModelDir(runId),
      'plots/coefficients.png': file('coefficients.png'),
      'plots/residuals.png': { generated: { size: 8849, seed: 12 } },
    };
  }
  if (experimentId === '2' && registered.has(runId)) {
    return {
      'model/MLmodel': { text: `artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n    python_model: python_model.pkl\n    python_version: 3.11.2\nmlflow_version: 2.14.3\nrun_id: ${runId}\n` },
      'model/artifacts/weights/adapter_model.bin': { generated: { size: 3145728, seed: 21 } },
      'model/artifacts/weights/config.json': file('llm-config.json'),
      'model/artifacts/weights/tokenizer.json': sized('{"version": "1.0", "truncation": null, "padding": null, "model": {"type": "BPE"}}', 31835),
      'model/requirements.txt': { text: 'mlflow==2.14.3\ntorch==2.3.1\ntransformers==4.41.2\npeft==0.11.1\n' },
    };
  }
  if (registered.has(runId)) return wineModelDir(runId);
  return undefined;
}

function build(): Scenario {
  const runs = collectRuns();
  const hist = histories();
  const versions = rec('model_versions_search_all').body?.model_versions ?? [];
  const registered = new Set<string>(versions.map((v: { run_id: string }) => v.run_id));
  const experiments: ScenarioExperiment[] = (rec('experiments_search_post_all').body?.experiments ?? []).map(
    (e: Record<string, any>) => ({ ...e, tags: kv(e.tags), runs: [] as ScenarioRun[] }), // eslint-disable-line @typescript-eslint/no-explicit-any
  );
  for (const r of runs.values()) {
    const exp = experiments.find((e) => e.experiment_id === r.info.experiment_id);
    if (!exp) throw new Error(`run ${r.info.run_id} has no experiment`);
    const run: ScenarioRun = {
      run_id: r.info.run_id,
      run_name: r.info.run_name,
      user_id: r.info.user_id,
      status: r.info.status,
      start_time: r.info.start_time,
      end_time: r.info.end_time,
      lifecycle_stage: r.info.lifecycle_stage,
      params: kv(r.data.params),
      tags: kv(r.data.tags),
      metrics: r.data.metrics ?? [],
      inputs: r.inputs ?? {},
    };
    if (hist.has(run.run_id)) run.history = hist.get(run.run_id);
    const artifacts = runArtifacts(run.run_id, exp.experiment_id, registered);
    if (artifacts) run.artifacts = artifacts;
    exp.runs?.push(run);
  }
  for (const e of experiments) e.runs?.sort((a, b) => a.start_time - b.start_time);
  const models: ScenarioRegisteredModel[] = (rec('registered_models_search_all').body?.registered_models ?? []).map(
    (m: Record<string, any>) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      name: m.name,
      creation_timestamp: m.creation_timestamp,
      last_updated_timestamp: m.last_updated_timestamp,
      description: m.description,
      tags: kv(m.tags),
      aliases: Object.fromEntries((m.aliases ?? []).map((a: { alias: string; version: string }) => [a.alias, a.version])),
      versions: versions
        .filter((v: { name: string }) => v.name === m.name)
        .sort((a: { version: string }, b: { version: string }) => Number(a.version) - Number(b.version))
        .map((v: Record<string, unknown>) => ({ ...v, name: undefined })),
    }),
  );
  return {
    description: 'The data of the MLflow 2.14.3 recordings in test/fixtures/mlflow-recorded (wine-quality, llm-finetune, scratch-deleted).',
    experiments,
    registeredModels: models,
  };
}

const out = path.join(FIXTURES, 'scenarios', 'recorded.json');
writeFileSync(out, `${JSON.stringify(build(), null, 1)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
