/**
 * A TrackingBackend over a local `mlruns/` folder (MLflow's file store), answering with the same
 * DTOs, page-token semantics and MlflowError kinds as the REST client, so the explorer cannot
 * tell the difference. Folders that cannot be read do not break listings: they are left out and
 * reported by `problems()` (the tree shows them as error nodes).
 */
import * as path from 'node:path';
import type { TrackingBackend, BackendOrigin } from '../backend/trackingBackend';
import type { ArtifactDownload, DownloadOptions } from '../mlflow/artifacts';
import { cancelledError, MlflowError } from '../mlflow/errors';
import type { CallOptions } from '../mlflow/http';
import type { BulkIntervalQuery, ExperimentSearch, RegistrySearch, RunSearch } from '../mlflow/searchParams';
import type { ArtifactListing, BulkIntervalPoint, Experiment, ExperimentsPage, Metric, ModelVersion, ModelVersionsPage, RegisteredModel, RegisteredModelsPage, Run, RunsPage } from '../mlflow/types';
import { scanExperiments, type ExperimentFolder, type StoreProblem } from './experimentFiles';
import { downloadLocalArtifact, listLocalArtifacts } from './localArtifacts';
import { checkedMaxResults, pageOf, queryFingerprint } from './pageToken';
import * as registry from './registrySearch';
import { readMetricHistory, readRun, readRunInfo } from './runFiles';
import { filterAndSortRuns, listRunFolders, matchesViewType, type RunFolder } from './runSearch';
import { clauseMatches, compareBy, parseFilter, parseOrderBy, type Entity, type SearchDomain } from './searchFilter';
import { isDirectory, MetaError } from './storeFiles';
import { localPathOfStoreUri } from './storePaths';
import { readMetricIntervals } from './metricIntervals';
import { MAX_POINTS_PER_RUN, MAX_RUNS_PER_REQUEST } from '../compare/stepSampling';
import * as l10n from '@vscode/l10n';

const EXPERIMENT_DOMAIN: SearchDomain = {
  what: 'experiment',
  entities: ['attribute', 'tag'],
  attributes: { name: 'string', experiment_id: 'number', creation_time: 'number', last_update_time: 'number' },
};

export interface FileStoreOptions {
  /**
   * How long a scan of the folders is reused (ms). Paging through one search reads the folders
   * once; `invalidate()` (the tree's Refresh) forgets everything at once.
   */
  cacheTtlMs?: number;
}

const notFound = registry.notFound;

function invalid(userMessage: string): MlflowError {
  return new MlflowError({ kind: 'invalidParameter', userMessage });
}

function checkSignal(options: CallOptions): void {
  if (options.signal?.aborted) throw cancelledError(undefined, options.signal.reason);
}

/** A run or experiment id used as one folder name: nothing that could walk elsewhere. */
function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(id);
}

export class FileStoreBackend implements TrackingBackend {
  readonly origin: BackendOrigin;
  private readonly ttl: number;
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly seenProblems = new Map<string, StoreProblem>();

  /** `root` is the `mlruns/` folder itself. */
  constructor(readonly root: string, options: FileStoreOptions = {}) {
    this.origin = { kind: 'file', root };
    this.ttl = options.cacheTtlMs ?? 10_000;
  }

  /** Forget cached scans (after new runs were logged, or on the tree's Refresh). */
  invalidate(): void {
    this.cache.clear();
    this.seenProblems.clear();
  }

  /**
   * Folders that look like experiments, runs, models or versions but could not be read, with
   * the reason. Experiments and models are rescanned; runs and versions are those met by the
   * searches so far (reading every run just to report problems would defeat lazy loading).
   */
  async problems(): Promise<StoreProblem[]> {
    const [experiments] = await Promise.all([this.experimentFolders(), registry.searchModelVersions(this.root, {}, this.problemSink())]);
    experiments.problems.forEach((p) => this.seenProblems.set(`${p.kind}:${p.folder}`, p));
    return [...this.seenProblems.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.folder.localeCompare(b.folder));
  }

  private problemSink(): StoreProblem[] {
    const sink: StoreProblem[] = [];
    sink.push = (...items: StoreProblem[]) => {
      items.forEach((p) => this.seenProblems.set(`${p.kind}:${p.folder}`, p));
      return sink.length;
    };
    return sink;
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttl) return hit.value as Promise<T>;
    // Expired entries go when a new one comes, so many different searches cannot pile up.
    for (const [k, entry] of this.cache) if (Date.now() - entry.at >= this.ttl) this.cache.delete(k);
    const value = load();
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => this.cache.delete(key)); // never cache a failure
    return value;
  }

  private experimentFolders(): Promise<{ folders: ExperimentFolder[]; problems: StoreProblem[] }> {
    return this.cached('experiments', () => scanExperiments(this.root));
  }

  // --- experiments ----------------------------------------------------------------------------

  async searchExperimentsPage(search: ExperimentSearch = {}, options: CallOptions = {}): Promise<ExperimentsPage> {
    checkSignal(options);
    const maxResults = checkedMaxResults(search.maxResults, 1000, 50_000);
    const clauses = parseFilter(search.filter, EXPERIMENT_DOMAIN);
    const terms = [
      ...parseOrderBy(search.orderBy, EXPERIMENT_DOMAIN),
      { entity: 'attribute' as const, key: 'creation_time', descending: true },
      { entity: 'attribute' as const, key: 'experiment_id', descending: false },
    ];
    const { folders, problems } = await this.experimentFolders();
    problems.forEach((p) => this.seenProblems.set(`${p.kind}:${p.folder}`, p));
    const lookup = (e: Experiment) => (entity: Entity, key: string) => {
      if (entity === 'tag') return e.tags.find((t) => t.key === key)?.value;
      if (key === 'experiment_id') return /^\d+$/.test(e.experiment_id) ? Number(e.experiment_id) : e.experiment_id;
      return (e as unknown as Record<string, string | number | undefined>)[key];
    };
    const experiments = folders
      .map((f) => f.experiment)
      .filter((e) => matchesViewType(e.lifecycle_stage, search.viewType))
      .filter((e) => clauses.every((c) => clauseMatches(lookup(e)(c.entity, c.key), c)))
      .sort(compareBy(terms, lookup));
    const page = pageOf(experiments, maxResults, search.pageToken, queryFingerprint(['experiments', search.filter, search.viewType, search.orderBy]));
    return { experiments: page.items, next_page_token: page.next_page_token };
  }

  private async experimentFolder(experimentId: string): Promise<ExperimentFolder> {
    const { folders, problems } = await this.experimentFolders();
    const found = folders.find((f) => f.experiment.experiment_id === experimentId);
    if (found) return found;
    const broken = problems.find((p) => p.id === experimentId);
    if (broken) {
      throw new MlflowError({ kind: 'server', userMessage: l10n.t('The experiment folder "{0}" cannot be read: {1}.', broken.folder, broken.message) });
    }
    throw notFound(l10n.t('The experiment "{0}" does not exist in this mlruns folder.', experimentId));
  }

  async getExperiment(experimentId: string, options: CallOptions = {}): Promise<Experiment> {
    checkSignal(options);
    return (await this.experimentFolder(experimentId)).experiment;
  }

  // --- runs -----------------------------------------------------------------------------------

  private runFolders(experiment: ExperimentFolder): Promise<RunFolder[]> {
    return this.cached(`runs:${experiment.dir}`, () =>
      listRunFolders(experiment.dir, path.relative(this.root, experiment.dir).split(path.sep).join('/'), this.problemSink()),
    );
  }

  async searchRunsPage(search: RunSearch, options: CallOptions = {}): Promise<RunsPage> {
    checkSignal(options);
    const maxResults = checkedMaxResults(search.maxResults, 1000, 50_000);
    const fingerprint = queryFingerprint(['runs', [...search.experimentIds].sort(), search.filter, search.runViewType, search.orderBy]);
    // The sorted result is cached per query so following page tokens neither rescans nor
    // shifts results between pages.
    const sorted = await this.cached(`search:${fingerprint}`, async () => {
      const experiments = await Promise.all(search.experimentIds.map((id) => this.experimentFolder(id)));
      const runs = (await Promise.all(experiments.map((e) => this.runFolders(e)))).flat();
      return filterAndSortRuns(runs.filter((r) => matchesViewType(r.info.lifecycle_stage, search.runViewType)), search.filter, search.orderBy);
    });
    const page = pageOf(sorted, maxResults, search.pageToken, fingerprint);
    checkSignal(options);
    return { runs: await Promise.all(page.items.map((r) => this.readRunChecked(r))), next_page_token: page.next_page_token };
  }

  /** A run whose params/metrics cannot be read fails with one sentence naming the folder. */
  private async readRunChecked(run: RunFolder): Promise<Run> {
    try {
      return await readRun(run.dir, run.info);
    } catch (e) {
      throw new MlflowError({
        kind: 'server',
        userMessage: l10n.t('The run {0} cannot be read from {1}: {2}.', run.info.run_id, path.relative(this.root, run.dir), (e as Error).message),
        cause: e,
      });
    }
  }

  /** The run's folder: MLflow's file store looks for `<exp>/<run_id>` in every experiment too. */
  private async runFolder(runId: string): Promise<RunFolder> {
    if (isSafeId(runId)) {
      for (const experiment of (await this.experimentFolders()).folders) {
        const dir = path.join(experiment.dir, runId);
        let info;
        try {
          info = await readRunInfo(dir);
        } catch (e) {
          const reason = e instanceof MetaError ? e.message : String(e);
          throw new MlflowError({ kind: 'server', userMessage: l10n.t('The run folder of {0} cannot be read: {1}.', runId, reason) });
        }
        if (info !== undefined) return { dir, info };
      }
    }
    throw notFound(`The run "${runId}" does not exist in this mlruns folder.`);
  }

  async getRun(runId: string, options: CallOptions = {}): Promise<Run> {
    checkSignal(options);
    return this.readRunChecked(await this.runFolder(runId));
  }

  async getMetricHistory(runId: string, metricKey: string, options: CallOptions = {}): Promise<Metric[]> {
    checkSignal(options);
    const run = await this.runFolder(runId);
    return (await readMetricHistory(run.dir, metricKey)) ?? [];
  }

  /**
   * The sampled histories of several runs, as the server's get-history-bulk-interval answers
   * them (see metricIntervals.ts). A run this store does not have contributes no points, as on a
   * server with a database store, rather than failing the other 99 runs of the request.
   */
  async getMetricHistoryBulkInterval(query: BulkIntervalQuery, options: CallOptions = {}): Promise<BulkIntervalPoint[]> {
    checkSignal(options);
    const maxResults = query.maxResults ?? MAX_POINTS_PER_RUN;
    if (query.runIds.length === 0 || query.runIds.length > MAX_RUNS_PER_REQUEST) {
      throw invalid(`Between 1 and ${MAX_RUNS_PER_REQUEST} runs can be charted at once.`);
    }
    if ((query.startStep === undefined) !== (query.endStep === undefined)) {
      throw invalid('A step range needs both a start step and an end step.');
    }
    if (query.startStep !== undefined && query.endStep !== undefined && query.startStep > query.endStep) {
      throw invalid('The end step of a range must not be before its start step.');
    }
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_POINTS_PER_RUN) {
      throw invalid(`Between 1 and ${MAX_POINTS_PER_RUN} points per run can be asked for.`);
    }
    const runs = await Promise.all(
      query.runIds.map(async (runId) => {
        try {
          return { runId, dir: (await this.runFolder(runId)).dir };
        } catch (e) {
          if (e instanceof MlflowError && e.kind === 'notFound') return { runId, dir: undefined };
          throw e;
        }
      }),
    );
    try {
      return await readMetricIntervals({ ...query, runs, maxResults, signal: options.signal });
    } catch (e) {
      if (e instanceof MetaError) throw new MlflowError({ kind: 'server', userMessage: l10n.t('A metric file cannot be read: {0}.', e.message), cause: e });
      throw e;
    }
  }

  // --- artifacts ------------------------------------------------------------------------------

  /**
   * The folder holding the run's artifacts. A store copied from another machine still names the
   * old absolute path in artifact_uri: then the standard `<run>/artifacts` folder is used.
   */
  private async artifactRoot(run: RunFolder): Promise<string> {
    const uri = run.info.artifact_uri;
    const local = uri === '' ? undefined : localPathOfStoreUri(uri, this.root);
    if (local !== undefined && (await isDirectory(local))) return local;
    const standard = path.join(run.dir, 'artifacts');
    if (await isDirectory(standard)) return standard;
    // A local root that does not exist yet is a run without artifacts: an empty listing.
    if (local !== undefined || uri === '') return local ?? standard;
    throw new MlflowError({
      kind: 'invalidParameter',
      userMessage: l10n.t('The artifacts of this run are stored at {0}, which a local mlruns folder cannot read: connect to the tracking server instead.', uri),
    });
  }

  async listArtifacts(runId: string, artifactPath?: string, options: CallOptions = {}): Promise<ArtifactListing> {
    checkSignal(options);
    const run = await this.runFolder(runId);
    return listLocalArtifacts(await this.artifactRoot(run), run.info.artifact_uri, artifactPath);
  }

  async downloadRunArtifact(runId: string, artifactPath: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
    checkSignal(options);
    const run = await this.runFolder(runId);
    return downloadLocalArtifact(await this.artifactRoot(run), artifactPath, options);
  }

  // --- model registry -------------------------------------------------------------------------

  async searchRegisteredModelsPage(search: RegistrySearch = {}, options: CallOptions = {}): Promise<RegisteredModelsPage> {
    checkSignal(options);
    return registry.searchRegisteredModels(this.root, search, this.problemSink());
  }

  async getRegisteredModel(name: string, options: CallOptions = {}): Promise<RegisteredModel> {
    checkSignal(options);
    return registry.getRegisteredModel(this.root, name);
  }

  async searchModelVersionsPage(search: RegistrySearch = {}, options: CallOptions = {}): Promise<ModelVersionsPage> {
    checkSignal(options);
    return registry.searchModelVersions(this.root, search, this.problemSink());
  }

  async getModelVersion(name: string, version: string, options: CallOptions = {}): Promise<ModelVersion> {
    checkSignal(options);
    return registry.getModelVersion(this.root, name, version);
  }
}
