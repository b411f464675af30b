// The compare page. It says `ready`, gets the runs and its strings from the host, and from then
// on keeps only view state (saved with `setState`, so a reloaded window restores the panel).
// Every host message passes the protocol's guard; a malformed one is logged and dropped.
import {
  isCompareHostMessage,
  readRunTable,
  type CompareHostMessage,
  type CompareRun,
  type CompareStrings,
  type CompareViewState,
  type CompareWebviewMessage,
} from '../../../../src/protocol/compare';
import { announceReady, vscodeApi } from '../../vscodeApi';
import { chartControls } from './chartControls';
import { runColor } from './colors';
import { groupRuns, type RunGroup } from './groupStats';
import { CompareTable } from './compareTable';
import { cssVariable, el, whenIdle } from './dom';
import type { FirstPaintInfo } from './historyChartCard';
import { MetricCharts } from './metricCharts';
import type { PageContext } from './pageContext';
import { ParallelView, ScatterView } from './relationCharts';
import { runLegend } from './runLegend';
import { onThemeChange, readChartTheme, type ChartTheme } from './theme';
import { progressRing, tabs } from './toolkit';
import { applySavedView, loadViewState, reconcile, toSavedView, type Mutable } from './viewState';

const scriptStartMs = performance.now();
const api = vscodeApi<CompareWebviewMessage, CompareViewState>();
const app = document.getElementById('app')!;
app.replaceChildren(progressRing());

let state: Mutable<CompareViewState> = loadViewState(api.getState());
let strings: CompareStrings | undefined;
let runs: CompareRun[] = [];
let theme: ChartTheme = readChartTheme();
let initReceivedMs = 0;
let paintReported = false;

const context: PageContext = {
  get strings() {
    return strings!;
  },
  get runs() {
    return runs;
  },
  get state() {
    return state;
  },
  get theme() {
    return theme;
  },
  colorOf: (runId) => slotColor(runById().get(runId)?.colorSlot ?? 0),
  runName: (runId) => runById().get(runId)?.name ?? runId,
  groups: () => currentGroups(),
  groupColor: (group) => slotColor(group.colorSlot),
  groupLabel: (group) => {
    const key = state.groupBy?.key ?? '';
    return group.value === undefined ? `${key} ${strings!.groupMissing}` : `${key}=${group.value}`;
  },
  post: (message) => api.postMessage(message),
  saveState: () => api.setState(state),
  setHighlight: (runId) => charts.highlight(runId),
};
const ctx = () => context;

// A colour is read from the theme's CSS variables once per slot (getComputedStyle for each of
// 500 runs on every redraw is not free); the theme change below forgets them.
const slotColors = new Map<number, string>();
function slotColor(slot: number): string {
  let color = slotColors.get(slot);
  if (color === undefined) slotColors.set(slot, (color = runColor(slot, cssVariable)));
  return color;
}

// Looked up for every series and tooltip row: a map, not a scan of 500 runs each time.
let byIdFor: CompareRun[] | undefined;
let byId = new Map<string, CompareRun>();
function runById(): Map<string, CompareRun> {
  if (byIdFor !== runs) {
    byIdFor = runs;
    byId = new Map(runs.map((r) => [r.runId, r]));
  }
  return byId;
}

/** Groups of the visible runs (hidden runs are in no group), or undefined when not grouping. */
function currentGroups(): RunGroup[] | undefined {
  if (!state.groupBy) return undefined;
  const hidden = new Set(state.hiddenRuns);
  return groupRuns(runs.filter((r) => !hidden.has(r.runId)), state.groupBy);
}

const charts = new MetricCharts(ctx, reportFirstPaint);
const table = new CompareTable(ctx);
const parallel = new ParallelView(ctx);
const scatter = new ScatterView(ctx);
const legendSlot = el('div');
const controlsSlot = el('div', { className: 'controls-slot' });
const titleEl = el('h2', { className: 'title' });

function reportFirstPaint(info: FirstPaintInfo): void {
  if (paintReported) return;
  paintReported = true;
  const requested = info.requestedMs !== undefined ? { requestedMs: info.requestedMs } : {};
  api.postMessage({ type: 'firstPaint', scriptStartMs, initReceivedMs, firstDataMs: info.firstDataMs, paintedMs: performance.now(), metricKey: info.metricKey, points: info.points, ...requested });
  // The frame with the chart and this message go first, then the controls are built.
  whenIdle(runDeferred);
}

function renderActiveRelation(): void {
  if (state.tab === 'parallel') parallel.render();
  if (state.tab === 'scatter') scatter.render();
}

// The table (500 runs are 500 columns of every param and metric) is built when its tab shows,
// not while a new panel waits for its first chart; changes while another tab shows mark it stale.
let tableStale = true;
function renderTable(): void {
  tableStale = state.tab !== 'table';
  if (!tableStale) table.render();
}

function renderRunParts(): void {
  legendSlot.replaceChildren(runLegend(context, () => {
    charts.redrawAll();
    renderActiveRelation();
  }));
  controlsSlot.replaceChildren(
    chartControls(context, {
      metricsChanged: () => charts.sync(),
      viewChanged: () => charts.redrawAll(),
      groupingChanged: () => {
        charts.redrawAll();
        renderTable();
      },
    }),
  );
  renderTable();
  renderActiveRelation();
}

function buildPage(): void {
  const s = strings!;
  if (runs.length === 0) {
    app.replaceChildren(titleEl, legendSlot, el('p', { className: 'empty', text: s.noRuns }));
    legendSlot.replaceChildren(runLegend(context, () => undefined));
    return;
  }
  const page = tabs(
    [
      { id: 'charts', label: s.charts, content: el('div', { className: 'tab-body' }, controlsSlot, charts.element) },
      { id: 'table', label: s.table, content: el('div', { className: 'tab-body' }, table.element) },
      { id: 'parallel', label: s.parallel, content: el('div', { className: 'tab-body' }, parallel.element) },
      { id: 'scatter', label: s.scatter, content: el('div', { className: 'tab-body' }, scatter.element) },
    ],
    state.tab,
    (id) => {
      state.tab = id;
      context.saveState();
      if (id === 'table' && tableStale) renderTable();
      renderActiveRelation();
    },
  );
  app.replaceChildren(el('header', { className: 'page-header' }, titleEl, legendSlot), page);
  // The charts ask for their histories before the legend, the controls and the table are built.
  charts.sync();
  if (paintReported) renderRunParts();
  else afterFirstPaint(renderRunParts);
}

// A new page builds its controls (toolkit elements: some 0.2–0.9 s for 100 runs on a busy
// machine) after its first chart is drawn, not before. In code-server the page shares the
// workbench's main thread, which relays the history request and its reply: while the page was
// building, the request waited, and then the reply did (bench/compareFirstPaint.bench.ts).
// Their slot keeps its height meanwhile (CSS), so the chart does not jump down when they come.
let deferred: (() => void)[] = [];
let deferTimer: ReturnType<typeof setTimeout> | undefined;
function afterFirstPaint(work: () => void): void {
  deferred.push(work);
  // A chart that never paints (an error, no data) must not keep the controls away.
  deferTimer ??= setTimeout(runDeferred, 3000);
}
function runDeferred(): void {
  if (deferTimer) clearTimeout(deferTimer);
  deferTimer = undefined;
  const work = deferred;
  deferred = [];
  for (const w of work) w();
}

function handle(message: CompareHostMessage): void {
  switch (message.type) {
    case 'init':
      initReceivedMs = performance.now();
      strings = message.strings;
      runs = readRunTable(message.runs);
      state = reconcile(state, runs, message.focusMetrics);
      titleEl.textContent = message.title;
      context.saveState();
      charts.expectPushed(message.leadMetric);
      buildPage();
      return;
    case 'runs': {
      const wasEmpty = runs.length === 0;
      runs = readRunTable(message.runs);
      state = reconcile(state, runs, []);
      titleEl.textContent = message.title;
      context.saveState();
      if (wasEmpty || runs.length === 0) {
        buildPage();
        return;
      }
      renderRunParts();
      charts.sync();
      charts.reloadAll();
      return;
    }
    case 'history':
      charts.onHistory(message);
      return;
    case 'leadHistory':
      charts.onLeadHistory(message);
      return;
    case 'historyError':
      charts.onHistoryError(message);
      runDeferred();
      return;
    case 'live': {
      // Same runs, fresher values: the table and the relation charts follow; charts only append.
      const known = new Map(readRunTable(message.runs).map((r) => [r.runId, r]));
      runs = runs.map((r) => known.get(r.runId) ?? r);
      renderTable();
      renderActiveRelation();
      charts.append(message.appended);
      return;
    }
    case 'applyView':
      if (!strings) return;
      state = applySavedView(state, message.view, runs);
      context.saveState();
      buildPage();
      // Cards the view keeps were drawn with the old set-up: draw them again with the new one.
      charts.redrawAll();
      return;
    case 'requestView':
      api.postMessage({ type: 'saveView', view: toSavedView(state) });
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isCompareHostMessage(event.data)) {
    console.warn('MLWF compare: dropped a malformed message from the host.');
    return;
  }
  handle(event.data);
});

onThemeChange(() => {
  theme = readChartTheme();
  slotColors.clear();
  if (!strings) return;
  renderRunParts();
  charts.redrawAll();
});

announceReady();
