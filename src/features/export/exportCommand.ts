// "MLWF: Export Model Version…": from a version row of the Models view or the palette, export it
// into the workspace with progress (files, bytes, rate, ETA) and Cancel, then open info.yaml.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportModelVersion, formatBytes, formatDuration, isExportError, type ExportProgress, type ExportResult, type S3Route } from '../../core/export';
import type { MlflowClient } from '../../core/mlflow';
import { createS3Client, hasS3Credentials } from '../../core/s3/s3Client';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import type { ConnectionManager } from '../connection/connectionManager';
import { actionLabel, actionsFor, describeExportError } from './exportErrorsUi';
import { exportDirectory, readExportSettings, RESPONSE_TIMEOUT_SETTING } from './exportSettings';
import { pickModelVersion, type VersionChoice } from './pickModelVersion';
import { registerCommand } from '../../host/commands';

export const EXPORT_COMMAND = 'mlwf.exportModelVersion';

/** What the command accepts: a Models view row (version, model or logged model) or an explicit choice. */
export type ExportTarget =
  | { version?: { name: string; version: string }; model?: { name: string } }
  | { modelId: string; model?: { info: { name: string } } }
  | VersionChoice
  | undefined;

function choiceOf(target: ExportTarget): VersionChoice | { name: string } | undefined {
  if (!target) return undefined;
  // A logged-model row (Models view or a run's Models node) or `{ modelId }`.
  if ('modelId' in target && typeof target.modelId === 'string' && /^m-[A-Za-z0-9]+$/.test(target.modelId)) {
    const named = (target as { model?: { info?: { name?: unknown } }; name?: unknown });
    const name = typeof named.name === 'string' ? named.name : typeof named.model?.info?.name === 'string' ? named.model.info.name : '';
    return { name, modelId: target.modelId };
  }
  if ('version' in target && target.version && typeof target.version === 'object') return { name: target.version.name, version: target.version.version };
  if ('model' in target && target.model && 'name' in target.model) return { name: target.model.name };
  if ('name' in target && typeof target.name === 'string') return target as VersionChoice;
  return undefined;
}

function progressMessage(p: ExportProgress): string {
  const rate = p.rate > 0 ? vscode.l10n.t('{0}/s', formatBytes(p.rate)) : '';
  const eta = p.etaSeconds !== undefined ? vscode.l10n.t('{0} left', formatDuration(p.etaSeconds)) : '';
  const bytes = p.bytesTotal > 0 ? vscode.l10n.t('{0} of {1}', formatBytes(p.bytesDone), formatBytes(p.bytesTotal)) : '';
  switch (p.phase) {
    case 'resolving':
      return vscode.l10n.t('Finding the model files…');
    case 'downloading':
      return [vscode.l10n.t('Downloading {0}/{1} files', String(p.filesDone), String(p.filesTotal)), bytes, rate, eta].filter(Boolean).join(' · ');
    case 'finishing':
      return vscode.l10n.t('Writing info.yaml…');
    case 'archiving':
      return [vscode.l10n.t('Compressing model.tar.gz'), bytes, rate, eta].filter(Boolean).join(' · ');
  }
}

export class ExportCommand {
  constructor(
    private readonly connection: ConnectionManager,
    private readonly logger: Logger,
    private readonly s3Keys: S3CredentialStore,
  ) {}

  register(): vscode.Disposable[] {
    return [registerCommand(EXPORT_COMMAND, (target?: ExportTarget, options?: { s3Route?: S3Route }) => this.run(target, options))];
  }

  /** Resolves with the result (undefined when cancelled, failed or dismissed): the tests use it. */
  async run(target: ExportTarget, options: { s3Route?: S3Route } = {}): Promise<ExportResult | undefined> {
    const client = this.connection.client;
    if (!client) {
      const message =
        this.connection.state.kind === 'local'
          ? vscode.l10n.t('Exporting needs an MLflow tracking server; the local mlruns store cannot be exported yet.')
          : vscode.l10n.t('Not connected to an MLflow server.');
      void vscode.window.showWarningMessage(message);
      return undefined;
    }
    let choice = choiceOf(target);
    const chosen = choice as VersionChoice | undefined;
    if (!chosen || (!chosen.version && !chosen.alias && !chosen.modelId)) {
      choice = await pickModelVersion(client).catch((e: unknown) => {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not list models: {0}', e instanceof Error ? e.message : String(e)));
        return undefined;
      });
      if (!choice) return undefined;
    }
    const settings = readExportSettings();
    let outputDir = exportDirectory(settings);
    if (!outputDir) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: vscode.l10n.t('Export into which folder?'), openLabel: vscode.l10n.t('Export Here') });
      if (!picked?.[0]) return undefined;
      outputDir = picked[0].fsPath;
    }
    return this.exportWithProgress(client, choice as VersionChoice, outputDir, options.s3Route ?? settings.s3Route);
  }

  private async exportWithProgress(client: MlflowClient, choice: VersionChoice, outputDir: string, s3Route: S3Route): Promise<ExportResult | undefined> {
    const settings = readExportSettings();
    const label = choice.modelId
      ? vscode.l10n.t('logged model {0}', choice.modelId)
      : choice.alias
        ? `${choice.name}@${choice.alias}`
        : vscode.l10n.t('{0} version {1}', choice.name, choice.version ?? '');
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0}', label), cancellable: true },
      async (progress, token): Promise<{ ok: true; result: ExportResult } | { ok: false; error: unknown }> => {
        const { signal, dispose } = abortSignalFor(token);
        let reported = 0;
        try {
          const result = await exportModelVersion({
            client,
            name: choice.name,
            version: choice.version,
            alias: choice.alias,
            modelId: choice.modelId,
            outputDir,
            s3Route,
            // Keys typed into the editor win; otherwise the AWS chain (environment, ~/.aws profiles).
            s3: async () => {
              const stored = await this.s3Keys.forSettings(settings.s3);
              return (await hasS3Credentials(settings.s3, stored)) ? createS3Client({ settings: settings.s3, credentials: stored }) : undefined;
            },
            concurrency: settings.concurrency,
            responseTimeoutMs: settings.responseTimeoutSeconds * 1000,
            compressionLevel: settings.compressionLevel,
            creator: settings.creator || undefined,
            signal,
            log: (line) => this.logger.info(line),
            onProgress: (p) => {
              // The bar follows the whole export: downloading is the first 60 %, compressing the rest.
              const share = p.phase === 'downloading' ? 60 : p.phase === 'archiving' ? 40 : 0;
              const base = p.phase === 'archiving' || p.phase === 'finishing' ? 60 : 0;
              const percent = base + (p.bytesTotal > 0 ? (share * p.bytesDone) / p.bytesTotal : 0);
              progress.report({ message: progressMessage(p), increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
            },
          });
          return { ok: true, result };
        } catch (error) {
          return { ok: false, error };
        } finally {
          dispose();
        }
      },
    );
    if (outcome.ok) {
      const { result } = outcome;
      this.logger.info(`Exported ${label} to ${result.folder} (${result.files} files, ${result.bytes} bytes, route ${result.route}).`);
      await this.showResult(result, label);
      return result;
    }
    const error = outcome.error;
    if (!isExportError(error)) throw error;
    this.logger.warn(`Export of ${label} failed: ${error.kind}: ${error.userMessage}`);
    const actions = actionsFor(error);
    const message = describeExportError(error);
    if (error.kind === 'cancelled') {
      void vscode.window.showInformationMessage(message);
      return undefined;
    }
    // Not awaited: the command has ended (nothing was exported); the actions start a new attempt.
    void vscode.window.showErrorMessage(message, ...actions.map(actionLabel)).then(async (picked) => {
      const action = actions.find((a) => actionLabel(a) === picked);
      if (action === 'retry') await this.exportWithProgress(client, choice, outputDir, s3Route);
      if (action === 'viaServer') await this.exportWithProgress(client, choice, outputDir, 'server');
      if (action === 'setKeys' && (await vscode.commands.executeCommand<boolean>('mlwf.setS3Credentials'))) await this.exportWithProgress(client, choice, outputDir, s3Route);
      if (action === 'signIn') await vscode.commands.executeCommand('mlwf.signIn');
      if (action === 'openSetting') await vscode.commands.executeCommand('workbench.action.openSettings', RESPONSE_TIMEOUT_SETTING);
      if (action === 'showLog') this.logger.show();
    });
    return undefined;
  }

  private async showResult(result: ExportResult, label: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(result.infoYaml));
    await vscode.window.showTextDocument(doc, { preview: false });
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const build = vscode.l10n.t('Build Container…');
    const open = vscode.l10n.t('Open Folder');
    const upload = vscode.l10n.t('Upload…');
    // Not awaited: the command is done once the folder exists; the actions are for later.
    void vscode.window
      .showInformationMessage(
        result.version.version === ''
          ? vscode.l10n.t('Exported {0} to {1} ({2} files, {3}; model.tar.gz {4}). Fill in the placeholders in info.yaml before uploading.', label, path.basename(result.folder), String(result.files), formatBytes(result.bytes), formatBytes(result.archiveBytes))
          : vscode.l10n.t('Exported {0} version {1} to {2} ({3} files, {4}; model.tar.gz {5}). Fill in the placeholders in info.yaml before uploading.', result.version.name, result.version.version, path.basename(result.folder), String(result.files), formatBytes(result.bytes), formatBytes(result.archiveBytes)),
        reveal,
        build,
        upload,
        open,
      )
      .then(async (picked) => {
        const folder = vscode.Uri.file(result.folder);
        if (picked === reveal) await vscode.commands.executeCommand('revealInExplorer', folder);
        // The container feature's recipe generator takes the export folder as it is.
        if (picked === build) await vscode.commands.executeCommand('mlwf.generateContainerRecipe', folder);
        if (picked === upload) await vscode.commands.executeCommand('mlwf.uploadModelPackage', folder);
        if (picked === open) await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
      });
  }
}
