// "Run on a Compute Node…": the script (Explorer, editor, palette), the experiment and the job
// settings of the site profile (one multi-step input: submitWizard.ts), then submitJob with the
// connection's MLflow environment. The password goes from SecretStorage into a 0600 file for the
// job, nowhere else.
import path from 'node:path';
import * as vscode from 'vscode';
import type { JobSettings } from '../../core/container/siteProfiles';
import { execRunner } from '../../core/scheduler/commandRunner';
import type { JobRecord } from '../../core/scheduler/jobRecord';
import { jobProfile, type JobProfileId } from '../../core/scheduler/profiles';
import { createScheduler } from '../../core/scheduler/scheduler';
import { submitJob } from '../../core/scheduler/submitJob';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import type { ConnectionManager } from '../connection/connectionManager';
import { refuseUntrusted } from '../container/buildAndServe';
import { jobsRootFor, readJobsConfig, secretsDir } from './jobSettings';
import { askSubmission } from './submitWizard';

export interface SubmitDeps {
  readonly connection: ConnectionManager;
  readonly memento: vscode.Memento;
  readonly logger: Logger;
  readonly onSubmitted: (record: JobRecord) => void;
}

/** Skips the questions (Resubmit, tests). */
export interface SubmitPreset {
  readonly experimentId?: string;
  readonly experimentName?: string;
  readonly job?: JobSettings;
  readonly profile?: JobProfileId;
  readonly workdir?: string;
}

async function chooseScript(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.(py|sh)$/.test(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Python or shell script')]: ['py', 'sh'] }, title: vscode.l10n.t('Run on a Compute Node') });
  return picked?.[0];
}

export async function runOnComputeNode(arg: unknown, deps: SubmitDeps, preset: SubmitPreset = {}): Promise<JobRecord | undefined> {
  if (refuseUntrusted(vscode.l10n.t('Running a job'))) return undefined;
  const script = await chooseScript(arg);
  if (!script) return undefined;
  if (!/\.(py|sh)$/.test(script.fsPath)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Run on a Compute Node takes a Python (.py) or shell (.sh) script.'));
    return undefined;
  }
  const client = deps.connection.client;
  if (!client) {
    const connect = vscode.l10n.t('Connect…');
    const action = await vscode.window.showErrorMessage(vscode.l10n.t('Connect to an MLflow tracking server first: the job logs its run there.'), connect);
    if (action === connect) await vscode.commands.executeCommand('mlwf.connect');
    return undefined;
  }
  // The job runs the file on disk: unsaved edits would silently not be in it.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === script.fsPath);
  if (open?.isDirty) await open.save();
  const config = readJobsConfig();
  const profile = preset.profile ? jobProfile(preset.profile) : config.profile;
  const scriptName = path.basename(script.fsPath);
  const experimentPreset = preset.experimentId ? { id: preset.experimentId, name: preset.experimentName ?? preset.experimentId } : undefined;
  const answers = await askSubmission({ client, memento: deps.memento, profile, scriptName, experiment: experimentPreset, job: preset.job });
  if (!answers) return undefined;
  const { experiment, job } = answers;
  const auth = await deps.connection.credentialsFor(client.trackingUri);
  const scheduler = createScheduler(profile.scheduler, execRunner());
  try {
    const record = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Submitting {0} to {1}…', scriptName, profile.title), cancellable: true },
      async (_progress, token) => {
        const abort = abortSignalFor(token);
        try {
          return await submitJob(
          {
            profile,
            job,
            scriptPath: script.fsPath,
            workdir: preset.workdir ?? path.dirname(script.fsPath),
            jobsRoot: jobsRootFor(config, script),
            secretsDir: secretsDir(),
            interpreter: script.fsPath.endsWith('.py') ? config.python : 'bash',
            python: config.python,
            setupLines: config.setupCommands,
            jobTrackingUri: config.trackingUri || client.trackingUri,
            username: auth?.kind === 'basic' ? auth.username : undefined,
            password: auth?.kind === 'basic' ? auth.password : undefined,
            token: auth?.kind === 'bearer' ? auth.token : undefined,
            experimentId: experiment.id,
            experimentName: experiment.name,
          },
          client,
          scheduler,
          abort.signal,
        );
        } finally {
          abort.dispose();
        }
      },
    );
    deps.logger.info(`Job ${record.id} submitted (${profile.id}): ${record.scriptPath}, run ${record.runId}, folder ${record.folder}.`);
    deps.onSubmitted(record);
    const output = vscode.l10n.t('Show Output');
    const openScript = vscode.l10n.t('Open Job Script');
    void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} submitted: {1}, logging to run {2}.', record.id, scriptName, record.runId), output, openScript).then((a) => {
      if (a === output) void vscode.commands.executeCommand('mlwf.jobs.showOutput', record.id);
      if (a === openScript) void vscode.window.showTextDocument(vscode.Uri.file(path.join(record.folder, 'job.sh')));
    });
    return record;
  } catch (e) {
    const message = (e as Error).message;
    deps.logger.error(`Submitting ${script.fsPath} failed: ${message}`);
    const log = vscode.l10n.t('Show Log');
    const settings = vscode.l10n.t('Job Settings…');
    void vscode.window.showErrorMessage(vscode.l10n.t('The job was not submitted: {0}', message), settings, log).then((a) => {
      if (a === log) void vscode.commands.executeCommand('mlwf.showLog');
      if (a === settings) void vscode.commands.executeCommand('mlwf.jobs.setJobSettings');
    });
    return undefined;
  }
}
