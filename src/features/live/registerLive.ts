// Wires live updates: one LivePoller for the backend in use, fed with the RUNNING runs the
// Experiments view has loaded, the runs of open comparisons and the watched runs; its answers
// update the tree rows, the panels (only new points) and the "N running" status bar, and announce
// watched runs that end. Polling sleeps while nobody looks (see LiveActivity).
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { FileStoreBackend } from '../../core/fileStore';
import { HeldTails, isLiveRun, LivePoller, type LiveTarget, type LiveUpdate, type NewPoints } from '../../core/live';
import { isMlflowError, type Run } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import type { ComparePanel } from '../compare/comparePanel';
import type { CompareFeature } from '../compare/registerCompare';
import { describeMlflowError } from '../connection/connectionErrors';
import type { ExperimentsTreeProvider } from '../explorer/experimentsTreeProvider';
import { selectedRuns } from '../explorer/runActions';
import { runLabel } from '../explorer/runNode';
import type { ExplorerNode } from '../tree/explorerNode';
import { LiveActivity } from './liveActivity';
import { LIVE_SETTING_KEYS, readLiveSettings } from './liveSettings';
import { RunningStatusBar } from './runningStatusBar';
import { runEndedMessage, showRunEnded } from './runEndedNotice';
import { WatchedRuns } from './watchedRuns';
import { registerCommand } from '../../host/commands';

export interface LiveSources {
  readonly logger: Logger;
  readonly explorer: ExperimentsTreeProvider;
  readonly treeView: vscode.TreeView<ExplorerNode>;
  readonly compare: CompareFeature;
  readonly memento: vscode.Memento;
  getBackend(): TrackingBackend | undefined;
  getScope(): string;
  onDidChangeBackend: vscode.Event<unknown>;
}

/** What the in-host tests and the benchmark see of the feature (not a public API). */
export interface LiveFeature {
  readonly poller: LivePoller | undefined;
  /** The live runs known now (what the status bar counts). */
  readonly running: readonly Run[];
  readonly statusBarText: string | undefined;
  readonly watched: WatchedRuns;
  readonly activity: LiveActivity;
  /** Every poll's answer, after the tree and panels took it. */
  readonly onDidUpdate: vscode.Event<LiveUpdate>;
  /** A run-ended notice was shown (its text). */
  readonly onDidNotify: vscode.Event<{ runId: string; message: string }>;
  /** Looks for live runs again now (normally debounced after the tree loads). */
  refreshTargets(): void;
}

export function registerLive(sources: LiveSources): { feature: LiveFeature; disposables: vscode.Disposable[] } {
  const { logger, explorer, compare } = sources;
  const statusBar = new RunningStatusBar();
  const watched = new WatchedRuns(sources.memento);
  const updated = new vscode.EventEmitter<LiveUpdate>();
  const notified = new vscode.EventEmitter<{ runId: string; message: string }>();
  const activity = new LiveActivity({ treeView: sources.treeView, anyPanelVisible: () => compare.panels.some((p) => p.panel.visible) });
  let settings = readLiveSettings();
  let poller: LivePoller | undefined;
  let pollerBackend: TrackingBackend | undefined;
  let running: Run[] = [];
  let problem: string | undefined;
  /** Points a panel's subscription received in this poll, posted with the poll's runs. */
  const pendingPoints = new Map<ComparePanel, NewPoints>();
  const subscriptions = new Map<ComparePanel, { dispose(): void }>();
  /** Runs from the tree or panels that are known live, by id (the watched list adds its own). */
  const known = new Map<string, Run>();

  const collect = (): Run[] => {
    known.clear();
    for (const node of explorer.loadedRunNodes()) if (isLiveRun(node.run)) known.set(node.runId, node.run);
    for (const panel of compare.panels) for (const run of panel.currentRuns) if (isLiveRun(run)) known.set(run.info.run_id, run);
    return [...known.values()];
  };

  const refreshTargets = () => {
    const backend = sources.getBackend();
    ensurePoller(backend);
    running = collect();
    const targets: LiveTarget[] = running.map((r) => ({ runId: r.info.run_id, experimentId: r.info.experiment_id }));
    for (const w of watched.all) if (!known.has(w.runId)) targets.push(w);
    poller?.setTargets(targets);
    statusBar.update(running, { problem, off: settings.intervalMs === 0 });
  };

  let debounce: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(refreshTargets, 150);
  };

  function ensurePoller(backend: TrackingBackend | undefined): void {
    if (backend === pollerBackend && poller) return;
    poller?.dispose();
    for (const s of subscriptions.values()) s.dispose();
    subscriptions.clear();
    poller = undefined;
    pollerBackend = backend;
    problem = undefined;
    watched.setScope(sources.getScope());
    if (!backend) return;
    poller = new LivePoller({
      backend,
      intervalMs: settings.intervalMs,
      // The local store has no IN in its search, and reading a run from disk costs no network.
      fetchMode: backend instanceof FileStoreBackend ? 'perRun' : 'search',
      isActive: () => activity.isActive(),
      onUpdate: (update) => applyUpdate(update),
      onError: (error, retryInMs) => {
        const text = isMlflowError(error) ? describeMlflowError(error) : error instanceof Error ? error.message : String(error);
        if (!problem) logger.warn(`Live: polling the running runs failed: ${error instanceof Error ? error.message : String(error)}`);
        problem = vscode.l10n.t('Live updates paused: {0} Trying again in {1} s.', text, Math.round(retryInMs / 1000));
        statusBar.update(running, { problem, off: settings.intervalMs === 0 });
      },
    });
    for (const panel of compare.panels) subscribePanel(panel);
  }

  function subscribePanel(panel: ComparePanel): void {
    subscriptions.get(panel)?.dispose();
    if (!poller || panel.isDisposed || panel.backend !== pollerBackend) return;
    const runs = panel.currentRuns;
    subscriptions.set(
      panel,
      poller.subscribe({
        runIds: new Set(runs.map((r) => r.info.run_id)),
        tails: HeldTails.fromRuns(runs),
        onPoints: (points) => pendingPoints.set(panel, points),
      }),
    );
  }

  function applyUpdate(update: LiveUpdate): void {
    if (problem) logger.info('Live: polling works again.');
    problem = undefined;
    const fresh = new Map(update.changed.map((r) => [r.info.run_id, r]));
    for (const node of explorer.loadedRunNodes()) {
      const run = fresh.get(node.runId);
      if (run) node.update(run);
    }
    for (const panel of compare.panels) {
      const points = pendingPoints.get(panel);
      const mine = panel.currentRuns.flatMap((r) => fresh.get(r.info.run_id) ?? []);
      if (mine.length > 0 || points) panel.applyLive(mine, points);
    }
    pendingPoints.clear();
    for (const run of update.ended) announceEnd(run);
    for (const id of update.missing) watched.delete(id);
    updated.fire(update);
    refreshTargets();
  }

  function announceEnd(run: Run): void {
    const id = run.info.run_id;
    const inPanel = compare.panels.find((p) => p.runIds.includes(id));
    const wanted = watched.delete(id) || (settings.notifyComparedRuns && inPanel !== undefined);
    logger.info(`Live: run ${id} ended (${run.info.status}).`);
    if (!wanted) return;
    void showRunEnded(run).then(async (choice) => {
      if (choice === 'compare') {
        const panel = compare.panels.find((p) => p.runIds.includes(id));
        if (panel) panel.reveal();
        else await compare.open([run]);
      } else if (choice === 'show') {
        await vscode.commands.executeCommand('mlwf.revealRun', id);
      }
    });
    notified.fire({ runId: id, message: runEndedMessage(run) });
  }

  const watch = (node: unknown, all: unknown) => {
    const nodes = selectedRuns(node ?? sources.treeView.selection[0], all ?? sources.treeView.selection);
    if (nodes.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a run in the Experiments view to watch it.'));
      return;
    }
    const ended = nodes.filter((n) => !isLiveRun(n.run));
    for (const n of nodes) if (isLiveRun(n.run)) watched.add({ runId: n.runId, experimentId: n.experimentId, name: runLabel(n.run) });
    if (ended.length === nodes.length) {
      void vscode.window.showInformationMessage(
        nodes.length === 1 ? vscode.l10n.t('{0} is not running ({1}): there is nothing to watch.', runLabel(ended[0]!.run), ended[0]!.run.info.status) : vscode.l10n.t('None of the selected runs is running.'),
      );
      return;
    }
    const live = nodes.length - ended.length;
    void vscode.window.setStatusBarMessage(live === 1 ? vscode.l10n.t('Watching {0}: you will be told when it ends.', runLabel(nodes.find((n) => isLiveRun(n.run))!.run)) : vscode.l10n.t('Watching {0} runs: you will be told when they end.', live), 5000);
    refreshTargets();
  };

  const unwatch = (node: unknown, all: unknown) => {
    for (const n of selectedRuns(node ?? sources.treeView.selection[0], all ?? sources.treeView.selection)) watched.delete(n.runId);
    refreshTargets();
  };

  const showRunning = async () => {
    if (running.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No shown run is running.'));
      return;
    }
    const pick = await vscode.window.showQuickPick(
      running.map((run) => ({ label: runLabel(run), description: run.data.metrics[0] ? `${run.data.metrics[0].key} ${run.data.metrics[0].value}` : '', detail: run.info.run_id, run })),
      { title: vscode.l10n.t('Running Runs'), placeHolder: vscode.l10n.t('Choose a run to show in the Experiments view') },
    );
    if (pick) await vscode.commands.executeCommand('mlwf.revealRun', pick.run.info.run_id);
  };

  const watchPanels = (panel: ComparePanel) => {
    subscribePanel(panel);
    panel.onDidChangeRuns(() => {
      subscribePanel(panel);
      refreshSoon();
    });
    panel.panel.onDidChangeViewState(() => activity.poke());
    panel.onDidDispose(() => {
      subscriptions.get(panel)?.dispose();
      subscriptions.delete(panel);
      refreshSoon();
    });
    refreshSoon();
    activity.poke();
  };
  for (const panel of compare.panels) watchPanels(panel);

  const disposables: vscode.Disposable[] = [
    statusBar,
    updated,
    notified,
    activity,
    activity.onDidBecomeActive(() => poller?.wake()),
    explorer.onDidLoadChildren(refreshSoon),
    compare.onDidOpenPanel(watchPanels),
    sources.onDidChangeBackend(refreshSoon),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!LIVE_SETTING_KEYS.some((k) => e.affectsConfiguration(k))) return;
      settings = readLiveSettings();
      poller?.setInterval(settings.intervalMs);
      refreshTargets();
    }),
    registerCommand('mlwf.watchRun', watch),
    registerCommand('mlwf.unwatchRun', unwatch),
    registerCommand('mlwf.showRunningRuns', showRunning),
    {
      dispose: () => {
        clearTimeout(debounce);
        poller?.dispose();
      },
    },
  ];

  const feature: LiveFeature = {
    get poller() {
      return poller;
    },
    get running() {
      return running;
    },
    get statusBarText() {
      return statusBar.shown ? statusBar.text : undefined;
    },
    watched,
    activity,
    onDidUpdate: updated.event,
    onDidNotify: notified.event,
    refreshTargets,
  };
  return { feature, disposables };
}
