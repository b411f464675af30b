// One comparison in one webview panel: the runs it compares (each with a stable colour slot),
// the metric-history loader for its life, and the page's messages. The host owns the data;
// the page asks for histories by id and keeps only view state. Every history request has its
// own AbortController: closing the panel or changing its runs cancels what is in flight.
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { createMetricHistoryLoader, type MetricHistoryLoader, type MetricSeries } from '../../core/compare/metricHistoryLoader';
import { toSeriesColumns } from '../../core/compare/seriesColumns';
import type { NewPoints } from '../../core/live';
import { isMlflowError, type Run } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import {
  isCompareWebviewMessage,
  MAX_COMPARE_RUNS,
  type CompareHostMessage,
  type CompareWebviewMessage,
  type FirstPaintMessage,
  type RequestHistoryMessage,
} from '../../protocol/compare';
import { leadHistoryMetric } from '../../protocol/compareDefaultMetrics';
import { describeMlflowError } from '../connection/connectionErrors';
import { copyTableText, saveExportedChart } from './compareHostActions';
import { webviewHtml } from '../../host/webviewHtml';
import { toCompareRun } from './compareRuns';
import { compareStrings } from './compareStrings';
import { assignColorSlots } from './runColorSlots';
import { chooseView, saveView } from './savedViews';

export const COMPARE_VIEW_TYPE = 'mlwf.compare';

export interface ComparePanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  readonly backend: TrackingBackend;
  /** Asks the user for runs to add (the page's "Add Runs…" button). */
  pickMoreRuns(panel: ComparePanel): Promise<Run[] | undefined>;
}

export interface CompareOpenOptions {
  readonly experimentName: string;
  /** Metrics to chart first (opened from a metric node). */
  readonly focusMetrics?: readonly string[];
  /** `Date.now()` when the user's command started: the first-paint timing is measured from it. */
  readonly commandStartedAt?: number;
}

/** The timings one first paint produced, for the log, the test API and the benchmark. */
export interface ComparePaintTiming {
  readonly commandToPaintMs: number | undefined;
  readonly page: Omit<FirstPaintMessage, 'type'>;
  /** The host's side, in ms after the command (undefined: did not happen before the paint). */
  readonly host: HostPaintTiming;
}

export interface HostPaintTiming {
  /** The lead chart's histories prefetched at open: started, and loaded. */
  prefetchStartedMs?: number;
  prefetchLoadedMs?: number;
  /** The page's first history request arrived, and its reply was posted. */
  firstRequestMs?: number;
  firstReplyMs?: number;
}

export interface ComparePanelStats {
  requests: number;
  replies: number;
  cancelled: number;
  dropped: number;
  /** Live points sent to the page (appended to its charts). */
  livePoints: number;
  /** Lead-chart histories sent unasked after the first `init` (see prefetchLeadChart). */
  pushed: number;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // The page loads only its bundle and stylesheet; nothing else of the disk is reachable.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

export class ComparePanel implements vscode.Disposable {
  private runs: Run[] = [];
  private slots = new Map<string, number>();
  private loader: MetricHistoryLoader;
  private backendNow: TrackingBackend;
  private readonly inFlight = new Map<number, AbortController>();
  private ready = false;
  private runsKnown = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly postedEmitter = new vscode.EventEmitter<CompareHostMessage>();
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  private readonly paintedEmitter = new vscode.EventEmitter<ComparePaintTiming>();
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  /** Every message the panel posts (tests read the protocol through it). */
  readonly onDidPost = this.postedEmitter.event;
  /** The runs (or their colours) changed. */
  readonly onDidChangeRuns = this.changedEmitter.event;
  readonly onDidPaint = this.paintedEmitter.event;
  readonly onDidDispose = this.disposedEmitter.event;
  readonly stats: ComparePanelStats = { requests: 0, replies: 0, cancelled: 0, dropped: 0, livePoints: 0, pushed: 0 };
  lastPaint: ComparePaintTiming | undefined;
  /** The fetch started at open for the chart the page will ask for first (see prefetchLeadChart). */
  private prefetch: AbortController | undefined;
  /** What the prefetch fetched, until the first `init` announces it and it is sent. */
  private lead: { readonly metricKey: string; readonly runKey: string; readonly series: Promise<MetricSeries[] | undefined> } | undefined;
  /** Bumped on every `ready`: a push for an older page is not sent to a newer one. */
  private pageGeneration = 0;
  private hostTiming: HostPaintTiming = {};

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ComparePanelDeps,
    private options: CompareOpenOptions,
  ) {
    this.backendNow = deps.backend;
    this.loader = createMetricHistoryLoader(deps.backend);
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'mlflow.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handleMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      this.postedEmitter,
      this.changedEmitter,
      this.paintedEmitter,
    );
    // Charts draw on canvas (no images); the toolkit needs its style nonce.
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, { bundle: 'compare', stylesheet: 'compare.css', rootId: 'app', styleNonce: true });
    this.updateTitle();
  }

  /** Opens a new panel beside the editor for these runs. */
  static open(deps: ComparePanelDeps, runs: readonly Run[], options: CompareOpenOptions): ComparePanel {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, '', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(deps.extensionUri));
    const compare = new ComparePanel(panel, deps, options);
    compare.setRuns(runs);
    compare.prefetchLeadChart();
    return compare;
  }

  /**
   * Starts loading the histories the new page will ask for first (its lead chart: the first
   * default metric with a history) while the webview is still starting and loading its script.
   * The page's request then shares this fetch in the loader instead of starting its own, so
   * command → first chart no longer adds the fetch to the page's load (about 0.8 s for 100 runs
   * in bench/compareFirstPaint.bench.ts). Only for a panel opened by a command: a restored page
   * remembers its own charts.
   */
  private prefetchLeadChart(): void {
    const metricKey = leadHistoryMetric(this.compareRuns(), this.options.focusMetrics ?? []);
    if (metricKey === undefined || this.runs.length === 0) return;
    const controller = new AbortController();
    this.prefetch = controller;
    this.hostTiming.prefetchStartedMs = this.sinceCommand();
    const series = this.loader.load({ runIds: this.runIds, metricKey }, controller.signal).then(
      (loaded) => {
        this.hostTiming.prefetchLoadedMs ??= this.sinceCommand();
        return loaded;
      },
      // A failure is the page's to report: told "failed", its chart asks and shows the error.
      () => undefined,
    );
    this.lead = { metricKey, runKey: this.runIds.join(','), series };
  }

  /**
   * Sends the prefetched histories to the page that `init` announced them to, as soon as they
   * are loaded: no request from the page, no wait for it (in code-server the page's request
   * crossed the workbench's busy main thread and the websocket first). If the runs changed or
   * the fetch failed, the page hears `failed` and its chart asks by itself.
   */
  private async pushLead(lead: NonNullable<ComparePanel['lead']>, generation: number): Promise<void> {
    const series = await lead.series;
    if (this.disposed || generation !== this.pageGeneration) return;
    const usable = series !== undefined && lead.runKey === this.runIds.join(',');
    // Drawn by step first (a new page): no timestamps until the page asks for a time axis.
    this.post({ type: 'leadHistory', metricKey: lead.metricKey, series: usable ? toSeriesColumns(series) : [], failed: !usable });
    if (usable) {
      this.stats.pushed++;
      this.stats.replies++;
      this.hostTiming.firstReplyMs ??= this.sinceCommand();
    }
  }

  private stopPrefetch(): void {
    this.prefetch?.abort();
    this.prefetch = undefined;
    this.lead = undefined;
  }

  private sinceCommand(): number | undefined {
    const started = this.options.commandStartedAt;
    return started === undefined ? undefined : Date.now() - started;
  }

  /** Where the panel reads histories now (the one it was opened with, or the same server's newer one). */
  get backend(): TrackingBackend {
    return this.backendNow;
  }

  /**
   * The same server answered a new sign-in or a refresh: read from its new backend (fresh
   * credentials) from now on. Requests in flight finish on the old one; the cache starts afresh.
   */
  rebind(backend: TrackingBackend): void {
    if (this.disposed || backend === this.backendNow) return;
    this.stopPrefetch();
    this.loader.clear();
    this.backendNow = backend;
    this.loader = createMetricHistoryLoader(backend);
  }

  get runIds(): string[] {
    return this.runs.map((r) => r.info.run_id);
  }

  /** The runs as the panel has them now (live updates replace them with fresher copies). */
  get currentRuns(): readonly Run[] {
    return this.runs;
  }

  /**
   * Live: fresher copies of some of this panel's runs and the points logged since. The page gets
   * one `live` message with the runs as they are now and only the new points; the loader forgets
   * its cache so a later full request (a zoom reset, a re-added run) sees the new steps too.
   */
  applyLive(fresh: readonly Run[], points: NewPoints | undefined): void {
    if (this.disposed) return;
    const byId = new Map(fresh.map((r) => [r.info.run_id, r]));
    let changed = false;
    this.runs = this.runs.map((r) => {
      const f = byId.get(r.info.run_id);
      if (f) changed = true;
      return f ?? r;
    });
    const newSeries: MetricSeries[] = [];
    const known = new Set(this.runIds);
    for (const [runId, byKey] of points ?? []) {
      if (!known.has(runId)) continue;
      for (const [metricKey, list] of byKey) {
        newSeries.push({ runId, metricKey, sampled: false, points: list });
        this.stats.livePoints += list.length;
      }
    }
    // The same columns as a history reply: the page appends them with the code that draws those.
    // With timestamps (a few points): the page tells a re-logged step from one it holds by them.
    const appended = toSeriesColumns(newSeries, { timestamps: true });
    if (!changed && appended.length === 0) return;
    if (appended.length > 0) this.loader.clear();
    if (this.ready) this.post({ type: 'live', runs: this.compareRuns(), appended });
  }

  get experimentIds(): string[] {
    return [...new Set(this.runs.map((r) => r.info.experiment_id))];
  }

  get experimentName(): string {
    return this.options.experimentName;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Colour slot of each run, for the tree's decorations. */
  get colorSlots(): ReadonlyMap<string, number> {
    return this.slots;
  }

  /** Requests still waiting for the loader (tests check that closing cancels them). */
  get pendingRequests(): number {
    return this.inFlight.size;
  }

  /** Sets the runs (first time, or a reload restored them); the page gets `init` once ready. */
  setRuns(runs: readonly Run[], experimentName?: string): void {
    if (experimentName !== undefined) this.options = { ...this.options, experimentName };
    this.runs = dedupe(runs).slice(0, MAX_COMPARE_RUNS);
    this.slots = assignColorSlots(this.runIds, this.slots);
    this.runsKnown = true;
    this.updateTitle();
    this.changedEmitter.fire();
    if (this.ready) this.sendInit();
  }

  /** A run changed on the server (renamed, tagged): its fresh state replaces the old one in place. */
  updateRun(run: Run): void {
    if (!this.runIds.includes(run.info.run_id)) return;
    this.setRuns(this.runs.map((r) => (r.info.run_id === run.info.run_id ? run : r)));
  }

  addRuns(runs: readonly Run[]): void {
    this.replaceRuns(dedupe([...this.runs, ...runs]).slice(0, MAX_COMPARE_RUNS));
  }

  removeRuns(runIds: readonly string[]): void {
    const gone = new Set(runIds);
    this.replaceRuns(this.runs.filter((r) => !gone.has(r.info.run_id)));
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The page's message channel; public so the in-host tests drive the same path the page does. */
  async handleMessage(raw: unknown): Promise<void> {
    if (this.disposed) return;
    if (!isCompareWebviewMessage(raw)) {
      this.stats.dropped++;
      const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type.slice(0, 40) : typeof raw;
      this.deps.logger.warn(`Compare: dropped a malformed message from the page (type ${JSON.stringify(type)}).`);
      return;
    }
    await this.dispatch(raw);
  }

  private async dispatch(message: CompareWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A page that loads again (its tab was hidden and shown) numbers its requests from 1:
        // replies to the old page's requests must not reach the new one.
        this.cancelAll();
        this.ready = true;
        this.pageGeneration++;
        if (this.runsKnown) this.sendInit();
        return;
      case 'requestHistory':
        return this.loadHistory(message);
      case 'cancelHistory':
        this.cancel(message.requestId);
        return;
      case 'exportChart':
        await this.guarded(() => saveExportedChart(message), vscode.l10n.t('Could not save the chart'));
        return;
      case 'copyText':
        await this.guarded(() => copyTableText(message), vscode.l10n.t('Could not copy the table'));
        return;
      case 'addRuns': {
        const more = await this.deps.pickMoreRuns(this);
        if (more && !this.disposed) this.addRuns(more);
        return;
      }
      case 'removeRun':
        this.removeRuns([message.runId]);
        return;
      case 'firstPaint':
        this.recordPaint(message);
        return;
      case 'saveView':
        await this.guarded(() => saveView(message.view, this.deps.logger), vscode.l10n.t('Could not save the compare view'));
        return;
      case 'chooseView':
        await this.chooseAndApplyView();
        return;
    }
  }

  /** The palette's "Save Compare View…": the page answers with its set-up (a `saveView`). */
  requestSaveView(): void {
    if (this.ready) this.post({ type: 'requestView' });
  }

  /** Lets the user pick a saved view and applies it to this panel's runs. */
  async chooseAndApplyView(): Promise<void> {
    await this.guarded(async () => {
      const chosen = await chooseView(this.deps.logger);
      if (chosen && !this.disposed) this.post({ type: 'applyView', name: chosen.name, view: chosen.view });
    }, vscode.l10n.t('Could not apply the compare view'));
  }

  private async loadHistory(message: RequestHistoryMessage): Promise<void> {
    const known = new Set(this.runIds);
    // The page may only ask about this panel's runs: a stale or forged id is not fetched.
    const runIds = message.runIds.filter((id) => known.has(id));
    this.cancel(message.requestId);
    const controller = new AbortController();
    this.inFlight.set(message.requestId, controller);
    this.stats.requests++;
    const first = this.hostTiming.firstRequestMs === undefined;
    if (first) this.hostTiming.firstRequestMs = this.sinceCommand();
    try {
      const series = runIds.length === 0 ? [] : await this.loader.load({ runIds, metricKey: message.metricKey, range: message.range }, controller.signal);
      if (controller.signal.aborted || this.disposed) return;
      this.stats.replies++;
      this.post({ type: 'history', requestId: message.requestId, series: toSeriesColumns(series, { timestamps: message.timestamps === true }) });
      if (first) this.hostTiming.firstReplyMs = this.sinceCommand();
    } catch (error) {
      if (controller.signal.aborted || this.disposed) return;
      const text = isMlflowError(error) ? describeMlflowError(error) : error instanceof Error ? error.message : String(error);
      this.deps.logger.warn(`Compare: history of ${message.metricKey} for ${runIds.length} run(s) failed: ${error instanceof Error ? error.message : String(error)}`);
      this.post({ type: 'historyError', requestId: message.requestId, message: text });
    } finally {
      if (this.inFlight.get(message.requestId) === controller) this.inFlight.delete(message.requestId);
    }
  }

  private cancel(requestId: number): void {
    const controller = this.inFlight.get(requestId);
    if (!controller) return;
    controller.abort();
    this.inFlight.delete(requestId);
    this.stats.cancelled++;
  }

  private cancelAll(): void {
    for (const id of [...this.inFlight.keys()]) this.cancel(id);
  }

  private replaceRuns(runs: Run[]): void {
    // Histories asked for the old selection are no longer wanted; the page asks again.
    this.cancelAll();
    this.stopPrefetch();
    this.runs = runs;
    this.slots = assignColorSlots(this.runIds, this.slots);
    this.updateTitle();
    this.changedEmitter.fire();
    if (this.ready) this.post({ type: 'runs', title: this.panel.title, runs: this.compareRuns() });
  }

  private recordPaint(message: FirstPaintMessage): void {
    const { type: _type, ...page } = message;
    const started = this.options.commandStartedAt;
    const timing: ComparePaintTiming = { commandToPaintMs: started !== undefined ? Date.now() - started : undefined, page, host: { ...this.hostTiming } };
    this.lastPaint = timing;
    // Only the first paint after a command is "command → chart"; later ones are re-renders.
    this.options = { ...this.options, commandStartedAt: undefined };
    const total = timing.commandToPaintMs !== undefined ? `${timing.commandToPaintMs} ms after the command, ` : '';
    const at = (ms: number | undefined) => (ms === undefined ? '-' : `${ms} ms`);
    const h = timing.host;
    const host = started === undefined ? '' : ` Host: prefetch ${at(h.prefetchStartedMs)} → loaded ${at(h.prefetchLoadedMs)}; page asked ${at(h.firstRequestMs)} → sent ${at(h.firstReplyMs)}.`;
    const pageMore = page.requestedMs !== undefined ? ` Page: asked ${Math.round(page.requestedMs)} ms.` : '';
    this.deps.logger.info(
      `Compare: first chart (${message.metricKey}, ${message.points} points) painted ${total}page script ${Math.round(page.scriptStartMs)} ms → init ${Math.round(page.initReceivedMs)} ms → data ${Math.round(page.firstDataMs)} ms → painted ${Math.round(page.paintedMs)} ms.${host}${pageMore}`,
    );
    this.paintedEmitter.fire(timing);
  }

  private sendInit(): void {
    // Only the first page hears of the prefetch: a page that loads again asks for itself.
    const lead = this.lead;
    this.lead = undefined;
    this.post({
      type: 'init',
      title: this.panel.title,
      strings: compareStrings(),
      runs: this.compareRuns(),
      focusMetrics: this.options.focusMetrics ?? [],
      ...(lead ? { leadMetric: lead.metricKey } : {}),
    });
    if (lead) void this.pushLead(lead, this.pageGeneration);
  }


  private compareRuns() {
    return this.runs.map((r) => toCompareRun(r, this.slots.get(r.info.run_id) ?? 0));
  }

  private post(message: CompareHostMessage): void {
    if (this.disposed) return;
    this.postedEmitter.fire(message);
    void this.panel.webview.postMessage(message);
  }

  private updateTitle(): void {
    this.panel.title = this.runsKnown
      ? vscode.l10n.t('Compare: {0} ({1} runs)', this.options.experimentName, this.runs.length)
      : vscode.l10n.t('Compare: {0}', this.options.experimentName);
  }

  private async guarded(work: () => Promise<unknown>, failure: string): Promise<void> {
    try {
      await work();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(`${failure}: ${detail}`);
      void vscode.window.showErrorMessage(`${failure}: ${detail}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelAll();
    this.stopPrefetch();
    this.loader.clear();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function dedupe(runs: readonly Run[]): Run[] {
  const seen = new Set<string>();
  return runs.filter((r) => !seen.has(r.info.run_id) && !!seen.add(r.info.run_id));
}
