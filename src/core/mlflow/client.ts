/**
 * Typed MLflow REST client. Plain Node (no 'vscode'): everything it needs — base URL,
 * credentials, TLS options, timeout, a request-log hook, AbortSignals — comes in as arguments.
 * Every method takes `{ signal }` last; every failure is an MlflowError (see errors.ts).
 */
import {
  downloadFile,
  openFile,
  checkedArtifactPath,
  encodeArtifactPath,
  listProxiedArtifacts,
  listRunArtifacts,
  listRunArtifactsRecursive,
  type ArtifactDownload,
  type ArtifactStream,
  type DownloadOptions,
} from './artifacts';
import { MlflowError, notJsonError } from './errors';
import { MlflowHttp, type CallOptions, type MlflowHttpOptions } from './http';
import * as lm from './loggedModels';
import { fetchCapabilities, type ServerCapabilities } from './serverCapabilities';
import * as n from './normalize';
import { RegistryWrites } from './registryWrites';
import { TrackingWrites } from './trackingWrites';
import { iterateItems } from './paging';
import type { BulkIntervalQuery, ExperimentSearch, RegistrySearch, RunSearch } from './searchParams';
import type {
  ArtifactListing,
  BulkIntervalPoint,
  Experiment,
  FileInfo,
  LoggedModel,
  LoggedModelsPage,
  Metric,
  ModelVersion,
  ExperimentsPage,
  ModelVersionsPage,
  RegisteredModelsPage,
  RunsPage,
  RegisteredModel,
  Run,
} from './types';

export type MlflowClientOptions = MlflowHttpOptions;
export type { BulkIntervalQuery, ExperimentSearch, RegistrySearch, RunSearch } from './searchParams';
export type { LoggedModelSearch } from './loggedModels';

/** metrics/get-history's page size (MLflow's maximum): always sent, see getMetricHistory. */
export const METRIC_HISTORY_PAGE_SIZE = 25_000;

type WithoutToken<T> = Omit<T, 'pageToken'>;

const API = 'api/2.0/mlflow';

function invalid(userMessage: string): MlflowError {
  return new MlflowError({ kind: 'invalidParameter', userMessage });
}

export class MlflowClient {
  private readonly http: MlflowHttp;
  private capabilitiesPromise: Promise<ServerCapabilities> | undefined;
  /** Writes to experiments and runs (trackingWrites.ts). */
  readonly trackingWrites: TrackingWrites;
  /** Writes to the model registry (registryWrites.ts). */
  readonly registryWrites: RegistryWrites;

  constructor(options: MlflowClientOptions) {
    this.http = new MlflowHttp(options);
    this.trackingWrites = new TrackingWrites(this.http, (o) => this.capabilities(o));
    this.registryWrites = new RegistryWrites(this.http, (o) => this.capabilities(o));
  }

  get trackingUri(): string {
    return this.http.trackingUri;
  }

  /** Releases pooled connections of a private TLS agent (if any). */
  async dispose(): Promise<void> {
    await this.http.close();
  }

  // --- server -------------------------------------------------------------------------------

  /** Cheapest authenticated question: proves the URL, the prefix and the credentials. */
  async ping(options: CallOptions = {}): Promise<void> {
    const raw = await this.http.getJson(`${API}/experiments/search`, { max_results: 1 }, options);
    // An MLflow server answers an object ({} when there is no experiment at all).
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw notJsonError(200, 'GET experiments/search');
    }
  }

  /** The MLflow version string, e.g. "2.14.3" (the /version route answers plain text). */
  async getVersion(options: CallOptions = {}): Promise<string> {
    const text = (await this.http.getText('version', options)).trim();
    if (text.startsWith('<') || text.length > 64) {
      throw notJsonError(200, 'GET version');
    }
    return text;
  }

  /**
   * Version and features, fetched once per client (one client = one connection); a cancelled
   * first call is forgotten so the next caller asks again.
   */
  capabilities(options: CallOptions = {}): Promise<ServerCapabilities> {
    if (!this.capabilitiesPromise) {
      const pending = fetchCapabilities(this.http, () => this.getVersion(options), options);
      this.capabilitiesPromise = pending;
      pending.catch(() => {
        if (this.capabilitiesPromise === pending) this.capabilitiesPromise = undefined;
      });
    }
    return this.capabilitiesPromise;
  }

  // --- experiments ----------------------------------------------------------------------------

  async searchExperimentsPage(search: ExperimentSearch = {}, options: CallOptions = {}): Promise<ExperimentsPage> {
    const raw = await this.http.postJson(
      `${API}/experiments/search`,
      {
        filter: search.filter || undefined,
        view_type: search.viewType,
        max_results: search.maxResults,
        order_by: search.orderBy,
        page_token: search.pageToken,
      },
      { ...options, idempotent: true },
    );
    return { experiments: n.asList(n.asObject(raw).experiments, n.experiment), next_page_token: n.pageToken(raw) };
  }

  iterateExperiments(search: WithoutToken<ExperimentSearch> = {}, options: CallOptions = {}): AsyncGenerator<Experiment> {
    return iterateItems((pageToken) => this.searchExperimentsPage({ ...search, pageToken }, options), (p) => p.experiments, options.signal);
  }

  async getExperiment(experimentId: string, options: CallOptions = {}): Promise<Experiment> {
    const raw = await this.http.getJson(`${API}/experiments/get`, { experiment_id: experimentId }, options);
    return n.experiment(n.asObject(raw).experiment);
  }

  async getExperimentByName(name: string, options: CallOptions = {}): Promise<Experiment> {
    const raw = await this.http.getJson(`${API}/experiments/get-by-name`, { experiment_name: name }, options);
    return n.experiment(n.asObject(raw).experiment);
  }

  // --- runs -----------------------------------------------------------------------------------

  /** runs/search is POST-only on the server, but read-only, so it is retried like a GET. */
  async searchRunsPage(search: RunSearch, options: CallOptions = {}): Promise<RunsPage> {
    const raw = await this.http.postJson(
      `${API}/runs/search`,
      {
        experiment_ids: search.experimentIds,
        filter: search.filter || undefined,
        run_view_type: search.runViewType,
        max_results: search.maxResults,
        order_by: search.orderBy,
        page_token: search.pageToken,
      },
      { ...options, idempotent: true },
    );
    return { runs: n.asList(n.asObject(raw).runs, n.run), next_page_token: n.pageToken(raw) };
  }

  iterateRuns(search: WithoutToken<RunSearch>, options: CallOptions = {}): AsyncGenerator<Run> {
    return iterateItems((pageToken) => this.searchRunsPage({ ...search, pageToken }, options), (p) => p.runs, options.signal);
  }

  async getRun(runId: string, options: CallOptions = {}): Promise<Run> {
    const raw = await this.http.getJson(`${API}/runs/get`, { run_id: runId }, options);
    return n.run(n.asObject(raw).run);
  }

  /**
   * Full history of one metric, page by page. `max_results` is always sent: MLflow 3.4–3.6
   * answer no metrics without it, only a page token that then fails (upstream bug #23916);
   * 2.x accepts it too and pages the same way.
   */
  async getMetricHistory(runId: string, metricKey: string, options: CallOptions = {}): Promise<Metric[]> {
    const points: Metric[] = [];
    const pages = iterateItems(async (pageToken) => {
      const raw = await this.http.getJson(
        `${API}/metrics/get-history`,
        { run_id: runId, metric_key: metricKey, max_results: METRIC_HISTORY_PAGE_SIZE, page_token: pageToken },
        options,
      );
      return { metrics: n.asList(n.asObject(raw).metrics, n.metric), next_page_token: n.pageToken(raw) };
    }, (page) => page.metrics, options.signal);
    for await (const point of pages) points.push(point);
    return points;
  }

  /** Evenly sampled history of several runs (what the MLflow UI charts use); keeps first/last step. */
  async getMetricHistoryBulkInterval(query: BulkIntervalQuery, options: CallOptions = {}): Promise<BulkIntervalPoint[]> {
    if (query.runIds.length === 0 || query.runIds.length > 100) {
      throw invalid('Between 1 and 100 runs can be charted at once.');
    }
    if ((query.startStep === undefined) !== (query.endStep === undefined)) {
      throw invalid('A step range needs both a start step and an end step.');
    }
    // The ajax-api route lives next to api/ under the same tracking-URI prefix.
    const raw = await this.http.getJson(
      'ajax-api/2.0/mlflow/metrics/get-history-bulk-interval',
      {
        run_ids: query.runIds,
        metric_key: query.metricKey,
        start_step: query.startStep,
        end_step: query.endStep,
        max_results: query.maxResults,
      },
      options,
    );
    return n.asList(n.asObject(raw).metrics, n.bulkIntervalPoint);
  }

  // --- artifacts ------------------------------------------------------------------------------

  /** One folder level of a run's artifacts (paths are relative to the run's artifact root). */
  listArtifacts(runId: string, path?: string, options: CallOptions = {}): Promise<ArtifactListing> {
    return listRunArtifacts(this.http, runId, path, options);
  }

  /** All files and folders below `path`, sorted by path. */
  listArtifactsRecursive(runId: string, path?: string, options: CallOptions & { concurrency?: number } = {}): Promise<FileInfo[]> {
    return listRunArtifactsRecursive(this.http, runId, path, options);
  }

  /** Listing of the server's proxied store; `path` is what follows `mlflow-artifacts:/`. */
  listMlflowArtifacts(path?: string, options: CallOptions = {}): Promise<FileInfo[]> {
    return listProxiedArtifacts(this.http, path, options);
  }

  /** Download from the proxied store; `path` is what follows `mlflow-artifacts:/`. */
  async downloadMlflowArtifact(path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
    return downloadFile(this.http, `api/2.0/mlflow-artifacts/artifacts/${encodeArtifactPath(path)}`, undefined, options);
  }

  /** downloadMlflowArtifact with the body as a Node stream, for big files (see bulkGet.ts). */
  openMlflowArtifact(path: string, options: DownloadOptions = {}): Promise<ArtifactStream> {
    return openFile(this.http, `api/2.0/mlflow-artifacts/artifacts/${encodeArtifactPath(path)}`, undefined, options);
  }

  /** downloadModelVersionArtifact with the body as a Node stream, for big files. */
  openModelVersionArtifact(name: string, version: string, path: string, options: DownloadOptions = {}): Promise<ArtifactStream> {
    return openFile(this.http, 'model-versions/get-artifact', { name, version, path: checkedArtifactPath(path) }, options);
  }

  /** downloadLoggedModelArtifact with the body as a Node stream, for big files. */
  openLoggedModelArtifact(modelId: string, path: string, options: DownloadOptions = {}): Promise<ArtifactStream> {
    return lm.openLoggedModelArtifact(this.http, modelId, path, options);
  }

  /** Download a run artifact through the server's UI route (works for any store, S3 included). */
  async downloadRunArtifact(runId: string, path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
    return downloadFile(this.http, 'get-artifact', { run_uuid: runId, path: checkedArtifactPath(path) }, options);
  }

  /** Download a file of a model version through the server's UI route. */
  async downloadModelVersionArtifact(name: string, version: string, path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
    return downloadFile(this.http, 'model-versions/get-artifact', { name, version, path: checkedArtifactPath(path) }, options);
  }

  // --- logged models (MLflow 3) ------------------------------------------------------------

  getLoggedModel(modelId: string, options: CallOptions = {}): Promise<LoggedModel> {
    return lm.getLoggedModel(this.http, modelId, options);
  }

  searchLoggedModelsPage(search: lm.LoggedModelSearch, options: CallOptions = {}): Promise<LoggedModelsPage> {
    return lm.searchLoggedModelsPage(this.http, search, options);
  }

  listLoggedModelArtifacts(modelId: string, path?: string, options: CallOptions = {}): Promise<ArtifactListing> {
    return lm.listLoggedModelArtifacts(this.http, modelId, path, options);
  }

  listLoggedModelArtifactsRecursive(modelId: string, path?: string, options: CallOptions & { concurrency?: number } = {}): Promise<FileInfo[]> {
    return lm.listLoggedModelArtifactsRecursive(this.http, modelId, path, options);
  }

  downloadLoggedModelArtifact(modelId: string, path: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
    return lm.downloadLoggedModelArtifact(this.http, modelId, path, options);
  }

  // --- model registry -------------------------------------------------------------------------

  async searchRegisteredModelsPage(search: RegistrySearch = {}, options: CallOptions = {}): Promise<RegisteredModelsPage> {
    const raw = await this.http.getJson(
      `${API}/registered-models/search`,
      { filter: search.filter || undefined, max_results: search.maxResults, order_by: search.orderBy, page_token: search.pageToken },
      options,
    );
    return { registered_models: n.asList(n.asObject(raw).registered_models, n.registeredModel), next_page_token: n.pageToken(raw) };
  }

  iterateRegisteredModels(search: WithoutToken<RegistrySearch> = {}, options: CallOptions = {}): AsyncGenerator<RegisteredModel> {
    return iterateItems((pageToken) => this.searchRegisteredModelsPage({ ...search, pageToken }, options), (p) => p.registered_models, options.signal);
  }

  async getRegisteredModel(name: string, options: CallOptions = {}): Promise<RegisteredModel> {
    const raw = await this.http.getJson(`${API}/registered-models/get`, { name }, options);
    return n.registeredModel(n.asObject(raw).registered_model);
  }

  /** Latest version per stage (stages are deprecated but still reported by 2.x servers). */
  async getLatestVersions(name: string, options: CallOptions & { stages?: string[] } = {}): Promise<ModelVersion[]> {
    const raw = await this.http.postJson(
      `${API}/registered-models/get-latest-versions`,
      { name, stages: options.stages },
      { signal: options.signal, idempotent: true },
    );
    return n.asList(n.asObject(raw).model_versions, n.modelVersion);
  }

  async getModelVersionByAlias(name: string, alias: string, options: CallOptions = {}): Promise<ModelVersion> {
    const raw = await this.http.getJson(`${API}/registered-models/alias`, { name, alias }, options);
    return n.modelVersion(n.asObject(raw).model_version);
  }

  /** Note: search results carry no aliases (use getModelVersion) and are not sorted by version. */
  async searchModelVersionsPage(search: RegistrySearch = {}, options: CallOptions = {}): Promise<ModelVersionsPage> {
    const raw = await this.http.getJson(
      `${API}/model-versions/search`,
      { filter: search.filter || undefined, max_results: search.maxResults, order_by: search.orderBy, page_token: search.pageToken },
      options,
    );
    return { model_versions: n.asList(n.asObject(raw).model_versions, n.modelVersion), next_page_token: n.pageToken(raw) };
  }

  iterateModelVersions(search: WithoutToken<RegistrySearch> = {}, options: CallOptions = {}): AsyncGenerator<ModelVersion> {
    return iterateItems((pageToken) => this.searchModelVersionsPage({ ...search, pageToken }, options), (p) => p.model_versions, options.signal);
  }

  async getModelVersion(name: string, version: string, options: CallOptions = {}): Promise<ModelVersion> {
    const raw = await this.http.getJson(`${API}/model-versions/get`, { name, version }, options);
    return n.modelVersion(n.asObject(raw).model_version);
  }

  /** Where the version's files live (`mlflow-artifacts:/…`, `s3://…`, `runs:/…`, a path). */
  async getModelVersionDownloadUri(name: string, version: string, options: CallOptions = {}): Promise<string> {
    const raw = await this.http.getJson(`${API}/model-versions/get-download-uri`, { name, version }, options);
    return n.str(n.asObject(raw).artifact_uri);
  }

  // --- run writes (the Jobs feature pre-creates the run a job logs into) -----------------------

  /** runs/create: not retried (a retry could create a second run). */
  async createRun(input: { experimentId: string; runName?: string; startTime?: number; tags?: Record<string, string> }, options: CallOptions = {}): Promise<Run> {
    const raw = await this.http.postJson(
      `${API}/runs/create`,
      {
        experiment_id: input.experimentId,
        run_name: input.runName,
        start_time: input.startTime ?? Date.now(),
        tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
      },
      { ...options, idempotent: false },
    );
    return n.run(n.asObject(raw).run);
  }

  /** runs/update: status (SCHEDULED, RUNNING, FINISHED, FAILED, KILLED) and end time. */
  async updateRun(runId: string, update: { status?: string; endTime?: number }, options: CallOptions = {}): Promise<void> {
    await this.http.postJson(`${API}/runs/update`, { run_id: runId, run_uuid: runId, status: update.status, end_time: update.endTime }, { ...options, idempotent: true });
  }

  async setRunTag(runId: string, key: string, value: string, options: CallOptions = {}): Promise<void> {
    await this.http.postJson(`${API}/runs/set-tag`, { run_id: runId, run_uuid: runId, key, value }, { ...options, idempotent: true });
  }
}
