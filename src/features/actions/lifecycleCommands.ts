// Rename a run or an experiment, create an experiment, delete (modal question) and restore runs
// and experiments, and stage transitions where the server still has stages. A preset argument
// (tests, other features) stands for the typed answer and skips the questions.
import * as vscode from 'vscode';
import { experimentNameProblem, MODEL_STAGES, runNameProblem, type MlflowClient, type ModelStage } from '../../core/mlflow';
import { ModelVersionNode } from '../models/modelNodes';
import { summarize, withActionProgress, writableClient, type ActionDeps } from './actionContext';
import { applyToEach } from './applyToEach';
import { labelOf, redraw, targetsOf, type ActionTarget } from './actionTargets';

export async function renameCommand(deps: ActionDeps, node: unknown, preset?: string): Promise<void> {
  const target = targetsOf(node, undefined)[0];
  if (!target || (target.kind !== 'run' && target.kind !== 'experiment')) return;
  const client = writableClient(deps);
  if (!client) return;
  const current = labelOf(target);
  const name =
    preset ??
    (await vscode.window.showInputBox({
      title: target.kind === 'run' ? vscode.l10n.t('Rename run {0}', current) : vscode.l10n.t('Rename experiment {0}', current),
      value: current,
      // The length limit of a run name depends on the server: the write itself checks it.
      validateInput: (text) => (target.kind === 'experiment' ? experimentNameProblem(text) : text.trim() === '' ? runNameProblem(text, undefined) : undefined),
    }));
  if (name === undefined || name === current) return;
  await withActionProgress(deps, vscode.l10n.t('Renaming…'), async (signal) => {
    if (target.kind === 'run') await client.trackingWrites.renameRun(target.node.runId, name, { signal });
    else await client.trackingWrites.renameExperiment(target.node.experimentId, name, { signal });
    await redraw(deps, client, target, signal);
  });
}

export async function createExperimentCommand(deps: ActionDeps, preset?: string): Promise<string | undefined> {
  const client = writableClient(deps);
  if (!client) return undefined;
  const name = preset ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('New experiment'), prompt: vscode.l10n.t('Experiment name'), validateInput: experimentNameProblem }));
  if (name === undefined) return undefined;
  const id = await withActionProgress(deps, vscode.l10n.t('Creating experiment {0}…', name), (signal) => client.trackingWrites.createExperiment(name, { signal }));
  if (id !== undefined) {
    // The new experiment must appear in the list: only the experiment list is asked again.
    deps.experiments.refresh();
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Experiment {0} created (#{1}).', name, id), 5000);
  }
  return id;
}

type Lifecycle = 'delete' | 'restore';

function lifecycleTargets(node: unknown, selection: readonly unknown[] | undefined): ActionTarget[] {
  return targetsOf(node, selection).filter((t) => t.kind === 'run' || t.kind === 'experiment');
}

async function changeLifecycle(client: MlflowClient, target: ActionTarget, what: Lifecycle, signal: AbortSignal): Promise<void> {
  if (target.kind === 'run') {
    await (what === 'delete' ? client.trackingWrites.deleteRun(target.node.runId, { signal }) : client.trackingWrites.restoreRun(target.node.runId, { signal }));
  } else if (target.kind === 'experiment') {
    await (what === 'delete' ? client.trackingWrites.deleteExperiment(target.node.experimentId, { signal }) : client.trackingWrites.restoreExperiment(target.node.experimentId, { signal }));
  }
}

export async function lifecycleCommand(deps: ActionDeps, what: Lifecycle, node: unknown, selection: readonly unknown[] | undefined, confirmed = false): Promise<void> {
  const targets = lifecycleTargets(node, selection);
  const client = targets.length ? writableClient(deps) : undefined;
  if (!client || targets.length === 0) return;
  if (what === 'delete' && !confirmed) {
    const yes = vscode.l10n.t('Delete');
    const names = targets.slice(0, 5).map(labelOf).join(', ') + (targets.length > 5 ? ', …' : '');
    const answer = await vscode.window.showWarningMessage(
      targets[0]!.kind === 'run' ? vscode.l10n.t('Delete {0} run(s): {1}?', targets.length, names) : vscode.l10n.t('Delete {0} experiment(s): {1}?', targets.length, names),
      { modal: true, detail: vscode.l10n.t('MLflow keeps deleted items until its administrator runs "mlflow gc": turn on Show Deleted to see them and restore them.') },
      yes,
    );
    if (answer !== yes) return;
  }
  const title = what === 'delete' ? vscode.l10n.t('Deleting…') : vscode.l10n.t('Restoring…');
  const result = await applyToEach(deps, title, targets, (target, signal) => changeLifecycle(client, target, what, signal));
  if (!result) return;
  // Deleted rows leave the list (or turn into trash rows with Show Deleted): the parents re-list.
  const parents = new Set(targets.map((t) => (t.kind === 'run' ? t.node.parent : undefined)));
  if (parents.has(undefined)) deps.experiments.refresh();
  else for (const parent of parents) deps.experiments.refresh(parent);
  summarize(result.done, targets.length, result.failures, {
    done: (n) => (what === 'delete' ? vscode.l10n.t('Deleted {0} item(s).', n) : vscode.l10n.t('Restored {0} item(s).', n)),
    partly: (n, total) => (what === 'delete' ? vscode.l10n.t('Deleted {0} of {1} items.', n, total) : vscode.l10n.t('Restored {0} of {1} items.', n, total)),
  });
}

export async function transitionStageCommand(deps: ActionDeps, node: unknown, preset?: ModelStage): Promise<void> {
  if (!(node instanceof ModelVersionNode)) return;
  const client = writableClient(deps);
  if (!client) return;
  const current = node.version.current_stage ?? 'None';
  const stage =
    preset ??
    (await vscode.window.showQuickPick(
      MODEL_STAGES.filter((s) => s !== current).map((s) => ({ label: s })),
      { title: vscode.l10n.t('Stage of version {0} (stages are deprecated in MLflow: prefer aliases)', node.version.version) },
    ))?.label;
  if (!stage) return;
  await withActionProgress(deps, vscode.l10n.t('Moving version {0} to {1}…', node.version.version, stage), async (signal) => {
    await client.registryWrites.transitionStage(node.version.name, node.version.version, stage as ModelStage, { signal });
    await redraw(deps, client, { kind: 'modelVersion', node }, signal);
  });
}
