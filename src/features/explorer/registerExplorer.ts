// Wires the Experiments view: the tree view (multi-select, collapse all), its commands, the
// view description that says when filters are active, and re-renders on connection and
// settings changes. Returns the provider so the composition root can expose it to tests.
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { EXPLORER_SETTING_KEYS, type RunChildFactory } from './explorerContext';
import type { ExplorerNode } from '../tree/explorerNode';
import { ExperimentsTreeProvider } from './experimentsTreeProvider';
import { ErrorNode, LOAD_MORE_COMMAND, LoadMoreNode, RETRY_COMMAND } from '../tree/messageNodes';
import { copyLines, experimentIdOf, findRun, openInMlflowUi, selectedRuns } from './runActions';
import { clearRunFilter, filterExperiments, filterRuns, filterSummary, sortRuns, toggleDeletedExperiments } from './runViewCommands';
import { registerCommand } from '../../host/commands';
import { publishSelectionContext } from '../tree/selectionContext';

export interface ExplorerRegistration {
  readonly provider: ExperimentsTreeProvider;
  readonly treeView: vscode.TreeView<ExplorerNode>;
  readonly disposables: vscode.Disposable[];
}

export interface ExplorerSources {
  getBackend(): TrackingBackend | undefined;
  /** Server or folder identity (remembered filters are per scope). */
  getScope(): string;
  /** Base URL of the MLflow web UI, if there is one. */
  getUiBase(): string | undefined;
  /** Fires when the backend (connection state, credentials, settings) changes. */
  onDidChangeBackend: vscode.Event<unknown>;
  memento: vscode.Memento;
  runChildren?: RunChildFactory;
}

const FILTER_CONTEXT_KEY = 'mlwf.explorerFiltered';

export function registerExperimentsExplorer(sources: ExplorerSources): ExplorerRegistration {
  const provider = new ExperimentsTreeProvider(sources);
  const treeView = vscode.window.createTreeView('mlwf.experiments', { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const updateDescription = () => {
    const summary = filterSummary(provider);
    treeView.description = summary ? vscode.l10n.t('Filtered: {0}', summary) : undefined;
    void vscode.commands.executeCommand('setContext', FILTER_CONTEXT_KEY, summary !== '');
  };
  const reveal = async (node: ExplorerNode) => {
    await treeView.reveal(node, { select: true, focus: true, expand: false });
  };
  const command = (id: string, run: (...args: unknown[]) => unknown) => registerCommand(id, run);
  updateDescription();
  const disposables: vscode.Disposable[] = [
    provider,
    treeView,
    // Delete, F2 and Compare on the selected rows (package.json keybindings).
    publishSelectionContext(treeView, provider, 'mlwf.experimentsSelection'),
    provider.onDidChangeTreeData(updateDescription),
    sources.onDidChangeBackend(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (EXPLORER_SETTING_KEYS.some((k) => e.affectsConfiguration(k))) provider.refresh();
    }),
    command('mlwf.refreshExperiments', (node) => provider.refresh(node as ExplorerNode | undefined)),
    command('mlwf.filterExperiments', (preset) => filterExperiments(provider, typeof preset === 'string' ? preset : undefined)),
    command('mlwf.toggleDeletedExperiments', () => toggleDeletedExperiments(provider)),
    // A string second argument presets the value (tests, other features); menus pass the selection.
    command('mlwf.filterRuns', (node, preset) => filterRuns(provider, node, typeof preset === 'string' ? preset : undefined)),
    command('mlwf.sortRuns', (node, preset) => sortRuns(provider, node, typeof preset === 'string' ? preset : undefined)),
    command('mlwf.clearRunFilter', (node) => clearRunFilter(provider, node)),
    command('mlwf.copyRunId', (node, all) => copyLines(selectedRuns(node ?? treeView.selection[0], all ?? treeView.selection).map((r) => r.runId))),
    command('mlwf.copyRunUri', (node, all) => copyLines(selectedRuns(node ?? treeView.selection[0], all ?? treeView.selection).map((r) => `runs:/${r.runId}`))),
    command('mlwf.copyExperimentId', (node) => {
      const id = experimentIdOf(node ?? treeView.selection[0]);
      return id ? copyLines([id]) : undefined;
    }),
    command('mlwf.openInMlflowUi', (node) => openInMlflowUi(node ?? treeView.selection[0], sources.getUiBase())),
    command('mlwf.findRun', () => findRun(provider, reveal)),
    // For other features (e.g. a model version's source run): reveal a run by its id.
    command('mlwf.revealRun', async (runId) => {
      const backend = provider.backend;
      if (typeof runId !== 'string' || !backend) return;
      const node = await provider.nodeForRun(await backend.getRun(runId));
      if (node) await reveal(node);
    }),
    command(RETRY_COMMAND, (node) => (node instanceof ErrorNode ? node.owner.retry() : provider.refresh())),
    command(LOAD_MORE_COMMAND, (node) => (node instanceof LoadMoreNode ? node.owner.loadMore() : undefined)),
  ];
  return { provider, treeView, disposables };
}
