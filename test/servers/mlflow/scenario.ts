/**
 * Scenario files: the JSON that fills the test MLflow server's in-memory store.
 *
 * A scenario is plain JSON so tests, the CLI and the admin API (`POST /__admin/scenario`) can all
 * use it. Shape (every field optional unless noted):
 *
 * ```jsonc
 * {
 *   "description": "what this scenario is for",
 *   "include": ["recorded"],                // other scenario files merged in first
 *   "experiments": [{
 *     "experiment_id": "1",                 // required, a string like MLflow's
 *     "name": "wine-quality",               // required
 *     "artifact_location": "mlflow-artifacts:/1",   // default mlflow-artifacts:/<id>
 *     "lifecycle_stage": "active",          // or "deleted"
 *     "creation_time": 1795345697894, "last_update_time": 1795345697894,
 *     "tags": { "team": "ds" },             // object, or MLflow's [{key, value}] list (keeps order)
 *     "runs": [{
 *       "run_id": "fdc0…", "run_name": "elasticnet-a0.1", "user_id": "alice",
 *       "status": "FINISHED", "start_time": 1, "end_time": 2, "lifecycle_stage": "active",
 *       "params": { "alpha": "0.1" }, "tags": { "mlflow.runName": "…" },
 *       "metrics": [{ "key": "rmse", "value": 0.7, "timestamp": 1, "step": 0 }],  // latest values;
 *                                             // or { "rmse": 0.7 } as a shorthand
 *       "history": { "train_loss": [[step, value, timestamp], …] },  // full histories, by step;
 *                                             // value "NaN"/"Infinity"/"-Infinity" for non-finite
 *       "generatedHistory": { "loss": { "steps": 1000000, "seed": 3 } }, // lazy, formula-made
 *       "inputs": { "dataset_inputs": [ … ] }, // passed through as recorded
 *       "artifacts": { "model/MLmodel": { "text": "…" } }  // relative to the run's artifact root
 *     }]
 *   }],
 *   "registeredModels": [{
 *     "name": "ElasticnetWineModel", "creation_timestamp": 1, "last_updated_timestamp": 2,
 *     "description": "…", "tags": { "task": "regression" }, "aliases": { "champion": "1" },
 *     "versions": [{ "version": "1", "creation_timestamp": 1, "last_updated_timestamp": 2,
 *       "current_stage": "Production", "description": "", "source": "mlflow-artifacts:/1/…/model",
 *       "run_id": "fdc0…", "status": "READY", "tags": { … }, "run_link": "" }]
 *   }],
 *   "artifacts": { "1/fdc0…/artifacts/plots/a.png": { "file": "../mlflow-recorded/files/a.png" } },
 *   "generate": { … GenerateParams, see generate.ts … },  // big generated data added on top
 *   "missingRoutes": ["/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"],  // an older MLflow
 *   "s3": { "endpoint": "http://127.0.0.1:PORT" }  // the server's own S3 access, for s3:// artifact roots
 * }
 * ```
 * Artifact contents (`ArtifactContent`): `{text}`, `{base64}`, `{file}` (relative to the scenario
 * file) or `{generated: {size, seed}}` whose bytes are a pure function of (seed, offset) so a
 * multi-GB file costs no memory and any Range can be served.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { GenerateParams } from './generate';
import type { ServerS3Config } from './s3-store';

export type TagsInput = Record<string, string> | Array<{ key: string; value: string }>;

export type ArtifactContent =
  | { text: string }
  | { base64: string }
  | { file: string }
  | { generated: { size: number; seed?: number } };

export interface ScenarioMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface ScenarioRun {
  run_id: string;
  run_name?: string;
  user_id?: string;
  status?: string;
  start_time: number;
  end_time?: number;
  lifecycle_stage?: string;
  artifact_uri?: string;
  params?: TagsInput;
  tags?: TagsInput;
  metrics?: ScenarioMetric[] | Record<string, number>;
  /** Full histories: `[step, value, timestamp]` triples; value may be "NaN", "Infinity", "-Infinity". */
  history?: Record<string, Array<[number, number | string, number]>>;
  generatedHistory?: Record<string, { steps: number; seed?: number }>;
  inputs?: Record<string, unknown>;
  /** MLflow 3: `{ model_outputs: [{ model_id, step }] }` (3.x answers `{}` when absent). */
  outputs?: Record<string, unknown>;
  artifacts?: Record<string, ArtifactContent>;
}

/** MLflow 3 logged model; its files are at `<experiment>/models/<model_id>/artifacts/<path>`. */
export interface ScenarioLoggedModel {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms?: number;
  status?: string;
  model_type?: string;
  source_run_id?: string;
  tags?: TagsInput;
  params?: TagsInput;
  metrics?: Array<Record<string, unknown>>;
  artifacts?: Record<string, ArtifactContent>;
}

export interface ScenarioExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: TagsInput;
  runs?: ScenarioRun[];
}

export interface ScenarioModelVersion {
  version: string;
  creation_timestamp: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  description?: string;
  source: string;
  run_id?: string;
  status?: string;
  tags?: TagsInput;
  run_link?: string;
}

export interface ScenarioRegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: TagsInput;
  aliases?: Record<string, string>;
  versions?: ScenarioModelVersion[];
}

export interface Scenario {
  description?: string;
  /** Other scenario files (names or paths relative to this one) whose data comes first. */
  include?: string[];
  experiments?: ScenarioExperiment[];
  registeredModels?: ScenarioRegisteredModel[];
  /** Files under the mlflow-artifacts root, e.g. `1/<run_id>/artifacts/model/MLmodel`. */
  artifacts?: Record<string, ArtifactContent>;
  generate?: GenerateParams;
  /**
   * Routes this server does not have (answered with Flask's HTML 404), to play an older MLflow:
   * e.g. `["/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"]` (added in MLflow 2.9).
   */
  missingRoutes?: string[];
  /** S3 the server reads `s3://` artifact roots from (with keys of its own, like MLflow's boto3). */
  s3?: ServerS3Config;
  /**
   * The MLflow this server plays (default "2.14.3"). From "3." on it answers in MLflow 3's shapes:
   * logged models, runs with `outputs`, `models:/m-…` sources, server-features, the get-history
   * quirk without max_results, and the security middleware's plain-text 403s (see mlflow3.ts).
   */
  mlflowVersion?: string;
  loggedModels?: ScenarioLoggedModel[];
  /** Host names (without port) the MLflow 3 security middleware accepts; replaces the local defaults, as --allowed-hosts does. */
  allowedHosts?: string[];
}

/** A scenario plus the directory its `{file}` artifacts are relative to. */
export interface LoadedScenario {
  scenario: Scenario;
  baseDir: string;
}

export const SCENARIO_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'scenarios');

/** `demo`, `recorded.json` or a path: finds and parses the scenario file. */
export function loadScenarioFile(nameOrPath: string): LoadedScenario {
  const candidates = [
    nameOrPath,
    path.join(SCENARIO_DIR, nameOrPath),
    path.join(SCENARIO_DIR, `${nameOrPath}.json`),
  ];
  const found = candidates.find((c) => c.endsWith('.json') && existsSync(c));
  if (!found) throw new Error(`Scenario not found: ${nameOrPath}`);
  const baseDir = path.dirname(path.resolve(found));
  const own = JSON.parse(readFileSync(found, 'utf8')) as Scenario;
  absolutiseFiles(own, baseDir);
  let scenario: Scenario = { ...own, experiments: [], registeredModels: [], artifacts: {} };
  for (const inc of own.include ?? []) {
    const included = loadScenarioFile(inc.endsWith('.json') ? path.resolve(baseDir, inc) : inc).scenario;
    scenario = mergeScenarios(scenario, included);
  }
  scenario = mergeScenarios(scenario, own);
  delete scenario.include;
  return { scenario, baseDir };
}

/** `{file}` artifacts become absolute so included scenarios keep finding their files. */
function absolutiseFiles(s: Scenario, baseDir: string): void {
  const fix = (files: Record<string, ArtifactContent> | undefined) => {
    for (const c of Object.values(files ?? {})) if ('file' in c) c.file = path.resolve(baseDir, c.file);
  };
  fix(s.artifacts);
  for (const e of s.experiments ?? []) for (const r of e.runs ?? []) fix(r.artifacts);
  for (const m of s.loggedModels ?? []) fix(m.artifacts);
}

function mergeScenarios(a: Scenario, b: Scenario): Scenario {
  return {
    ...a,
    description: b.description ?? a.description,
    experiments: [...(a.experiments ?? []), ...(b.experiments ?? [])],
    registeredModels: [...(a.registeredModels ?? []), ...(b.registeredModels ?? [])],
    artifacts: { ...a.artifacts, ...b.artifacts },
    missingRoutes: [...(a.missingRoutes ?? []), ...(b.missingRoutes ?? [])],
    generate: b.generate ?? a.generate,
    s3: b.s3 ?? a.s3,
    mlflowVersion: b.mlflowVersion ?? a.mlflowVersion,
    loggedModels: [...(a.loggedModels ?? []), ...(b.loggedModels ?? [])],
    allowedHosts: [...(a.allowedHosts ?? []), ...(b.allowedHosts ?? [])],
  };
}

export function tagsToList(tags: TagsInput | undefined): Array<{ key: string; value: string }> {
  if (!tags) return [];
  if (Array.isArray(tags)) return tags.map((t) => ({ key: t.key, value: String(t.value) }));
  return Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
}
