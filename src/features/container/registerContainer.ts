// Wires the container capability into VS Code: generate the recipe, build it as a task, serve
// it in a terminal, send it a sample request. extension.ts calls this once.
import * as vscode from 'vscode';
import type { ImageFolder } from '../../core/container/createImageFolder';
import type { Logger } from '../../host/logger';
import { buildContainer, serveModel, type BuildOutcome, type JobsAccess, type ServeOutcome } from './buildAndServe';
import { generateRecipe, type GenerateOptions } from './generateRecipe';
import { currentProfile, jobSettingsFor } from './jobSettingsPrompt';
import { SampleRequests } from './sampleRequest';
import { createS3Client, hasS3Credentials } from '../../core/s3/s3Client';
import { S3CredentialStore } from '../../host/s3CredentialStore';
import { readExportSettings } from '../export/exportSettings';
import { CONTAINER_FROM_MODEL_VERSION_COMMAND, generateFromModelVersion } from './fromModelVersion';
import { registerCommand } from '../../host/commands';

/** What the in-host tests reach through the extension API. */
export interface ContainerFeature {
  generate(source: string, options?: GenerateOptions): Promise<ImageFolder | undefined>;
  build(folder: vscode.Uri): Promise<BuildOutcome | undefined>;
  serve(folder: vscode.Uri): Promise<ServeOutcome | undefined>;
  readonly requests: SampleRequests;
}

/** `jobs`: the Jobs feature, through which a plain Grid Engine folder's build and serve jobs are submitted. */
export function registerContainer(context: vscode.ExtensionContext, logger: Logger, jobs?: JobsAccess): { feature: ContainerFeature; disposables: vscode.Disposable[] } {
  const memento = { global: context.globalState, workspace: context.workspaceState };
  const lastPorts = new Map<string, number>();
  const requests = new SampleRequests(logger, lastPorts);
  // s3:// package URLs use the same Cloud Storage settings and keys as the export.
  const s3Keys = new S3CredentialStore(context.secrets);
  const s3 = async () => {
    const settings = readExportSettings().s3;
    const stored = await s3Keys.forSettings(settings);
    return (await hasS3Credentials(settings, stored)) ? createS3Client({ settings, credentials: stored }) : undefined;
  };
  const feature: ContainerFeature = {
    generate: (source, options) => generateRecipe(memento, logger, source, { interactive: false, s3, ...options }),
    build: (folder) => buildContainer(folder, logger, jobs),
    serve: (folder) => serveModel(folder, logger, lastPorts, jobs),
    requests,
  };
  return {
    feature,
    disposables: [
      requests,
      // From the Explorer (an export folder or a .tar.gz) or the palette. A model version node will
      // call this with the folder its export produced (wired where export lives).
      registerCommand('mlwf.generateContainerRecipe', (arg?: unknown) =>
        generateRecipe(memento, logger, arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined, { s3 }),
      ),
      // From a model version in the Models view (or the palette): export first, then the recipe.
      // The second argument (tests) skips the questions, as `feature.generate` does.
      registerCommand(CONTAINER_FROM_MODEL_VERSION_COMMAND, (target?: unknown, options?: GenerateOptions) =>
        generateFromModelVersion(target, (folder) => generateRecipe(memento, logger, folder, { s3, ...options })),
      ),
      registerCommand('mlwf.buildContainer', (arg?: unknown) => buildContainer(arg, logger, jobs)),
      registerCommand('mlwf.serveModel', (arg?: unknown) => serveModel(arg, logger, lastPorts, jobs)),
      registerCommand('mlwf.sendSampleRequest', (arg?: unknown) => requests.command(arg)),
      registerCommand('mlwf.setContainerJobSettings', async () => {
        const profile = currentProfile();
        if (profile.scheduler === 'none') {
          void vscode.window.showInformationMessage(vscode.l10n.t('The site profile "generic" builds on this machine: there is no job to set up.'));
          return;
        }
        const job = await jobSettingsFor(context.workspaceState, profile, true);
        if (job) void vscode.window.showInformationMessage(vscode.l10n.t('New container folders will use group {0}, {1}, wall time {2}.', job.group, job.resource, job.walltime));
      }),
    ],
  };
}
