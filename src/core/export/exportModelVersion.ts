// The export pipeline, as `mlwf_export_model` does it but from any artifact store and safe to
// cancel: resolve the version and where its files are, download them into artifacts/ while
// model.tar.gz is compressed from them, write a pre-filled info.yaml, then rename the folder
// into place. Plain Node: the
// editor and the `mlwf-export` CLI both call this with a client, an AbortSignal and a callback.
import type { S3Client } from '@aws-sdk/client-s3';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { isMlflowError, type Experiment, type LoggedModel, type MlflowClient, type ModelVersion, type RegisteredModel, type Run } from '../mlflow';
import { archiveSizeOf, downloadAndArchive } from './downloadAndArchive';
import { ExportError, isAbort, isDiskFull, isExportError } from './exportErrors';
import { exportFolderName, makeTemporaryFolder, publishFolder } from './exportFolder';
import { ProgressMeter, type ExportProgress } from './exportProgress';
import type { SourceRoute } from './fileSource';
import { renderInfoYaml } from './infoYaml';
import { resolveModelSource, type S3Route } from './resolveModelSource';
import * as l10n from '@vscode/l10n';

export interface ExportRequest {
  client: MlflowClient;
  name: string;
  /** A version number, or… */
  version?: string;
  /** …an alias (`champion`). */
  alias?: string;
  /**
   * …or an MLflow 3 logged model (`m-…`, exported as `models:/m-…`), registered or not; `name`
   * is then only a label (the logged model's own name is used when empty).
   */
  modelId?: string;
  /** The folder the MLWFExportModel_* folder is created in. */
  outputDir: string;
  /** How to read `s3://` sources (default `auto`: straight when keys exist, else through the server). */
  s3Route?: S3Route;
  /** Makes the S3 client (undefined when no credentials can be found); only called for `s3://` sources. */
  s3?: () => Promise<S3Client | undefined>;
  /** Files downloaded at once (default 4). */
  concurrency?: number;
  /** How long the server may take to start sending a file (default 5 minutes: see downloadFiles.ts). */
  responseTimeoutMs?: number;
  /** gzip level 1–9 (default 6). */
  compressionLevel?: number;
  /** Compression threads (default: every core). */
  threads?: number;
  /** Creator.Name in info.yaml (default: the run's mlflow.user). */
  creator?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** Detail lines for a log (retries, the source chain); never credentials. */
  log?: (line: string) => void;
  /** The clock for the folder name (tests). */
  now?: () => Date;
}

export interface ExportResult {
  folder: string;
  infoYaml: string;
  archive: string;
  version: ModelVersion;
  route: SourceRoute;
  sourceUri: string;
  files: number;
  bytes: number;
  archiveBytes: number;
}

export async function exportModelVersion(request: ExportRequest): Promise<ExportResult> {
  const { client, signal } = request;
  const outputDir = path.resolve(request.outputDir);
  const meter = new ProgressMeter(request.onProgress);
  meter.phase('resolving');
  const finalName = exportFolderName((request.now ?? (() => new Date()))());
  let temporary: string | undefined;
  try {
    const outStat = await fs.stat(outputDir).catch(() => undefined);
    if (!outStat?.isDirectory()) throw new ExportError('output', l10n.t('The output folder {0} does not exist.', outputDir));
    const logged = request.modelId ? await client.getLoggedModel(request.modelId, { signal }) : undefined;
    const version = logged ? versionOfLoggedModel(logged, request.name) : await resolveVersion(request);
    const { source, chain } = await resolveModelSource({
      client,
      version,
      loggedModelId: logged?.info.model_id,
      s3Route: request.s3Route ?? 'auto',
      s3: request.s3 ?? (async () => undefined),
      signal,
    });
    request.log?.(`Exporting ${version.name} version ${version.version} from ${chain.join(' → ')} (${source.route}).`);
    const files = await source.list(signal);
    if (files.length === 0) throw new ExportError('download', l10n.t('The model version has no files at {0}.', source.location));

    temporary = await makeTemporaryFolder(outputDir, finalName).catch((e: unknown) => {
      throw isDiskFull(e) ? e : new ExportError('output', l10n.t('MLWF cannot create a folder in {0} ({1}).', outputDir, (e as Error).message), { cause: e });
    });
    const artifactsDir = path.join(temporary, 'artifacts');
    await fs.mkdir(artifactsDir);

    // Metadata for info.yaml is fetched while the files download.
    const metadata = fetchMetadata(client, version, signal, logged);
    metadata.catch(() => undefined);
    const bytesTotal = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
    meter.phase('downloading', { filesTotal: files.length, bytesTotal });
    // One pass: model.tar.gz is compressed from the files while they download; once they are
    // all down, progress shows what is left of the compression.
    const archive = path.join(temporary, 'model.tar.gz');
    const tarTotal = archiveSizeOf(files, 'artifacts');
    let archived = 0;
    await downloadAndArchive(source, files, { cwd: temporary, folder: 'artifacts', archive }, {
      concurrency: request.concurrency ?? 4,
      responseTimeoutMs: request.responseTimeoutMs,
      level: request.compressionLevel ?? 6,
      threads: request.threads ?? os.availableParallelism(),
      signal,
      onBytes: (d) => meter.bytes(d),
      onFileDone: () => meter.fileDone(),
      onDownloaded: () => meter.phase('archiving', { bytesTotal: tarTotal, bytesDone: archived }),
      onArchiveBytes: (d) => {
        archived += d;
        if (meter.current.phase === 'archiving') meter.bytes(d);
      },
      log: request.log,
    });

    meter.phase('finishing');
    const { model, run, experiment } = await metadata;
    const infoYaml = path.join(temporary, 'info.yaml');
    await fs.writeFile(
      infoYaml,
      renderInfoYaml({
        model,
        version,
        run,
        experiment,
        mlmodel: await readMlmodel(artifactsDir),
        requirements: await readRequirements(artifactsDir),
        files,
        creator: request.creator,
      }),
    );
    const archiveBytes = (await fs.stat(archive)).size;

    signal?.throwIfAborted();
    const folder = await publishFolder(temporary, outputDir, finalName);
    temporary = undefined;
    return {
      folder,
      infoYaml: path.join(folder, 'info.yaml'),
      archive: path.join(folder, 'model.tar.gz'),
      version,
      route: source.route,
      sourceUri: chain[chain.length - 1]!,
      files: files.length,
      bytes: bytesTotal,
      archiveBytes,
    };
  } catch (error) {
    const removed = temporary ? await fs.rm(temporary, { recursive: true, force: true }).then(() => true, () => false) : true;
    throw explain(error, signal, outputDir, removed ? undefined : temporary);
  }
}

async function resolveVersion(request: ExportRequest): Promise<ModelVersion> {
  const { client, name, signal } = request;
  if (request.alias) return client.getModelVersionByAlias(name, request.alias, { signal });
  if (!request.version) throw new ExportError('output', l10n.t('Choose a model version or an alias to export.'));
  return client.getModelVersion(name, request.version, { signal });
}

/**
 * A logged model in the shape the rest of the pipeline (info.yaml, the result) reads: no
 * version number (info.yaml then leaves Version out), `source` = `models:/m-…`.
 */
export function versionOfLoggedModel(model: LoggedModel, label?: string): ModelVersion {
  const { info } = model;
  return {
    name: label || info.name || info.model_id,
    version: '',
    creation_timestamp: info.creation_timestamp_ms,
    last_updated_timestamp: info.last_updated_timestamp_ms,
    source: `models:/${info.model_id}`,
    run_id: info.source_run_id,
    status: info.status,
    tags: info.tags.filter((t) => !t.key.startsWith('mlflow.')),
    aliases: [],
  };
}

async function fetchMetadata(client: MlflowClient, version: ModelVersion, signal?: AbortSignal, logged?: LoggedModel) {
  // A logged model need not be registered: its own name and tags stand in for the registry's.
  const model: RegisteredModel = logged
    ? { name: version.name, creation_timestamp: version.creation_timestamp, last_updated_timestamp: version.last_updated_timestamp, latest_versions: [], tags: [], aliases: [] }
    : await client.getRegisteredModel(version.name, { signal });
  // The run (and its experiment) may be deleted or unreadable: info.yaml just says less then.
  let run: Run | undefined;
  let experiment: Experiment | undefined;
  if (version.run_id) {
    run = await client.getRun(version.run_id, { signal }).catch((e: unknown) => (isAbort(e, signal) ? Promise.reject(e) : undefined));
    if (run) experiment = await client.getExperiment(run.info.experiment_id, { signal }).catch((e: unknown) => (isAbort(e, signal) ? Promise.reject(e) : undefined));
  }
  return { model, run, experiment };
}

async function readMlmodel(dir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed = yaml.load(await fs.readFile(path.join(dir, 'MLmodel'), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not an MLflow model folder, or an MLmodel we cannot parse: info.yaml says less
  }
}

async function readRequirements(dir: string): Promise<string[] | undefined> {
  const text = await fs.readFile(path.join(dir, 'requirements.txt'), 'utf8').catch(() => undefined);
  return text?.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** Any failure as one ExportError whose sentence says what became of the unfinished folder. */
function explain(error: unknown, signal: AbortSignal | undefined, outputDir: string, leftover: string | undefined): ExportError {
  const left = leftover ? l10n.t('its unfinished folder {0} could not be removed', leftover) : l10n.t('nothing was left behind');
  const opts = (cause: unknown) => ({ cause, leftover });
  // Messages may already be translated: drop the final full stop of either language before joining.
  const clause = (message: string) => message.replace(/[.。]$/, '');
  if (isAbort(error, signal)) return new ExportError('cancelled', l10n.t('The export was cancelled and {0}.', left), opts(error));
  if (isDiskFull(error)) return new ExportError('diskFull', l10n.t('The disk holding {0} is full, so the export stopped and {1}.', outputDir, left), opts(error));
  if (isExportError(error)) return new ExportError(error.kind, l10n.t('{0}; {1}.', clause(error.userMessage), left), opts(error.cause ?? error));
  if (isMlflowError(error)) return new ExportError('mlflow', l10n.t('{0}; the export stopped and {1}.', clause(error.userMessage), left), opts(error));
  const message = error instanceof Error ? error.message : String(error);
  return new ExportError('download', l10n.t('The export failed ({0}) and {1}.', clause(message), left), opts(error));
}
