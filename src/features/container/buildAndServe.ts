// MLWF: Build Container and MLWF: Serve Model. Both run the folder's own scripts (build.sh,
// serve.sh), which is running workspace code: refused in an untrusted workspace.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/formatBytes';
import { readFolderJob, type FolderJob } from '../../core/container/folderJob';
import { BUILD_LOG, IMAGE_FILE, SERVE_LOG, SERVE_URL_FILE } from '../../core/container/jobScripts';
import { readRecord, writeRecord, type JobRecord } from '../../core/scheduler/jobRecord';
import { containerJobIdFile, waitForContainerJobId } from '../../core/scheduler/submitContainerJob';
import type { Logger } from '../../host/logger';
import type { JobsFeature } from '../jobs/registerJobs';
import { containerTask, runTask, terminalOfTask } from './containerTask';
import { chooseImageFolder } from './imageFolders';

export interface BuildOutcome {
  readonly folder: vscode.Uri;
  readonly exitCode: number | undefined;
  /** Bytes of container.sif when the build succeeded. */
  readonly imageSize?: number;
  /** The scheduler's job id when the build ran as a job of the Jobs view. */
  readonly jobId?: string;
}

export interface ServeOutcome {
  readonly folder: vscode.Uri;
  /** The terminal serve.sh runs in (absent when it runs as a job of the Jobs view). */
  readonly terminal?: vscode.Terminal;
  readonly port: number;
  readonly jobId?: string;
  /** serve.url as the job wrote it, once the server started. */
  readonly url?: string;
}

/** Reaches the Jobs feature (registered after the container feature). */
export type JobsAccess = () => JobsFeature | undefined;

/**
 * Whether the folder's jobs go through the Jobs view's submission (qsub from MLWF, listed,
 * followed and cancelled there): the Grid Engine profiles, a plain cell and ABCI 2.0 (`qsub -g
 * GROUP -l rt_TYPE=1`; its script run by hand opens an interactive qrsh session instead, which
 * has no id MLWF could follow). ABCI 3.0's folders run their self-submitting script in a
 * terminal (`qsub -W block=true`, which follows the log there), adopted below; generic runs here.
 */
function asJob(folder: vscode.Uri, script: 'build.sh' | 'serve.sh'): FolderJob | undefined {
  const job = readFolderJob(folder.fsPath, script);
  return job?.profile === 'gridengine' || job?.profile === 'abci2' ? job : undefined;
}

/**
 * An ABCI 3.0 folder's script submits itself from the terminal (`qsub -W block=true`) and writes
 * the id qsub prints into the folder at once. Until `signal` ends (the terminal is done), MLWF
 * waits for that id and lists the job in the Jobs view as its own container job from its
 * submission on, queued included (Show Output of the folder's log, Cancel with qdel).
 */
function adoptSelfSubmitted(folder: vscode.Uri, script: 'build.sh' | 'serve.sh', jobs: JobsAccess | undefined, logger: Logger, signal: AbortSignal, port?: number): void {
  const folderJob = readFolderJob(folder.fsPath, script);
  const feature = jobs?.();
  if (folderJob?.profile !== 'abci3' || !feature) return;
  const kind = script === 'build.sh' ? 'build' : 'serve';
  // An id left by an earlier run is not this job's (the script removes it too before its qsub).
  rmSync(containerJobIdFile(folder.fsPath, kind), { force: true });
  void waitForContainerJobId(folder.fsPath, kind, signal).then(async (id) => {
    if (!id) return;
    await feature.adoptContainer({ profile: folderJob.profile, job: folderJob.job, imageFolder: folder.fsPath, kind, port }, id);
  }).catch((e: Error) => logger.warn(`Could not list the ${kind} job of ${folder.fsPath} in the Jobs view: ${e.message}`));
}

interface LocalFollow {
  /** The process of the task or terminal runs: list it in the Jobs view. */
  started(processId: number): void;
  /** It ended (exit code, or undefined when the terminal was closed on it); the record as it is now. */
  ended(exitCode: number | undefined): Promise<JobRecord | undefined>;
}

/**
 * A generic folder builds and serves on this machine, in a task terminal or a terminal; the Jobs
 * view lists that process as a local container job (`local-PID`, like generic training jobs), so
 * it shows running, then how it ended, with Show Output (the folder's log when there is one) and
 * Cancel (SIGTERM to its process group). The process's end is known here, not to a scheduler:
 * its exit code goes into the record's status file.
 */
function followLocally(folder: vscode.Uri, script: 'build.sh' | 'serve.sh', jobs: JobsAccess | undefined, logger: Logger, port?: number): LocalFollow | undefined {
  const folderJob = readFolderJob(folder.fsPath, script);
  const feature = jobs?.();
  if (folderJob?.profile !== 'generic' || !feature) return undefined;
  const kind = script === 'build.sh' ? 'build' : 'serve';
  let record: Promise<JobRecord | undefined> = Promise.resolve(undefined);
  let done = false;
  return {
    started(processId) {
      record = feature.adoptContainer({ profile: 'generic', job: folderJob.job, imageFolder: folder.fsPath, kind, port }, `local-${processId}`).catch((e: Error) => {
        logger.warn(`Could not list the ${kind} of ${folder.fsPath} in the Jobs view: ${e.message}`);
        return undefined;
      });
    },
    async ended(exitCode) {
      const r = await record;
      if (!r || done) return r && readRecord(r.folder);
      done = true;
      // A terminal closed on a running server ends it the way Cancel does.
      if (exitCode === undefined) writeRecord({ ...r, cancelled: true });
      else writeFileSync(r.statusFile, `${exitCode}\n`);
      await feature.provider.refresh();
      return readRecord(r.folder);
    },
  };
}

/** The last non-empty line of a log: what a failed job said last (the reason, usually). */
function lastLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter((l) => l.trim()).pop()?.trim() ?? '';
  } catch {
    return '';
  }
}

function failedJob(message: string, jobs: JobsFeature, id: string): void {
  const show = vscode.l10n.t('Show Output');
  void vscode.window.showErrorMessage(message, show).then((a) => (a === show ? jobs.showOutput(id) : undefined));
}

async function buildAsJob(folder: vscode.Uri, folderJob: FolderJob, logger: Logger, jobs: JobsFeature): Promise<BuildOutcome> {
  let record;
  try {
    record = await jobs.submitContainer({ profile: folderJob.profile, job: folderJob.job, imageFolder: folder.fsPath, kind: 'build' });
  } catch (e) {
    logger.error(`Submitting the build job in ${folder.fsPath} failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The container build job was not submitted: {0}', (e as Error).message));
    return { folder, exitCode: undefined };
  }
  void jobs.showOutput(record.id);
  const row = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Building {0} as job {1}…', path.basename(folder.fsPath), record.id), cancellable: true },
    (_progress, token) => jobs.whenEnded(record.id, token),
  );
  if (!row) {
    // Cancel on the progress notification ends the job, as closing the build terminal does.
    await vscode.commands.executeCommand('mlwf.jobs.cancel', record.id, true);
    return { folder, exitCode: undefined, jobId: record.id };
  }
  const image = path.join(folder.fsPath, IMAGE_FILE);
  const exitCode = row.status.exitStatus;
  if (row.status.phase === 'finished' && existsSync(image)) {
    const size = statSync(image).size;
    logger.info(`Build job ${record.id} finished: ${image} (${size} bytes).`);
    void notifyBuilt(folder, size);
    return { folder, exitCode: exitCode ?? 0, imageSize: size, jobId: record.id };
  }
  if (row.status.phase === 'cancelled') {
    // Cancelled from the Jobs view: the user's own choice, not a failure to explain.
    logger.info(`Build job ${record.id} in ${folder.fsPath} was cancelled.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The container build job {0} was cancelled.', record.id));
    return { folder, exitCode, jobId: record.id };
  }
  const why = lastLine(path.join(folder.fsPath, BUILD_LOG));
  logger.warn(`Build job ${record.id} in ${folder.fsPath} ended ${row.status.phase} (exit ${String(exitCode)}): ${why}`);
  failedJob(vscode.l10n.t('The container build job {0} failed (exit code {1}): {2}', record.id, String(exitCode ?? '?'), why || vscode.l10n.t('its output shows why.')), jobs, record.id);
  return { folder, exitCode, jobId: record.id };
}

async function serveAsJob(folder: vscode.Uri, folderJob: FolderJob, logger: Logger, jobs: JobsFeature, port: number): Promise<ServeOutcome | undefined> {
  let record;
  try {
    record = await jobs.submitContainer({ profile: folderJob.profile, job: folderJob.job, imageFolder: folder.fsPath, kind: 'serve', port });
  } catch (e) {
    logger.error(`Submitting the serve job in ${folder.fsPath} failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The serve job was not submitted: {0}', (e as Error).message));
    return undefined;
  }
  void jobs.showOutput(record.id);
  const urlFile = path.join(folder.fsPath, SERVE_URL_FILE);
  // The job writes serve.url once the server starts on its node; until then it is queued or starting.
  const url = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the model server as job {0}…', record.id), cancellable: true },
    async (_progress, token) => {
      for (;;) {
        if (existsSync(urlFile)) return readFileSync(urlFile, 'utf8').trim();
        const row = jobs.provider.rowFor(record.id);
        if (token.isCancellationRequested || (row && row.status.phase !== 'queued' && row.status.phase !== 'running' && row.status.phase !== 'unknown')) return undefined;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
  );
  if (url) {
    logger.info(`Serve job ${record.id}: ${url}.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Serving at {0} (job {1}). Cancel the job in the Jobs view to stop it.', url, record.id));
    return { folder, port, jobId: record.id, url };
  }
  const row = await jobs.whenEnded(record.id);
  const why = lastLine(path.join(folder.fsPath, SERVE_LOG));
  logger.warn(`Serve job ${record.id} in ${folder.fsPath} ended ${String(row?.status.phase)}: ${why}`);
  failedJob(vscode.l10n.t('The serve job {0} ended (exit code {1}): {2}', record.id, String(row?.status.exitStatus ?? '?'), why || vscode.l10n.t('its output shows why.')), jobs, record.id);
  return { folder, port, jobId: record.id };
}


export function refuseUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showErrorMessage(vscode.l10n.t('{0} runs scripts of this workspace, so it needs a trusted workspace.', what), manage).then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}

export async function buildContainer(arg: unknown, logger: Logger, jobs?: JobsAccess): Promise<BuildOutcome | undefined> {
  if (refuseUntrusted(vscode.l10n.t('Building a container'))) return undefined;
  const folder = await chooseImageFolder(arg);
  if (!folder) return undefined;
  const folderJob = asJob(folder, 'build.sh');
  const feature = jobs?.();
  if (folderJob && feature) return buildAsJob(folder, folderJob, logger, feature);
  const label = vscode.l10n.t('Build container ({0})', path.basename(folder.fsPath));
  logger.info(`Build task started in ${folder.fsPath}.`);
  const taskDone = new AbortController();
  adoptSelfSubmitted(folder, 'build.sh', jobs, logger, taskDone.signal);
  const local = followLocally(folder, 'build.sh', jobs, logger);
  const { exitCode } = await runTask(containerTask(folder, 'build.sh', label), local ? (pid) => local.started(pid) : undefined).finally(() => taskDone.abort());
  const ended = await local?.ended(exitCode ?? 1);
  if (ended?.cancelled) {
    // Cancelled from the Jobs view (SIGTERM: the terminal may even report exit code 0).
    logger.info(`Build ${ended.id} in ${folder.fsPath} was cancelled.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The container build job {0} was cancelled.', ended.id));
    return { folder, exitCode, jobId: ended.id };
  }
  const image = path.join(folder.fsPath, IMAGE_FILE);
  if (exitCode === 0 && existsSync(image)) {
    const size = statSync(image).size;
    logger.info(`Build finished: ${image} (${size} bytes).`);
    void notifyBuilt(folder, size);
    return { folder, exitCode, imageSize: size };
  }
  logger.warn(`Build failed in ${folder.fsPath}: exit code ${String(exitCode)}.`);
  const show = vscode.l10n.t('Show Terminal');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('The container build failed (exit code {0}). The terminal shows why.', String(exitCode ?? '?')), show)
    .then((a) => (a === show ? (terminalOfTask(label)?.show() ?? vscode.commands.executeCommand('workbench.action.terminal.focus')) : undefined));
  return { folder, exitCode };
}

async function notifyBuilt(folder: vscode.Uri, size: number): Promise<void> {
  const serve = vscode.l10n.t('Serve');
  const reveal = vscode.l10n.t('Reveal');
  const action = await vscode.window.showInformationMessage(vscode.l10n.t('Built {0} ({1}).', IMAGE_FILE, formatBytes(size)), serve, reveal);
  if (action === serve) await vscode.commands.executeCommand('mlwf.serveModel', folder);
  if (action === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(folder.fsPath, IMAGE_FILE)));
}

/** A port nobody listens on now (the server binds it a moment later; a clash is reported by it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function serveModel(arg: unknown, logger: Logger, lastPorts: Map<string, number>, jobs?: JobsAccess): Promise<ServeOutcome | undefined> {
  if (refuseUntrusted(vscode.l10n.t('Serving a model'))) return undefined;
  const folder = await chooseImageFolder(arg);
  if (!folder) return undefined;
  if (!existsSync(path.join(folder.fsPath, IMAGE_FILE))) {
    const build = vscode.l10n.t('Build Container');
    const action = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is not built yet.', IMAGE_FILE), build);
    if (action === build) await vscode.commands.executeCommand('mlwf.buildContainer', folder);
    return undefined;
  }
  const port = await freePort();
  lastPorts.set(folder.fsPath, port);
  const folderJob = asJob(folder, 'serve.sh');
  const feature = jobs?.();
  if (folderJob && feature) return serveAsJob(folder, folderJob, logger, feature, port);
  // Before the terminal starts: adopting removes an earlier run's id file, never this one's.
  const closed = new AbortController();
  adoptSelfSubmitted(folder, 'serve.sh', jobs, logger, closed.signal, port);
  // serve.sh is the terminal's own process: no shell parses a command line, PORT goes by env.
  const terminal = vscode.window.createTerminal({
    name: vscode.l10n.t('Serve {0}', path.basename(folder.fsPath)),
    cwd: folder,
    shellPath: '/bin/bash',
    shellArgs: ['serve.sh'],
    env: { PORT: String(port) },
    iconPath: new vscode.ThemeIcon('server-process'),
  });
  terminal.show();
  const local = followLocally(folder, 'serve.sh', jobs, logger, port);
  if (local) void terminal.processId.then((pid) => pid && local.started(pid));
  // The server's process can end before its terminal is closed (a port in use, a failed start).
  const exited = local
    ? setInterval(() => {
        if (!terminal.exitStatus) return;
        clearInterval(exited);
        void local.ended(terminal.exitStatus.code);
      }, 1000)
    : undefined;
  const watch = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) return;
    closed.abort();
    clearInterval(exited);
    void local?.ended(t.exitStatus?.code);
    watch.dispose();
  });
  logger.info(`Serving ${folder.fsPath} on port ${port}.`);
  return { folder, terminal, port };
}
