// Wires the compare feature: its commands (from a selection of runs, from an experiment, from a
// metric node, add to an open comparison), the serializer that brings panels back after a
// window reload, and the run colours as decorations in the Experiments view.
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { Run } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import { ExperimentNode } from '../explorer/experimentNode';
import { useStatusIconFiles } from '../explorer/format';
import type { ExperimentsTreeProvider } from '../explorer/experimentsTreeProvider';
import type { ExplorerNode } from '../tree/explorerNode';
import { KeyValueNode } from '../explorer/runDetailNodes';
import { selectedRuns } from '../explorer/runActions';
import { RunNode } from '../explorer/runNode';
import { ComparePanel, type ComparePaintTiming, type ComparePanelDeps, type CompareOpenOptions } from './comparePanel';
import { pickExperimentRuns } from './compareRuns';
import { CompareSerializer } from './compareSerializer';
import { RunColorDecorations } from './runColorDecorations';
import { registerCommand } from '../../host/commands';

export interface CompareSources {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly explorer: ExperimentsTreeProvider;
  readonly treeView: vscode.TreeView<ExplorerNode>;
  getBackend(): TrackingBackend | undefined;
  /** Which server (tracking URI) or local store the backend reads: panels follow only their own. */
  getScope(): string;
  onDidChangeBackend: vscode.Event<unknown>;
}

/** What the in-host tests and the benchmark see of the feature (not a public API). */
export interface CompareFeature {
  readonly panels: readonly ComparePanel[];
  readonly lastPaint: ComparePaintTiming | undefined;
  readonly onDidOpenPanel: vscode.Event<ComparePanel>;
  readonly serializer: CompareSerializer;
  /** The run colours shown in the Experiments view. */
  readonly decorations: RunColorDecorations;
  open(runs: readonly Run[], options?: Partial<CompareOpenOptions>): Promise<ComparePanel | undefined>;
}

export function registerCompare(sources: CompareSources): { feature: CompareFeature; disposables: vscode.Disposable[] } {
  const panels: ComparePanel[] = [];
  const opened = new vscode.EventEmitter<ComparePanel>();
  const decorations = new RunColorDecorations(() => panels);
  // Run colours tint run rows' labels: their status icons must be pictures to keep their own colour.
  useStatusIconFiles(sources.extensionUri);
  let lastPaint: ComparePaintTiming | undefined;

  const experimentName = async (backend: TrackingBackend, experimentIds: string[]): Promise<string> => {
    if (experimentIds.length > 1) return vscode.l10n.t('{0} experiments', experimentIds.length);
    const id = experimentIds[0] ?? '';
    const known = sources.explorer.experimentNodes.find((n) => n.experimentId === id);
    if (known) return known.experiment.name;
    try {
      return (await backend.getExperiment(id)).name;
    } catch {
      return `#${id}`;
    }
  };

  const deps = (backend: TrackingBackend): ComparePanelDeps => ({
    extensionUri: sources.extensionUri,
    logger: sources.logger,
    backend,
    pickMoreRuns: (panel) => pickMoreRuns(panel.backend, panel),
  });

  // `mlwf.compareOpen` shows "Add to Comparison" on runs only while there is one to add to.
  const setOpenContext = () => void vscode.commands.executeCommand('setContext', 'mlwf.compareOpen', panels.length > 0);
  // The server each panel reads: a new sign-in to it gives a new backend, which the panel then
  // follows; a panel of another server keeps the backend it was opened with.
  const scopes = new WeakMap<ComparePanel, string>();
  const track = (panel: ComparePanel): ComparePanel => {
    scopes.set(panel, sources.getScope());
    panels.push(panel);
    setOpenContext();
    panel.onDidDispose(() => {
      const index = panels.indexOf(panel);
      if (index >= 0) panels.splice(index, 1);
      setOpenContext();
      decorations.refresh();
    });
    panel.onDidChangeRuns(() => decorations.refresh());
    panel.panel.onDidChangeViewState((e) => {
      // The focused comparison decides the tree's colours: move it to the front.
      if (e.webviewPanel.active && panels[0] !== panel) {
        panels.splice(panels.indexOf(panel), 1);
        panels.unshift(panel);
        decorations.refresh();
      }
    });
    panel.onDidPaint((timing) => (lastPaint = timing));
    decorations.refresh();
    opened.fire(panel);
    return panel;
  };

  const open = async (runs: readonly Run[], options: Partial<CompareOpenOptions> = {}): Promise<ComparePanel | undefined> => {
    const backend = sources.getBackend();
    if (!backend) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Connect to an MLflow server or open an mlruns folder first.'), vscode.l10n.t('Connect')).then((a) => {
        if (a) void vscode.commands.executeCommand('mlwf.connect');
      });
      return undefined;
    }
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select one or more runs in the Experiments view to compare them.'));
      return undefined;
    }
    const commandStartedAt = options.commandStartedAt ?? Date.now();
    const name = options.experimentName ?? (await experimentName(backend, [...new Set(runs.map((r) => r.info.experiment_id))]));
    sources.logger.info(`Compare: opening ${runs.length} run(s) of ${name}.`);
    return track(ComparePanel.open(deps(backend), runs, { experimentName: name, focusMetrics: options.focusMetrics, commandStartedAt }));
  };

  async function pickMoreRuns(backend: TrackingBackend, panel: ComparePanel): Promise<Run[] | undefined> {
    const id = panel.experimentIds[0];
    if (!id) return undefined;
    const filter = sources.explorer.runView.get(id).filter;
    return pickExperimentRuns(backend, { id, name: await experimentName(backend, [id]), filter }, new Set(panel.runIds), false);
  }

  const serializer = new CompareSerializer({
    logger: sources.logger,
    waitForBackend: (signal) => waitForBackend(sources, signal),
    restore: async (webviewPanel, backend, runs, missing) => {
      const name = await experimentName(backend, [...new Set(runs.map((r) => r.info.experiment_id))]);
      const panel = track(new ComparePanel(webviewPanel, deps(backend), { experimentName: name }));
      panel.setRuns(runs);
      if (missing > 0) void vscode.window.showWarningMessage(vscode.l10n.t('{0} run(s) of the comparison no longer exist and were left out.', missing));
      return panel;
    },
  });

  // The handlers' results (a ComparePanel) stay in the extension host: src/host/commands.ts.
  const command = (id: string, run: (...args: unknown[]) => unknown) => registerCommand(id, run);
  const disposables: vscode.Disposable[] = [
    opened,
    decorations,
    sources.onDidChangeBackend(() => {
      const backend = sources.getBackend();
      const scope = sources.getScope();
      if (!backend) return;
      for (const panel of panels) if (scopes.get(panel) === scope) panel.rebind(backend);
    }),
    vscode.window.registerFileDecorationProvider(decorations),
    vscode.window.registerWebviewPanelSerializer('mlwf.compare', serializer),
    command('mlwf.compareSelectedRuns', (node, all) => open(selectedRuns(node ?? sources.treeView.selection[0], all ?? sources.treeView.selection).map((n) => n.run))),
    // A string array second argument picks the runs without the quick pick (tests, other features).
    command('mlwf.compareRuns', (node, preset) => compareExperiment(node, Array.isArray(preset) ? preset.filter((x): x is string => typeof x === 'string') : undefined)),
    command('mlwf.compareMetric', (node) => compareMetric(node)),
    command('mlwf.saveCompareView', () => withActivePanel((panel) => panel.requestSaveView())),
    command('mlwf.applyCompareView', () => withActivePanel((panel) => panel.chooseAndApplyView())),
    command('mlwf.addToComparison', (node, all) => {
      const runs = selectedRuns(node ?? sources.treeView.selection[0], all ?? sources.treeView.selection).map((n) => n.run);
      const target = panels[0];
      if (!target) return open(runs);
      target.addRuns(runs);
      target.reveal();
      return target;
    }),
  ];

  /** The focused comparison (the last one focused, if none is), or a hint when none is open. */
  function withActivePanel(action: (panel: ComparePanel) => unknown): unknown {
    const panel = panels.find((p) => p.panel.active) ?? panels[0];
    if (!panel) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a comparison first: select runs in the Experiments view and run "Compare Selected Runs".'));
      return undefined;
    }
    return action(panel);
  }

  async function compareExperiment(node: unknown, presetRunIds: string[] | undefined): Promise<ComparePanel | undefined> {
    const commandStartedAt = Date.now();
    const backend = sources.getBackend();
    if (!backend) return open([]);
    const experiment = node instanceof ExperimentNode ? node : await pickExperiment();
    if (!experiment) return undefined;
    const id = experiment.experimentId;
    const filter = sources.explorer.runView.get(id).filter;
    let runs: Run[] | undefined;
    if (presetRunIds) {
      const page = await backend.searchRunsPage({ experimentIds: [id], filter, maxResults: 1000 });
      runs = presetRunIds.flatMap((rid) => page.runs.find((r) => r.info.run_id === rid) ?? []);
    } else {
      runs = await pickExperimentRuns(backend, { id, name: experiment.experiment.name, filter }, new Set(), false);
    }
    return runs ? open(runs, { experimentName: experiment.experiment.name, commandStartedAt }) : undefined;
  }

  async function pickExperiment(): Promise<ExperimentNode | undefined> {
    await sources.explorer.getChildren();
    const nodes = sources.explorer.experimentNodes;
    const chosen = await vscode.window.showQuickPick(
      nodes.map((n) => ({ label: n.experiment.name, description: `#${n.experimentId}`, node: n })),
      { title: vscode.l10n.t('Compare Runs'), placeHolder: vscode.l10n.t('Choose an experiment') },
    );
    return chosen?.node;
  }

  /** From a metric row under a run: that metric, for the run and its loaded siblings that have it. */
  async function compareMetric(node: unknown): Promise<ComparePanel | undefined> {
    const commandStartedAt = Date.now();
    if (!(node instanceof KeyValueNode) || !(node.parent.parent instanceof RunNode)) return undefined;
    const runNode = node.parent.parent;
    const key = node.key;
    const experiment = sources.explorer.experimentNodes.find((n) => n.experimentId === runNode.experimentId);
    const siblings = (experiment?.loadedRuns ?? []).filter((r) => r.data.metrics.some((m) => m.key === key));
    const runs = [runNode.run, ...siblings.filter((r) => r.info.run_id !== runNode.runId)];
    return open(runs, { focusMetrics: [key], experimentName: experiment?.experiment.name, commandStartedAt });
  }

  const feature: CompareFeature = {
    get panels() {
      return panels;
    },
    get lastPaint() {
      return lastPaint;
    },
    onDidOpenPanel: opened.event,
    serializer,
    decorations,
    open,
  };
  return { feature, disposables };
}

/** The backend now, or when the connection comes up after a reload (up to a minute). */
function waitForBackend(sources: CompareSources, signal: AbortSignal): Promise<TrackingBackend | undefined> {
  const now = sources.getBackend();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (backend: TrackingBackend | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(backend);
    };
    const timer = setTimeout(() => done(undefined), 60_000);
    const listener = sources.onDidChangeBackend(() => {
      const backend = sources.getBackend();
      if (backend) done(backend);
    });
    signal.addEventListener('abort', () => done(undefined), { once: true });
  });
}
