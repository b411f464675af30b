// MLWF: Generate Container Recipe… — from an export folder, a model.tar.gz on disk or at an
// https:// URL. Writes MLWFCreateImage_<timestamp>/ beside the workspace's files, then opens the
// recipe so it can be read and changed before building.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, createImageFolder, type ImageFolder } from '../../core/container/createImageFolder';
import { RECIPE_FILE } from '../../core/container/jobScripts';
import type { JobSettings } from '../../core/container/siteProfiles';
import type { S3Client } from '@aws-sdk/client-s3';
import { downloadPackage, isPackageUrl } from '../../core/container/packageDownload';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import { pickBaseImage } from './baseImagePicker';
import { currentProfile, jobSettingsFor } from './jobSettingsPrompt';

export interface GenerateOptions {
  /** Skips the base image question (tests, and callers that know it). */
  readonly baseImage?: string;
  readonly outputDir?: string;
  /** Skips the job questions (tests). */
  readonly job?: JobSettings;
  /** Opens the recipe and offers Build (default true). */
  readonly interactive?: boolean;
  /** The Cloud Storage client for s3:// package URLs (undefined: no keys found). */
  readonly s3?: () => Promise<S3Client | undefined>;
}

async function askSource(): Promise<string | undefined> {
  const fromDisk = { label: vscode.l10n.t('$(folder) Export folder or model.tar.gz on this machine…'), id: 'disk' };
  const fromUrl = { label: vscode.l10n.t('$(cloud-download) model.tar.gz at a URL…'), id: 'url' };
  const pick = await vscode.window.showQuickPick([fromDisk, fromUrl], { title: vscode.l10n.t('Generate Container Recipe'), placeHolder: vscode.l10n.t('Where is the model package?') });
  if (!pick) return undefined;
  if (pick.id === 'url') {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Generate Container Recipe'),
      prompt: vscode.l10n.t('URL of the model.tar.gz (https://…)'),
      ignoreFocusOut: true,
      validateInput: (v) => (isPackageUrl(v) ? undefined : vscode.l10n.t('Enter an https:// or s3:// URL.')),
    });
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Use This Model'),
    filters: { [vscode.l10n.t('Model package')]: ['gz', 'tgz', 'tar'] },
  });
  return chosen?.[0]?.fsPath;
}

export async function generateRecipe(memento: { global: vscode.Memento; workspace: vscode.Memento }, logger: Logger, source: string | undefined, options: GenerateOptions = {}): Promise<ImageFolder | undefined> {
  const interactive = options.interactive ?? true;
  source ??= await askSource();
  if (!source) return undefined;
  logger.info(`Generating a container recipe from ${source}.`);
  const outputDir = options.outputDir ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? (isPackageUrl(source) ? os.homedir() : path.dirname(source));
  const profile = currentProfile();
  const job = options.job ?? (await jobSettingsFor(memento.workspace, profile));
  if (!job) return undefined;

  let downloadDir: string | undefined;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating the container recipe'), cancellable: true },
      async (progress, token) => {
        const abort = abortSignalFor(token);
        try {
          let local = source!;
          if (isPackageUrl(local)) {
            downloadDir = mkdtempSync(path.join(os.tmpdir(), 'mlwf-package-'));
            const target = path.join(downloadDir, 'model.tar.gz');
            progress.report({ message: vscode.l10n.t('downloading the package…') });
            await downloadPackage(local, target, { signal: abort.signal, s3: options.s3 });
            local = target;
          }
          progress.report({ message: vscode.l10n.t('unpacking the model…') });
          return await createImageFolder({
            source: local,
            outputDir,
            profile,
            job,
            signal: abort.signal,
            chooseBaseImage: (spec, suggested) => options.baseImage !== undefined ? Promise.resolve(options.baseImage) : pickBaseImage(memento.global, suggested, spec.gpu),
          });
        } finally {
          abort.dispose();
        }
      },
    );
    logger.info(`Container folder ${result.folder} for model ${result.spec.name} (base ${result.baseImage}, profile ${profile.id}).`);
    if (interactive) void afterGenerate(result);
    return result;
  } catch (err) {
    if (err instanceof CancelledError || (err as Error).name === 'AbortError') return undefined;
    const message = err instanceof Error ? err.message : String(err);
    logger.error(`Generate container recipe from ${source}: ${message}`);
    if (!interactive) throw err;
    void vscode.window.showErrorMessage(vscode.l10n.t('The container recipe could not be generated: {0}', message), vscode.l10n.t('Show Log')).then((a) => a && vscode.commands.executeCommand('mlwf.showLog'));
    return undefined;
  } finally {
    if (downloadDir) rmSync(downloadDir, { recursive: true, force: true });
  }
}

async function afterGenerate(result: ImageFolder): Promise<void> {
  const recipe = vscode.Uri.file(path.join(result.folder, RECIPE_FILE));
  await vscode.window.showTextDocument(recipe, { preview: false });
  await vscode.commands.executeCommand('revealInExplorer', recipe).then(undefined, () => undefined);
  const build = vscode.l10n.t('Build Container');
  const action = await vscode.window.showInformationMessage(vscode.l10n.t('Created {0} for {1}. Check the recipe, then build it.', path.basename(result.folder), result.spec.name), build);
  if (action === build) await vscode.commands.executeCommand('mlwf.buildContainer', vscode.Uri.file(result.folder));
}
