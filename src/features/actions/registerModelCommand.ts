// "Register Model…": from a run (its models are looked up), an MLflow 3 logged model, or an
// MLflow 2 model folder below a run's Models row. The user picks an existing registered model
// (a new version) or names a new one (a taken name is refused as it is typed); the version is
// then created and waited for until READY, with progress and Cancel, and revealed in Models.
import * as vscode from 'vscode';
import { modelsOfRun } from '../../core/backend/modelFiles';
import { modelNameProblem, registerModel, type MlflowClient, type ModelToRegister } from '../../core/mlflow';
import { ArtifactFolderNode } from '../artifacts/artifactNodes';
import { RunNode } from '../explorer/runNode';
import { LoggedModelNode } from '../models/loggedModelNodes';
import { showActionError, withActionProgress, writableClient, type ActionDeps } from './actionContext';

interface ModelPick extends vscode.QuickPickItem {
  model: ModelToRegister;
}

/** What the clicked row offers to register (asks the server for a run's models). */
async function modelFromNode(client: MlflowClient, node: unknown): Promise<ModelToRegister | undefined> {
  if (node instanceof LoggedModelNode) return { kind: 'loggedModel', modelId: node.modelId };
  if (node instanceof ArtifactFolderNode && node.source.owner.modelId === undefined && node.path) {
    const run = await client.getRun(node.source.owner.runId);
    return { kind: 'runFolder', runId: run.info.run_id, artifactUri: run.info.artifact_uri, path: node.path };
  }
  if (node instanceof RunNode) {
    const run = node.run;
    const { loggedModels, folders } = await modelsOfRun(client, run);
    const picks: ModelPick[] = [
      ...loggedModels.map((m) => ({ label: m.info.name || m.info.model_id, description: m.info.model_id, model: { kind: 'loggedModel', modelId: m.info.model_id } as const })),
      ...folders.map((f) => ({ label: f, description: `runs:/${run.info.run_id}/${f}`, model: { kind: 'runFolder', runId: run.info.run_id, artifactUri: run.info.artifact_uri, path: f } as const })),
    ];
    if (picks.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} logged no model to register.', run.info.run_name || run.info.run_id));
      return undefined;
    }
    if (picks.length === 1) return picks[0]!.model;
    return (await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Register which model of the run?') }))?.model;
  }
  return undefined;
}

interface TargetPick extends vscode.QuickPickItem {
  name?: string;
}

/** An existing model (new version) or a new name; taken names are refused before any write. */
async function pickTarget(client: MlflowClient): Promise<{ name: string; newModel: boolean } | undefined> {
  const page = await client.searchRegisteredModelsPage({ maxResults: 1000, orderBy: ['name ASC'] });
  const names = page.registered_models.map((m) => m.name);
  const picks: TargetPick[] = [{ label: `$(add) ${vscode.l10n.t('New registered model…')}` }, ...names.map((name) => ({ label: name, description: vscode.l10n.t('add a new version'), name }))];
  const picked = names.length ? await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Register as a new version of…') }) : picks[0];
  if (!picked) return undefined;
  if (picked.name) return { name: picked.name, newModel: false };
  const taken = new Set(names);
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Name of the new registered model'),
    validateInput: (text) => modelNameProblem(text) ?? (taken.has(text) ? vscode.l10n.t('A registered model named "{0}" already exists: pick it from the list to add a version.', text) : undefined),
  });
  return name === undefined ? undefined : { name, newModel: true };
}

export async function registerModelCommand(deps: ActionDeps, node: unknown, preset?: { name: string; newModel: boolean }): Promise<string | undefined> {
  const client = writableClient(deps);
  if (!client) return undefined;
  let model: ModelToRegister | undefined;
  let target = preset;
  try {
    model = await modelFromNode(client, node);
    if (!model) return undefined;
    target ??= await pickTarget(client);
  } catch (error) {
    await showActionError(deps, error);
    return undefined;
  }
  if (!target) return undefined;
  const { name, newModel } = target;
  const chosen = model;
  const version = await withActionProgress(deps, vscode.l10n.t('Registering {0}…', name), async (signal, progress) => {
    const created = await registerModel(client, { model: chosen, name, newModel }, {
      signal,
      onProgress: (phase, v) =>
        progress.report({
          message:
            phase === 'creatingModel'
              ? vscode.l10n.t('creating the registered model')
              : phase === 'creatingVersion'
                ? vscode.l10n.t('creating the version')
                : vscode.l10n.t('waiting until version {0} is READY', v ?? ''),
        }),
    });
    deps.models.updateModel(await client.getRegisteredModel(name, { signal }));
    return created;
  });
  if (!version) return undefined;
  const show = vscode.l10n.t('Show in Models');
  void vscode.window.showInformationMessage(vscode.l10n.t('Registered version {0} of {1}.', version.version, name), show).then(async (picked) => {
    if (picked !== show) return;
    const row = await deps.models.findVersionNode(name, version.version);
    if (row) await deps.modelsView.reveal(row, { select: true, focus: true });
  });
  return version.version;
}
