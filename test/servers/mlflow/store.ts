/** The in-memory MLflow store, built from a scenario (and optionally a generator). */
import { ArtifactTree, fileFromContent, mlflowArtifactsPath } from './artifacts';
import type { Experiment, LoggedModelEntity, RegisteredModel, RunLike } from './entities';
import { ExplicitRun } from './explicit-run';
import { generateInto } from './generate';
import { ServerS3 } from './s3-store';
import { tagsToList, type LoadedScenario } from './scenario';

export class Store {
  readonly experiments: Experiment[] = [];
  readonly experimentsById = new Map<string, Experiment>();
  readonly runs: RunLike[] = [];
  readonly runsById = new Map<string, RunLike>();
  readonly runsByExperiment = new Map<string, RunLike[]>();
  readonly models = new Map<string, RegisteredModel>();
  readonly artifacts = new ArtifactTree();
  /** Paths answered with Flask's HTML 404 as if this MLflow did not have them (scenario `missingRoutes`). */
  readonly missingRoutes = new Set<string>();
  /** Set when the scenario gives the server S3 access (runs with `s3://` artifact roots). */
  s3: ServerS3 | undefined;
  /** Sorted, filtered run lists per query, so paging 100,000 runs sorts once. */
  readonly runSearchCache = new Map<string, RunLike[]>();
  /** The MLflow this server plays: "2.14.3" unless the scenario says otherwise. */
  mlflowVersion = '2.14.3';
  /** MLflow 3 logged models by id. */
  readonly loggedModels = new Map<string, LoggedModelEntity>();
  /** Extra host names the MLflow 3 security middleware lets through. */
  readonly allowedHosts = new Set<string>();

  get isMlflow3(): boolean {
    return Number(/^(\d+)\./.exec(this.mlflowVersion)?.[1] ?? 0) >= 3;
  }

  addExperiment(e: Experiment): void {
    this.experiments.push(e);
    this.experimentsById.set(e.experiment_id, e);
    if (!this.runsByExperiment.has(e.experiment_id)) this.runsByExperiment.set(e.experiment_id, []);
  }

  addRun(r: RunLike): void {
    this.runs.push(r);
    this.runsById.set(r.runId, r);
    let list = this.runsByExperiment.get(r.experimentId);
    if (!list) this.runsByExperiment.set(r.experimentId, (list = []));
    list.push(r);
  }

  addModel(m: RegisteredModel): void {
    this.models.set(m.name, m);
  }

  /** Path under the artifacts root for a run-relative artifact path, if served by this store. */
  runArtifactPath(run: RunLike, relPath: string): string | undefined {
    const root = mlflowArtifactsPath(run.artifactUri);
    if (root === undefined) return undefined;
    return relPath ? `${root}/${relPath}` : root;
  }
}

export function buildStore(loaded: LoadedScenario): Store {
  const { scenario, baseDir } = loaded;
  const store = new Store();
  for (const route of scenario.missingRoutes ?? []) store.missingRoutes.add(route);
  if (scenario.s3) store.s3 = new ServerS3(scenario.s3);
  for (const e of scenario.experiments ?? []) {
    const artifactLocation = e.artifact_location ?? `mlflow-artifacts:/${e.experiment_id}`;
    const creation = e.creation_time ?? 0;
    store.addExperiment({
      experiment_id: e.experiment_id,
      name: e.name,
      artifact_location: artifactLocation,
      lifecycle_stage: e.lifecycle_stage ?? 'active',
      last_update_time: e.last_update_time ?? creation,
      creation_time: creation,
      tags: tagsToList(e.tags),
    });
    for (const r of e.runs ?? []) {
      const run = new ExplicitRun(e.experiment_id, artifactLocation, r);
      store.addRun(run);
      for (const [rel, content] of Object.entries(r.artifacts ?? {})) {
        const p = store.runArtifactPath(run, rel);
        if (p) store.artifacts.put(p, fileFromContent(content, baseDir));
      }
    }
  }
  for (const m of scenario.registeredModels ?? []) {
    store.addModel({
      name: m.name,
      creation_timestamp: m.creation_timestamp,
      last_updated_timestamp: m.last_updated_timestamp ?? m.creation_timestamp,
      description: m.description,
      tags: tagsToList(m.tags),
      aliases: new Map(Object.entries(m.aliases ?? {})),
      versions: (m.versions ?? []).map((v) => ({
        name: m.name,
        version: String(v.version),
        creation_timestamp: v.creation_timestamp,
        last_updated_timestamp: v.last_updated_timestamp ?? v.creation_timestamp,
        current_stage: v.current_stage ?? 'None',
        description: v.description ?? '',
        source: v.source,
        run_id: v.run_id ?? '',
        status: v.status ?? 'READY',
        tags: tagsToList(v.tags),
        run_link: v.run_link ?? '',
      })),
    });
  }
  if (scenario.mlflowVersion) store.mlflowVersion = scenario.mlflowVersion;
  for (const h of scenario.allowedHosts ?? []) store.allowedHosts.add(h);
  for (const m of scenario.loggedModels ?? []) {
    const root = `${m.experiment_id}/models/${m.model_id}/artifacts`;
    store.loggedModels.set(m.model_id, {
      model_id: m.model_id,
      experiment_id: m.experiment_id,
      name: m.name,
      creation_timestamp_ms: m.creation_timestamp_ms,
      last_updated_timestamp_ms: m.last_updated_timestamp_ms ?? m.creation_timestamp_ms,
      artifact_uri: `mlflow-artifacts:/${root}`,
      status: m.status ?? 'LOGGED_MODEL_READY',
      model_type: m.model_type ?? '',
      source_run_id: m.source_run_id,
      tags: tagsToList(m.tags),
      params: tagsToList(m.params),
      metrics: m.metrics ?? [],
    });
    for (const [rel, content] of Object.entries(m.artifacts ?? {})) store.artifacts.put(`${root}/${rel}`, fileFromContent(content, baseDir));
  }
  for (const [p, content] of Object.entries(scenario.artifacts ?? {})) {
    store.artifacts.put(p, fileFromContent(content, baseDir));
  }
  if (scenario.generate) generateInto(store, scenario.generate);
  return store;
}
