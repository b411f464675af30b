// Wires the Jobs capability: "Run on a Compute Node…" (Explorer, editor, palette), the Jobs view
// in the MLflow side bar and its actions: Show Job Output, Cancel (asks first), Show Job's Run, Compare
// Job's Run with…, Resubmit Job. extension.ts calls this once.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import { execRunner } from '../../core/scheduler/commandRunner';
import { readRecord, writeRecord, type JobRecord } from '../../core/scheduler/jobRecord';
import { isActive } from '../../core/scheduler/jobStatus';
import { jobProfile, type JobProfileId } from '../../core/scheduler/profiles';
import { recordContainerJob, submitContainerJob, type ContainerJobInput } from '../../core/scheduler/submitContainerJob';
import { createScheduler } from '../../core/scheduler/scheduler';
import { removeStaleSecrets } from '../../core/scheduler/secretFile';
import type { JobRow } from '../../core/scheduler/jobWatcher';
import type { Logger } from '../../host/logger';
import type { ConnectionManager } from '../connection/connectionManager';
import { JobOutputs } from './jobOutput';
import { askJobSettings, jobsRootFor, migrateJobsSiteProfile, readJobsConfig, secretsDir } from './jobSettings';
import { JobItem, jobPickItem, JobsTreeProvider } from './jobsTreeProvider';
import { runOnComputeNode, type SubmitPreset } from './submitFromEditor';
import { registerCommand } from '../../host/commands';
import { publishSelectionContext } from '../tree/selectionContext';

export interface JobsFeature {
  readonly provider: JobsTreeProvider;
  readonly outputs: JobOutputs;
  submit(script: vscode.Uri, preset?: SubmitPreset): Promise<JobRecord | undefined>;
  /** The container's build / serve job of an MLWFCreateImage folder, submitted like a training job and listed in the view. */
  submitContainer(input: Omit<ContainerJobInput, 'jobsRoot' | 'profile'> & { profile: JobProfileId }): Promise<JobRecord>;
  /** Lists a container job the folder's own script submitted (from a terminal) under its id, like one MLWF submitted. */
  adoptContainer(input: Omit<ContainerJobInput, 'jobsRoot' | 'profile'> & { profile: JobProfileId }, id: string): Promise<JobRecord>;
  /** Resolves with the job's row once it has ended (undefined when `token` cancels the wait first). */
  whenEnded(id: string, token?: vscode.CancellationToken): Promise<JobRow | undefined>;
  /** Opens the job's output channel, following its log. */
  showOutput(id: string): Promise<unknown>;
}

export interface JobsSources {
  readonly connection: ConnectionManager;
  readonly logger: Logger;
  readonly compare: (runs: readonly Run[]) => Promise<unknown>;
}

function rowOf(provider: JobsTreeProvider, arg: unknown): JobRow | undefined {
  if (arg instanceof JobItem) return provider.rowFor(arg.row.status.id) ?? arg.row;
  if (typeof arg === 'string') return provider.rowFor(arg);
  return undefined;
}

export function registerJobs(context: vscode.ExtensionContext, sources: JobsSources): { feature: JobsFeature; disposables: vscode.Disposable[] } {
  const { connection, logger } = sources;
  const provider = new JobsTreeProvider(logger, () => connection.client);
  const outputs = new JobOutputs();
  const treeView = vscode.window.createTreeView('mlwf.jobs', { treeDataProvider: provider, showCollapseAll: false });
  const deps = {
    connection,
    memento: context.workspaceState,
    logger,
    onSubmitted: (record: JobRecord) => {
      provider.track(record);
      void provider.refresh();
    },
  };
  // Password files of jobs killed too hard to clean up after themselves: never kept past a day.
  removeStaleSecrets(secretsDir(), 24 * 3600_000);
  // One site profile for jobs and containers: an old mlwf.jobs.siteProfile moves into mlwf.siteProfile.
  void migrateJobsSiteProfile().then(
    (moved) => moved.length && logger.info(`Moved mlwf.jobs.siteProfile into mlwf.siteProfile (${moved.join(', ')}).`),
    (e: Error) => logger.warn(`Could not move mlwf.jobs.siteProfile into mlwf.siteProfile: ${e.message}`),
  );

  async function pickRow(arg: unknown, placeHolder: string, filter: (r: JobRow) => boolean): Promise<JobRow | undefined> {
    const row = rowOf(provider, arg) ?? (treeView.selection[0] instanceof JobItem ? rowOf(provider, treeView.selection[0]) : undefined);
    if (row) return row;
    await provider.refresh();
    const candidates = provider.rows.filter(filter);
    if (!candidates.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no such job in the Jobs view.'));
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(candidates.map(jobPickItem), { title: vscode.l10n.t('Jobs'), placeHolder, matchOnDescription: true, matchOnDetail: true });
    return pick?.row;
  }

  async function showOutput(arg: unknown) {
    const row = await pickRow(arg, vscode.l10n.t('Job whose output to show'), (r) => r.record !== undefined);
    if (row?.record && !row.record.runId) return showContainerOutput(row);
    if (!row?.record) return undefined;
    const id = row.status.id;
    return outputs.show(id, row.record.name, row.record.outputFile, () => {
      const now = provider.rowFor(id);
      return now ? !isActive(now.status.phase) && now.status.phase !== 'unknown' : true;
    });
  }

  async function cancel(arg: unknown, confirmed = false) {
    const row = await pickRow(arg, vscode.l10n.t('Job to cancel'), (r) => isActive(r.status.phase));
    if (!row || !isActive(row.status.phase)) return false;
    const yes = vscode.l10n.t('Cancel Job');
    if (!confirmed) {
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Cancel job {0} ({1})?', row.status.id, row.record?.scriptPath ?? row.status.name),
        { modal: true, detail: row.record ? vscode.l10n.t('Its MLflow run is marked KILLED.') : undefined },
        yes,
      );
      if (answer !== yes) return false;
    }
    const kind = row.record ? jobProfile(row.record.profile).scheduler : readJobsConfig().profile.scheduler;
    try {
      await createScheduler(kind, execRunner()).cancel(row.status.id);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Job {0} could not be cancelled: {1}', row.status.id, (e as Error).message));
      return false;
    }
    // From disk: a poll may have written it since the row was drawn (the host it runs on).
    if (row.record) writeRecord({ ...(readRecord(row.record.folder) ?? row.record), cancelled: true, cancelledAt: Date.now() });
    logger.info(`Job ${row.status.id} cancelled.`);
    await provider.refresh();
    return true;
  }

  function endedNow(id: string): boolean {
    const now = provider.rowFor(id);
    return now ? !isActive(now.status.phase) && now.status.phase !== 'unknown' : true;
  }

  function showContainerOutput(row: JobRow) {
    const record = row.record!;
    return outputs.show(row.status.id, record.name, record.outputFile, () => endedNow(row.status.id));
  }

  async function submitContainer(input: Omit<ContainerJobInput, 'jobsRoot' | 'profile'> & { profile: JobProfileId }): Promise<JobRecord> {
    const profile = jobProfile(input.profile);
    const record = await submitContainerJob({ ...input, profile, jobsRoot: jobsRootFor(readJobsConfig(), vscode.Uri.file(input.imageFolder)) }, createScheduler(profile.scheduler, execRunner()));
    logger.info(`Container ${input.kind} job ${record.id} submitted (${profile.id}) in ${input.imageFolder}.`);
    provider.track(record);
    await provider.refresh();
    return record;
  }

  async function adoptContainer(input: Omit<ContainerJobInput, 'jobsRoot' | 'profile'> & { profile: JobProfileId }, id: string): Promise<JobRecord> {
    const profile = jobProfile(input.profile);
    const record = recordContainerJob({ ...input, profile, jobsRoot: jobsRootFor(readJobsConfig(), vscode.Uri.file(input.imageFolder)) }, id);
    logger.info(`Container ${input.kind} job ${id} (submitted by its script, ${profile.id}) listed for ${input.imageFolder}.`);
    provider.track(record);
    await provider.refresh();
    return record;
  }

  async function whenEnded(id: string, token?: vscode.CancellationToken): Promise<JobRow | undefined> {
    // The view polls while the job is active; this only watches its rows.
    for (;;) {
      const row = provider.rowFor(id);
      if (row && endedNow(id)) return row;
      if (token?.isCancellationRequested) return undefined;
      if (!provider.polling) await provider.refresh(false);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function showRun(arg: unknown) {
    const row = await pickRow(arg, vscode.l10n.t('Job whose run to show'), (r) => !!r.record?.runId);
    if (!row?.record) return;
    await vscode.commands.executeCommand('mlwf.experiments.focus');
    await vscode.commands.executeCommand('mlwf.revealRun', row.record.runId);
  }

  async function compareWith(arg: unknown, presetRunId?: unknown) {
    const row = await pickRow(arg, vscode.l10n.t('Job whose run to compare'), (r) => !!r.record?.runId);
    const client = connection.client;
    if (!row?.record || !client) return undefined;
    const record = row.record;
    const [mine, page] = await Promise.all([client.getRun(record.runId), client.searchRunsPage({ experimentIds: [record.experimentId], maxResults: 200, orderBy: ['attributes.start_time DESC'] })]);
    const others = page.runs.filter((r) => r.info.run_id !== record.runId);
    let chosen: Run[] | undefined;
    if (typeof presetRunId === 'string') chosen = others.filter((r) => r.info.run_id === presetRunId);
    else {
      const picks = await vscode.window.showQuickPick(
        others.map((r) => ({ label: r.info.run_name || r.info.run_id, description: r.info.status, detail: r.info.run_id, run: r })),
        { canPickMany: true, title: vscode.l10n.t("Compare Job's Run with…"), placeHolder: vscode.l10n.t('Runs to compare with the run of job {0}', record.id) },
      );
      chosen = picks?.map((p) => p.run);
    }
    if (!chosen?.length) return undefined;
    return sources.compare([mine, ...chosen]);
  }

  async function resubmit(arg: unknown) {
    const row = await pickRow(arg, vscode.l10n.t('Job to submit again'), (r) => !!r.record?.runId);
    const r = row?.record;
    if (!r) return undefined;
    return runOnComputeNode(vscode.Uri.file(r.scriptPath), deps, { experimentId: r.experimentId, experimentName: r.experimentName, job: { group: r.group, resource: r.resource, walltime: r.walltime }, profile: r.profile, workdir: r.workdir });
  }

  const command = (id: string, run: (...args: unknown[]) => unknown) => registerCommand(id, run);
  const disposables: vscode.Disposable[] = [
    provider,
    outputs,
    treeView,
    // Delete on a selected active job cancels it (package.json keybindings).
    publishSelectionContext(treeView, provider, 'mlwf.jobsSelection'),
    // The first look at the view asks the scheduler once; it keeps asking only while jobs are active.
    treeView.onDidChangeVisibility((e) => {
      if (e.visible) void provider.refresh();
    }),
    command('mlwf.jobs.runOnComputeNode', (arg) => runOnComputeNode(arg, deps)),
    command('mlwf.jobs.refresh', () => provider.refresh()),
    command('mlwf.jobs.showOutput', (arg) => showOutput(arg)),
    // The second argument (tests) skips the confirmation.
    command('mlwf.jobs.cancel', (arg, confirmed) => cancel(arg, confirmed === true)),
    command('mlwf.jobs.showRun', (arg) => showRun(arg)),
    command('mlwf.jobs.compareWith', (arg, runId) => compareWith(arg, runId)),
    command('mlwf.jobs.resubmit', (arg) => resubmit(arg)),
    command('mlwf.jobs.setJobSettings', async () => {
      const profile = readJobsConfig().profile;
      if (profile.scheduler === 'none') {
        void vscode.window.showInformationMessage(vscode.l10n.t('The site profile "generic" runs jobs on this machine: there is nothing to set up.'));
        return;
      }
      const job = await askJobSettings(context.workspaceState, profile);
      if (job) void vscode.window.showInformationMessage(vscode.l10n.t('New jobs on {0} will use {1}.', profile.title, [job.group, job.resource, job.walltime].filter(Boolean).join(', ')));
    }),
  ];
  if (treeView.visible) void provider.refresh();
  return {
    feature: { provider, outputs, submit: (script, preset) => runOnComputeNode(script, deps, preset), submitContainer, adoptContainer, whenEnded, showOutput: (id) => showOutput(id) },
    disposables,
  };
}
