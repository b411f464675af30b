/**
 * MLflow 3's logged models (`m-…`): a model with its own artifact root outside the run. The
 * server lists and serves their files itself (`logged-models/{id}/artifacts/directories` and
 * the ajax-api `…/artifacts/files` route) whatever the store behind it (proxied, S3, a path),
 * so the client needs no store credentials — the same role artifacts/list + get-artifact play
 * for runs.
 */
import * as l10n from '@vscode/l10n';
import { checkedArtifactPath, downloadFile, listRecursive, openFile, type ArtifactDownload, type ArtifactStream, type DownloadOptions } from './artifacts';
import { MlflowError } from './errors';
import type { CallOptions, MlflowHttp } from './http';
import * as n from './normalize';
import type { ArtifactListing, FileInfo, LoggedModel, LoggedModelsPage } from './types';

const API = 'api/2.0/mlflow/logged-models';

/** Logged model ids are `m-` plus 32 hex digits on real servers; anything else never reaches a URL path. */
const LOGGED_MODEL_ID = /^m-[A-Za-z0-9]{1,64}$/;

export function isLoggedModelId(id: string): boolean {
  return LOGGED_MODEL_ID.test(id);
}

/** The id in `models:/m-…` (optionally followed by a sub path), else undefined. */
export function loggedModelIdOfUri(uri: string): string | undefined {
  const match = /^models:\/(m-[A-Za-z0-9]+)(?:\/|$)/.exec(uri.trim());
  return match ? match[1] : undefined;
}

function checkedId(modelId: string): string {
  if (!isLoggedModelId(modelId)) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('"{0}" is not a logged model id (m-…).', modelId) });
  }
  return modelId;
}

export interface LoggedModelSearch {
  experimentIds: string[];
  /** e.g. `source_run_id = '…'` (MLflow's logged-model filter grammar). */
  filter?: string;
  maxResults?: number;
  pageToken?: string;
}

export async function getLoggedModel(http: MlflowHttp, modelId: string, options: CallOptions = {}): Promise<LoggedModel> {
  const raw = await http.getJson(`${API}/${checkedId(modelId)}`, undefined, options);
  return n.loggedModel(n.asObject(raw).model);
}

/** POST but read-only, so retried like a GET. */
export async function searchLoggedModelsPage(http: MlflowHttp, search: LoggedModelSearch, options: CallOptions = {}): Promise<LoggedModelsPage> {
  const raw = await http.postJson(
    `${API}/search`,
    { experiment_ids: search.experimentIds, filter: search.filter || undefined, max_results: search.maxResults, page_token: search.pageToken },
    { ...options, idempotent: true },
  );
  return { models: n.asList(n.asObject(raw).models, n.loggedModel), next_page_token: n.pageToken(raw) };
}

/** One folder level of the model's files; paths are relative to the model's artifact root. */
export async function listLoggedModelArtifacts(http: MlflowHttp, modelId: string, path: string | undefined, options: CallOptions = {}): Promise<ArtifactListing> {
  const raw = await http.getJson(
    `${API}/${checkedId(modelId)}/artifacts/directories`,
    { artifact_directory_path: path ? checkedArtifactPath(path) : undefined },
    options,
  );
  return n.artifactListing(raw);
}

export function listLoggedModelArtifactsRecursive(
  http: MlflowHttp,
  modelId: string,
  path: string | undefined,
  options: CallOptions & { concurrency?: number } = {},
): Promise<FileInfo[]> {
  return listRecursive((dir, o) => listLoggedModelArtifacts(http, modelId, dir, o), path, options);
}

/** One file of the model, through the server (the route the MLflow UI uses; any store behind it). */
export function downloadLoggedModelArtifact(http: MlflowHttp, modelId: string, path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
  return downloadFile(http, loggedModelFileRoute(modelId), { artifact_file_path: checkedArtifactPath(path) }, options);
}

/** The same file as a Node stream (the export's bulk path). */
export function openLoggedModelArtifact(http: MlflowHttp, modelId: string, path: string, options: DownloadOptions = {}): Promise<ArtifactStream> {
  return openFile(http, loggedModelFileRoute(modelId), { artifact_file_path: checkedArtifactPath(path) }, options);
}

const loggedModelFileRoute = (modelId: string) => `ajax-api/2.0/mlflow/logged-models/${checkedId(modelId)}/artifacts/files`;
