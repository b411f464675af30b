// One comparison in one webview panel: the runs it compares (each with a stable colour slot),
// the metric-history loader for its life, and the page's messages. The host owns the data;
// the page asks for histories by id (historyRequests.ts) and keeps only view state; a new
// panel's first chart is fetched at the command (leadPrefetch.ts). Closing the panel or
// changing its runs cancels what is in flight.
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { createMetricHistoryLoader, type MetricHistoryLoader } from '../../core/compare/metricHistoryLoader';
import { toSeriesColumns } from '../../core/compare/seriesColumns';
import type { NewPoints } from '../../core/live';
import type { Run } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import { MAX_COMPARE_RUNS, toRunTable, type CompareHostMessage, type FirstPaintMessage } from '../../protocol/compare';
import { leadHistoryMetric } from '../../protocol/compareDefaultMetrics';
import { guarded } from './compareHostActions';
import { paintLogLine, type ComparePaintTiming, type HostPaintTiming } from './comparePaintTiming';
import { HistoryRequests } from './historyRequests';
import { LeadPrefetch, type PrefetchedLead } from './leadPrefetch';
import { liveSeries } from './liveSeries';
import { handlePageMessage, type PageMessageTarget } from './pageMessages';
import { webviewHtml } from '../../host/webviewHtml';
import { toCompareRun } from './compareRuns';
import { compareStrings } from './compareStrings';
import { assignColorSlots } from './runColorSlots';
import { chooseView } from './savedViews';

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

export type { ComparePaintTiming, HostPaintTiming } from './comparePaintTiming';

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
  private readonly requests: HistoryRequests;
  private readonly pageTarget: PageMessageTarget;
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
  /** The lead chart's fetch started at open, until the first `init` announces it and it is sent. */
  private readonly prefetch = new LeadPrefetch();
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
    this.requests = new HistoryRequests({
      logger: deps.logger,
      stats: this.stats,
      loader: () => this.loader,
      runIds: () => this.runIds,
      isDisposed: () => this.disposed,
      post: (message) => this.post(message),
      firstRequest: () => (this.hostTiming.firstRequestMs = this.sinceCommand()),
      firstReply: () => (this.hostTiming.firstReplyMs = this.sinceCommand()),
    });
    this.pageTarget = {
      logger: this.deps.logger,
      requests: this.requests,
      isDisposed: () => this.disposed,
      dropped: () => this.stats.dropped++,
      pageReady: () => {
        // A page that loads again (its tab was hidden and shown) numbers its requests from 1:
        // replies to the old page's requests must not reach the new one.
        this.requests.cancelAll();
        this.ready = true;
        this.pageGeneration++;
        if (this.runsKnown) this.sendInit();
      },
      addPickedRuns: async () => {
        const more = await this.deps.pickMoreRuns(this);
        if (more && !this.disposed) this.addRuns(more);
      },
      removeRuns: (runIds) => this.removeRuns(runIds),
      recordPaint: (message) => this.recordPaint(message),
      chooseAndApplyView: () => this.chooseAndApplyView(),
    };
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

  /** Starts loading the histories the new page will ask for first (see leadPrefetch.ts). */
  private prefetchLeadChart(): void {
    const metricKey = leadHistoryMetric(this.compareRuns(), this.options.focusMetrics ?? []);
    if (metricKey === undefined || this.runs.length === 0) return;
    this.hostTiming.prefetchStartedMs = this.sinceCommand();
    this.prefetch.start(this.loader, this.runIds, metricKey, () => (this.hostTiming.prefetchLoadedMs ??= this.sinceCommand()));
  }

  /**
   * Sends the prefetched histories to the page that `init` announced them to, as soon as they
   * are loaded: no request from the page, no wait for it (in code-server the page's request
   * crossed the workbench's busy main thread and the websocket first). If the runs changed or
   * the fetch failed, the page hears `failed` and its chart asks by itself.
   */
  private async pushLead(lead: PrefetchedLead, generation: number): Promise<void> {
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
    this.prefetch.stop();
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
    const newSeries = liveSeries(points, this.runIds);
    for (const series of newSeries) this.stats.livePoints += series.points.length;
    // The same columns as a history reply: the page appends them with the code that draws those.
    // With timestamps (a few points): the page tells a re-logged step from one it holds by them.
    const appended = toSeriesColumns(newSeries, { timestamps: true });
    if (!changed && appended.length === 0) return;
    if (appended.length > 0) this.loader.clear();
    if (this.ready) this.post({ type: 'live', runs: toRunTable(this.compareRuns()), appended });
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
    return this.requests.pending;
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
  handleMessage(raw: unknown): Promise<void> {
    return handlePageMessage(this.pageTarget, raw);
  }


  /** The palette's "Save Compare View…": the page answers with its set-up (a `saveView`). */
  requestSaveView(): void {
    if (this.ready) this.post({ type: 'requestView' });
  }

  /** Lets the user pick a saved view and applies it to this panel's runs. */
  async chooseAndApplyView(): Promise<void> {
    await guarded(this.deps.logger, async () => {
      const chosen = await chooseView(this.deps.logger);
      if (chosen && !this.disposed) this.post({ type: 'applyView', name: chosen.name, view: chosen.view });
    }, vscode.l10n.t('Could not apply the compare view'));
  }

  private replaceRuns(runs: Run[]): void {
    // Histories asked for the old selection are no longer wanted; the page asks again.
    this.requests.cancelAll();
    this.prefetch.stop();
    this.runs = runs;
    this.slots = assignColorSlots(this.runIds, this.slots);
    this.updateTitle();
    this.changedEmitter.fire();
    if (this.ready) this.post({ type: 'runs', title: this.panel.title, runs: toRunTable(this.compareRuns()) });
  }

  private recordPaint(message: FirstPaintMessage): void {
    const { type: _type, ...page } = message;
    const started = this.options.commandStartedAt;
    const timing: ComparePaintTiming = { commandToPaintMs: started !== undefined ? Date.now() - started : undefined, page, host: { ...this.hostTiming } };
    this.lastPaint = timing;
    // Only the first paint after a command is "command → chart"; later ones are re-renders.
    this.options = { ...this.options, commandStartedAt: undefined };
    this.deps.logger.info(paintLogLine(message, timing, started !== undefined));
    this.paintedEmitter.fire(timing);
  }

  private sendInit(): void {
    // Only the first page hears of the prefetch: a page that loads again asks for itself.
    const lead = this.prefetch.take();
    this.post({
      type: 'init',
      title: this.panel.title,
      strings: compareStrings(),
      runs: toRunTable(this.compareRuns()),
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.requests.dispose();
    this.prefetch.stop();
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
