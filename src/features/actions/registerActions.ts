// Wires the write actions (aliases, tags, notes and descriptions, rename, create, delete and
// restore, stages, register a model) into VS Code; extension.ts calls this once. Menus pass
// (clicked row, selected rows); a string or object after them is a preset answer (tests, other
// features) that skips the questions.
import * as vscode from 'vscode';
import type { ModelStage } from '../../core/mlflow';
import type { ActionDeps } from './actionContext';
import { removeAliasCommand, setAliasCommand } from './aliasCommands';
import { createExperimentCommand, lifecycleCommand, renameCommand, transitionStageCommand } from './lifecycleCommands';
import { registerModelCommand } from './registerModelCommand';
import { deleteTagCommand, setTagCommand } from './tagCommands';
import { EditableTextFileSystem, TEXT_SCHEME, editTextCommand } from './textEditor';
import { registerCommand } from '../../host/commands';

/** What the in-host tests reach through the extension API. */
export interface ActionsFeature {
  readonly texts: EditableTextFileSystem;
}

const isList = (value: unknown): value is unknown[] => Array.isArray(value);

export function registerActions(deps: ActionDeps): { feature: ActionsFeature; disposables: vscode.Disposable[] } {
  const texts = new EditableTextFileSystem(deps);
  // The clicked row, else the focused view's selection (palette, keybindings).
  const rowOf = (node: unknown) => node ?? deps.experimentsView.selection[0] ?? deps.modelsView.selection[0];
  const selectionOf = (node: unknown, all: unknown) => (isList(all) ? all : node ? undefined : [...deps.experimentsView.selection]);
  const command = (id: string, run: (...args: unknown[]) => unknown) => registerCommand(id, run);
  const preset = <T>(value: unknown, is: (v: unknown) => v is T): T | undefined => (is(value) ? value : undefined);
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isTag = (v: unknown): v is { key: string; value: string } => typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string' && typeof (v as { value?: unknown }).value === 'string';
  const isTarget = (v: unknown): v is { name: string; newModel: boolean } => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string';
  // Stage transitions are offered only where the server still has stages (MLflow 2).
  const updateStagesKey = () => {
    const client = deps.connection.client;
    const set = (value: boolean) => void vscode.commands.executeCommand('setContext', 'mlwf.serverHasStages', value);
    if (!client) return set(false);
    client.capabilities().then(
      (c) => set(c.major !== undefined && c.major < 3),
      () => set(false),
    );
  };
  updateStagesKey();
  return {
    feature: { texts },
    disposables: [
      deps.connection.onDidChangeState(updateStagesKey),
      vscode.workspace.registerFileSystemProvider(TEXT_SCHEME, texts, { isCaseSensitive: true }),
      command('mlwf.setAlias', (node, p) => setAliasCommand(deps, rowOf(node), preset(p, isString))),
      command('mlwf.removeAlias', (node, p) => removeAliasCommand(deps, rowOf(node), preset(p, isString))),
      command('mlwf.setTag', (node, all, p) => setTagCommand(deps, rowOf(node), selectionOf(node, all), preset(p, isTag))),
      command('mlwf.deleteTag', (node, all, p) => deleteTagCommand(deps, rowOf(node), selectionOf(node, all), preset(p, isString))),
      command('mlwf.editNote', (node) => editTextCommand(deps, texts, rowOf(node))),
      command('mlwf.rename', (node, p) => renameCommand(deps, rowOf(node), preset(p, isString))),
      command('mlwf.createExperiment', (p) => createExperimentCommand(deps, preset(p, isString))),
      command('mlwf.delete', (node, all, confirmed) => lifecycleCommand(deps, 'delete', rowOf(node), selectionOf(node, all), confirmed === true)),
      command('mlwf.restore', (node, all) => lifecycleCommand(deps, 'restore', rowOf(node), selectionOf(node, all))),
      command('mlwf.transitionStage', (node, p) => transitionStageCommand(deps, rowOf(node), preset(p, isString) as ModelStage | undefined)),
      command('mlwf.registerModel', (node, p) => registerModelCommand(deps, rowOf(node), preset(p, isTarget))),
    ],
  };
}
