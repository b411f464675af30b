// Where a model's files are, for both MLflow generations, and the two ways to read them:
// a run's artifact folder (MLflow 2: artifacts/list + get-artifact) or a logged model's own
// root (MLflow 3: logged-models/{id}/artifacts/*). Views hold an `ArtifactOwner` and never
// ask which generation they talk to.
import * as l10n from '@vscode/l10n';
import { versionArtifactPath } from '../artifacts/artifactPaths';
import type { MlflowClient } from '../mlflow/client';
import { MlflowError } from '../mlflow/errors';
import type { ArtifactDownload, DownloadOptions } from '../mlflow/artifacts';
import type { CallOptions } from '../mlflow/http';
import { isLoggedModelId, loggedModelIdOfUri } from '../mlflow/loggedModels';
import type { ArtifactListing, LoggedModel, ModelVersion } from '../mlflow/types';
import type { TrackingBackend } from './trackingBackend';

/** The MLflow 3 part of a REST backend; the local file store has none (yet). */
export type LoggedModelsBackend = Pick<
  MlflowClient,
  'capabilities' | 'getLoggedModel' | 'searchLoggedModelsPage' | 'listLoggedModelArtifacts' | 'downloadLoggedModelArtifact' | 'getModelVersionDownloadUri'
>;

export function loggedModelsBackend(backend: TrackingBackend): LoggedModelsBackend | undefined {
  const b = backend as Partial<LoggedModelsBackend>;
  return typeof b.getLoggedModel === 'function' && typeof b.listLoggedModelArtifacts === 'function' && typeof b.capabilities === 'function'
    ? (backend as unknown as LoggedModelsBackend)
    : undefined;
}

/** Whose artifact root a path is relative to: a run's, or a logged model's (with its source run). */
export type ArtifactOwner = { readonly runId: string; readonly modelId?: undefined } | { readonly modelId: string; readonly runId?: string };

function noLoggedModels(): MlflowError {
  return new MlflowError({ kind: 'notFound', userMessage: l10n.t('This MLflow server has no logged models (they need MLflow 3).') });
}

export function listOwnerArtifacts(backend: TrackingBackend, owner: ArtifactOwner, path: string | undefined, options: CallOptions = {}): Promise<ArtifactListing> {
  if (owner.modelId === undefined) return backend.listArtifacts(owner.runId, path, options);
  const lm = loggedModelsBackend(backend);
  if (!lm) return Promise.reject(noLoggedModels());
  return lm.listLoggedModelArtifacts(owner.modelId, path, options);
}

export function downloadOwnerArtifact(backend: TrackingBackend, owner: ArtifactOwner, path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
  if (owner.modelId === undefined) return backend.downloadRunArtifact(owner.runId, path, options);
  const lm = loggedModelsBackend(backend);
  if (!lm) return Promise.reject(noLoggedModels());
  return lm.downloadLoggedModelArtifact(owner.modelId, path, options);
}

/** `mlflow-artifacts:/1/models/m-…/artifacts` (what get-download-uri answers for MLflow 3 versions) → `m-…`. */
export function loggedModelIdOfArtifactUri(uri: string): string | undefined {
  const match = /\/models\/(m-[A-Za-z0-9]+)\/artifacts\/?$/.exec(uri);
  return match && isLoggedModelId(match[1]!) ? match[1] : undefined;
}

export interface VersionFiles {
  readonly owner: ArtifactOwner;
  /** Folder inside the owner's root ('' = the whole root). */
  readonly path: string;
}

/**
 * Where a registered version's files are, as MLflow says: a `models:/m-…` source is a logged
 * model; a source inside the run is that run folder; otherwise get-download-uri decides. The
 * run's whole tree is the last resort (a source elsewhere that the server cannot point to).
 */
export async function versionFiles(backend: TrackingBackend, version: ModelVersion, options: CallOptions = {}): Promise<VersionFiles | undefined> {
  const runId = version.run_id || undefined;
  const lm = loggedModelsBackend(backend);
  const fromSource = loggedModelIdOfUri(version.source);
  if (fromSource && lm) return { owner: { modelId: fromSource, runId }, path: '' };
  const inRun = runId ? versionArtifactPath(version.source, runId) : undefined;
  if (runId && inRun !== undefined) return { owner: { runId }, path: inRun };
  if (lm) {
    const uri = await lm.getModelVersionDownloadUri(version.name, version.version, options);
    const modelId = loggedModelIdOfArtifactUri(uri);
    if (modelId) return { owner: { modelId, runId }, path: '' };
    const path = runId ? versionArtifactPath(uri, runId) : undefined;
    if (runId && path !== undefined) return { owner: { runId }, path };
  }
  return runId ? { owner: { runId }, path: '' } : undefined;
}

/** The models a run produced: MLflow 3 logged models and MLflow 2 artifact folders holding an MLmodel. */
export interface RunModels {
  readonly loggedModels: LoggedModel[];
  readonly folders: string[];
}

const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';
/** Top-level folders looked into for an MLmodel when the run has no log-model history tag. */
const MAX_FOLDERS_SCANNED = 20;

function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

interface RunRef {
  info: { run_id: string; experiment_id: string };
  data: { tags: { key: string; value: string }[] };
  outputs?: { model_outputs: { model_id: string }[] };
}

export async function modelsOfRun(backend: TrackingBackend, run: RunRef, options: CallOptions = {}): Promise<RunModels> {
  const [loggedModels, folders] = await Promise.all([loggedModelsOfRun(backend, run, options), modelFoldersOfRun(backend, run, options)]);
  return { loggedModels, folders };
}

async function loggedModelsOfRun(backend: TrackingBackend, run: RunRef, options: CallOptions): Promise<LoggedModel[]> {
  const lm = loggedModelsBackend(backend);
  if (!lm || !(await lm.capabilities(options)).loggedModels) return [];
  const found = new Map<string, LoggedModel>();
  let pageToken: string | undefined;
  do {
    const page = await lm.searchLoggedModelsPage(
      { experimentIds: [run.info.experiment_id], filter: `source_run_id = ${quoted(run.info.run_id)}`, maxResults: 100, pageToken },
      options,
    );
    for (const m of page.models) if (m.info.source_run_id === run.info.run_id) found.set(m.info.model_id, m);
    pageToken = page.next_page_token;
  } while (pageToken);
  // A model logged from another run but recorded as this run's output (log_model(model_id=…)).
  const extra = (run.outputs?.model_outputs ?? []).map((o) => o.model_id).filter((id) => isLoggedModelId(id) && !found.has(id));
  for (const id of new Set(extra)) found.set(id, await lm.getLoggedModel(id, options));
  return [...found.values()].sort((a, b) => (a.info.creation_timestamp_ms ?? 0) - (b.info.creation_timestamp_ms ?? 0));
}

/** MLflow 2: `mlflow.log-model.history` names the folders; without it, top-level folders with an MLmodel. */
async function modelFoldersOfRun(backend: TrackingBackend, run: RunRef, options: CallOptions): Promise<string[]> {
  const history = run.data.tags.find((t) => t.key === LOG_MODEL_HISTORY_TAG)?.value;
  if (history) {
    try {
      const entries = JSON.parse(history) as unknown;
      const paths = Array.isArray(entries) ? entries.map((e) => (e as { artifact_path?: unknown }).artifact_path).filter((p): p is string => typeof p === 'string' && p !== '') : [];
      // MLflow 3 writes the history too, with the logged model's URI as artifact_path.
      const local = paths.filter((p) => !p.includes(':'));
      if (local.length) return [...new Set(local)].sort();
    } catch {
      // A malformed tag: fall back to looking.
    }
  }
  const root = await backend.listArtifacts(run.info.run_id, undefined, options);
  const dirs = root.files.filter((f) => f.is_dir).slice(0, MAX_FOLDERS_SCANNED);
  const hits = await Promise.all(
    dirs.map(async (d) => ((await backend.listArtifacts(run.info.run_id, d.path, options)).files.some((f) => f.path === `${d.path}/MLmodel` && !f.is_dir) ? d.path : undefined)),
  );
  return hits.filter((p): p is string => p !== undefined).sort();
}
