// The compare panel's messages, one union per direction, and a guard for every message either
// side receives. Types and guards only: compiled into both the host and the browser bundle, so
// it imports nothing but the shared handshake. A message that fails its guard is logged and
// dropped by the receiver, never cast.
import type { ReadyMessage } from './handshake';

// ---------- payloads ----------

export interface CompareKeyValue {
  readonly key: string;
  readonly value: string;
}

export interface CompareMetricValue {
  readonly key: string;
  readonly value: number;
  readonly step: number;
}

/** One run as the page shows it: server strings are plain data, rendered as text. */
export interface CompareRun {
  readonly runId: string;
  readonly name: string;
  readonly experimentId: string;
  /** Index into the run palette (`mlwf.compareRun1` …), stable while the run is in the panel. */
  readonly colorSlot: number;
  readonly status: string;
  readonly startTime: number;
  readonly params: readonly CompareKeyValue[];
  /** Latest values (what runs/search returns). */
  readonly metrics: readonly CompareMetricValue[];
  /** The run's own tags (MLflow's `mlflow.*` system tags left out): one of the things to group by. */
  readonly tags: readonly CompareKeyValue[];
}

export interface CompareStepRange {
  readonly minStep: number;
  readonly maxStep: number;
}

/**
 * One run's history of one metric as parallel columns: point i is (steps[i], timestamps[i],
 * values[i]). Typed arrays, not an array of objects: VS Code hands ArrayBuffers to the webview as
 * bytes (8 per number, NaN and ±Infinity intact) instead of JSON text with three key names per
 * point, and the page reads them without building 100,000 small objects.
 */
export interface CompareSeries {
  readonly runId: string;
  readonly metricKey: string;
  readonly steps: Float64Array;
  /** Milliseconds since the epoch. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly sampled: boolean;
}

/** What runs are grouped by: a param or a tag key; runs without it form one group of their own. */
export interface CompareGroupBy {
  readonly kind: 'param' | 'tag';
  readonly key: string;
}

/** How a group's spread is drawn around its mean: ± one (sample) standard deviation, or min–max. */
export type GroupBand = 'std' | 'minMax';

/** Every string the page shows, localized by the host (the page has no l10n of its own). */
export const COMPARE_STRING_KEYS = [
  'charts', 'table', 'parallel', 'scatter', 'metrics', 'xAxis', 'xStep', 'xWallTime', 'xRelativeTime',
  'smoothing', 'logScale', 'ignoreOutliers', 'exportPng', 'exportSvg', 'addRuns', 'removeRun',
  'onlyDifferences', 'copyCsv', 'copyMarkdown', 'parameters', 'metricsSection', 'best', 'goalAuto',
  'goalMin', 'goalMax', 'goalNone', 'goalTitle', 'sortTitle', 'noMetrics', 'noRuns', 'loading',
  'loadFailed', 'retry', 'noHistory', 'sampledNote', 'resetZoom', 'parallelParams', 'parallelMetric',
  'scatterX', 'scatterY', 'run', 'step', 'value', 'seconds', 'hideRunTitle', 'runsLabel', 'emptyValue',
  'groupBy', 'groupNone', 'groupParam', 'groupTag', 'groupMissing', 'band', 'bandStd', 'bandMinMax', 'group', 'groupRuns',
  'saveView', 'applyView', 'mean', 'singleValueNote', 'groupValues',
  'legendToggle', 'legendHidden', 'legendFilter', 'legendMatches', 'legendShowMatching', 'legendHideMatching',
] as const;
export type CompareStringKey = (typeof COMPARE_STRING_KEYS)[number];
export type CompareStrings = Readonly<Record<CompareStringKey, string>>;

/** What the page remembers across reloads (`setState`) and the serializer reads back. */
export interface CompareViewState {
  readonly version: 1;
  readonly runIds: readonly string[];
  readonly chosenMetrics: readonly string[];
  readonly tab: string;
  readonly xAxis: XAxisMode;
  readonly smoothing: number;
  readonly logScale: boolean;
  readonly ignoreOutliers: boolean;
  readonly onlyDifferences: boolean;
  readonly hiddenRuns: readonly string[];
  /** Per-metric goal the user chose over the name-based default. */
  readonly goals: Readonly<Record<string, MetricGoal>>;
  /** Runs grouped by a param or tag (absent: every run on its own). Optional: older states lack it. */
  readonly groupBy?: CompareGroupBy | null;
  readonly band?: GroupBand;
  /** The legend of a panel with many runs is opened (it starts collapsed above 20 runs). */
  readonly legendOpen?: boolean;
}

/**
 * A comparison's set-up without its runs, saved by name (`.vscode/mlwf-views.json`) and applied
 * to any runs, of any experiment: what is charted and how, the grouping and the tab.
 */
export interface CompareSavedView {
  readonly metrics: readonly string[];
  readonly tab: string;
  readonly xAxis: XAxisMode;
  readonly smoothing: number;
  readonly logScale: boolean;
  readonly ignoreOutliers: boolean;
  readonly onlyDifferences: boolean;
  readonly goals: Readonly<Record<string, MetricGoal>>;
  readonly groupBy: CompareGroupBy | null;
  readonly band: GroupBand;
}

export type XAxisMode = 'step' | 'wallTime' | 'relativeTime';
export type MetricGoal = 'min' | 'max' | 'none';

// ---------- host → webview ----------

export interface CompareInitMessage {
  readonly type: 'init';
  readonly title: string;
  readonly strings: CompareStrings;
  readonly runs: readonly CompareRun[];
  /** Metrics to chart first (from a metric node), or empty for the page's own default. */
  readonly focusMetrics: readonly string[];
  /**
   * The metric whose histories (of every run of the panel) the host fetched when the command
   * ran and sends unasked in a `leadHistory`: the page's chart of it waits for that instead of
   * asking. Absent when the host sends none (a restored page, no history metric).
   */
  readonly leadMetric?: string;
}

/** The histories announced by `init.leadMetric`; `failed`: none are coming, the chart asks itself. */
export interface CompareLeadHistoryMessage {
  readonly type: 'leadHistory';
  readonly metricKey: string;
  readonly series: readonly CompareSeries[];
  readonly failed: boolean;
}

export interface CompareRunsMessage {
  readonly type: 'runs';
  readonly title: string;
  readonly runs: readonly CompareRun[];
}

export interface CompareHistoryMessage {
  readonly type: 'history';
  readonly requestId: number;
  readonly series: readonly CompareSeries[];
}

export interface CompareHistoryErrorMessage {
  readonly type: 'historyError';
  readonly requestId: number;
  readonly message: string;
}

/**
 * Live updates while runs train: the panel's runs as they are now (status, latest metrics) and
 * only the points logged since the page last heard, to append to the charts it has, keeping the
 * zoom, the hidden runs and the hover. The page drops points it already holds.
 */
export interface CompareLiveMessage {
  readonly type: 'live';
  readonly runs: readonly CompareRun[];
  readonly appended: readonly CompareSeries[];
}

/** A saved view the user chose: the page applies it to the runs it has. */
export interface CompareApplyViewMessage {
  readonly type: 'applyView';
  readonly name: string;
  readonly view: CompareSavedView;
}

/** The palette's "Save Compare View…": the page answers with `saveView` and its current set-up. */
export interface CompareRequestViewMessage {
  readonly type: 'requestView';
}

export type CompareHostMessage =
  | CompareInitMessage
  | CompareRunsMessage
  | CompareHistoryMessage
  | CompareLeadHistoryMessage
  | CompareHistoryErrorMessage
  | CompareApplyViewMessage
  | CompareRequestViewMessage
  | CompareLiveMessage;

// ---------- webview → host ----------

export interface RequestHistoryMessage {
  readonly type: 'requestHistory';
  /** Chosen by the page, echoed in the reply: the page keeps only the latest per chart. */
  readonly requestId: number;
  readonly metricKey: string;
  readonly runIds: readonly string[];
  readonly range?: CompareStepRange;
}

export interface CancelHistoryMessage {
  readonly type: 'cancelHistory';
  readonly requestId: number;
}

export interface ExportChartMessage {
  readonly type: 'exportChart';
  readonly format: 'png' | 'svg';
  readonly metricKey: string;
  /** PNG: a `data:image/png;base64,` URL; SVG: the document text. */
  readonly data: string;
}

export interface CopyTextMessage {
  readonly type: 'copyText';
  readonly format: 'csv' | 'markdown';
  readonly text: string;
}

export interface AddRunsMessage {
  readonly type: 'addRuns';
}

export interface RemoveRunMessage {
  readonly type: 'removeRun';
  readonly runId: string;
}

/** Timings from `performance.now()` in the page (ms since the page's navigation start). */
export interface FirstPaintMessage {
  readonly type: 'firstPaint';
  readonly scriptStartMs: number;
  readonly initReceivedMs: number;
  readonly firstDataMs: number;
  readonly paintedMs: number;
  readonly metricKey: string;
  readonly points: number;
  /** When the chart asked for its histories (absent for bars, which ask for nothing). */
  readonly requestedMs?: number;
}

/** Save the page's current set-up under a name the host asks for. */
export interface SaveViewMessage {
  readonly type: 'saveView';
  readonly view: CompareSavedView;
}

/** The page's "Apply View…" button: the host lists the saved views and answers `applyView`. */
export interface ChooseViewMessage {
  readonly type: 'chooseView';
}

export type CompareWebviewMessage =
  | ReadyMessage
  | SaveViewMessage
  | ChooseViewMessage
  | RequestHistoryMessage
  | CancelHistoryMessage
  | ExportChartMessage
  | CopyTextMessage
  | AddRunsMessage
  | RemoveRunMessage
  | FirstPaintMessage;

// ---------- guards ----------

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Non-negative safe integers: request ids and steps. */
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStringArray = (v: unknown, max = 10_000): v is string[] => Array.isArray(v) && v.length <= max && v.every(isString);
/** MLflow run ids are 32 hex digits; other stores use other word characters. Nothing else passes. */
const isRunId = (v: unknown): v is string => isString(v) && /^[\w-]{1,64}$/.test(v);
/** Metric keys: MLflow allows letters, digits, `_ - . / space`; bounded in length. */
const isMetricKey = (v: unknown): v is string => isString(v) && v.length > 0 && v.length <= 250;

export function isStepRange(v: unknown): v is CompareStepRange {
  return isObject(v) && Number.isSafeInteger(v.minStep) && Number.isSafeInteger(v.maxStep) && (v.minStep as number) <= (v.maxStep as number);
}

/**
 * Runs in one panel (MLflow's UI caps its charts at 500 too). The loader splits a request into
 * bulk requests of 100 runs, MLflow's limit for one.
 */
export const MAX_COMPARE_RUNS = 500;
/** 20 MB of exported image is far beyond any chart; more is a broken or hostile page. */
export const MAX_EXPORT_CHARS = 20_000_000;
const MAX_COPY_CHARS = 20_000_000;

export function isCompareWebviewMessage(v: unknown): v is CompareWebviewMessage {
  if (!isObject(v) || !isString(v.type)) return false;
  switch (v.type) {
    case 'ready':
    case 'addRuns':
    case 'chooseView':
      return true;
    case 'saveView':
      return isSavedView(v.view);
    case 'requestHistory':
      return (
        isCount(v.requestId) &&
        isMetricKey(v.metricKey) &&
        Array.isArray(v.runIds) &&
        v.runIds.length > 0 &&
        v.runIds.length <= MAX_COMPARE_RUNS &&
        v.runIds.every(isRunId) &&
        (v.range === undefined || isStepRange(v.range))
      );
    case 'cancelHistory':
      return isCount(v.requestId);
    case 'exportChart':
      return (
        (v.format === 'png' || v.format === 'svg') &&
        isMetricKey(v.metricKey) &&
        isString(v.data) &&
        v.data.length <= MAX_EXPORT_CHARS &&
        (v.format === 'png' ? v.data.startsWith('data:image/png;base64,') : v.data.trimStart().startsWith('<'))
      );
    case 'copyText':
      return (v.format === 'csv' || v.format === 'markdown') && isString(v.text) && v.text.length <= MAX_COPY_CHARS;
    case 'removeRun':
      return isRunId(v.runId);
    case 'firstPaint':
      return (
        isFiniteNumber(v.scriptStartMs) &&
        isFiniteNumber(v.initReceivedMs) &&
        isFiniteNumber(v.firstDataMs) &&
        isFiniteNumber(v.paintedMs) &&
        isMetricKey(v.metricKey) &&
        isCount(v.points) &&
        (v.requestedMs === undefined || isFiniteNumber(v.requestedMs))
      );
    default:
      return false;
  }
}

const X_AXIS_MODES: readonly string[] = ['step', 'wallTime', 'relativeTime'];
const GOALS: readonly string[] = ['min', 'max', 'none'];
const BANDS: readonly string[] = ['std', 'minMax'];
const isGoals = (v: unknown): v is Record<string, MetricGoal> => isObject(v) && Object.keys(v).length <= 1000 && Object.values(v).every((g) => isString(g) && GOALS.includes(g));

export function isGroupBy(v: unknown): v is CompareGroupBy {
  return isObject(v) && (v.kind === 'param' || v.kind === 'tag') && isString(v.key) && v.key.length > 0 && v.key.length <= 250;
}

/** A saved view, checked field by field: it comes from a file anyone in the team may edit. */
export function isSavedView(v: unknown): v is CompareSavedView {
  return (
    isObject(v) &&
    isStringArray(v.metrics, 100) &&
    v.metrics.every(isMetricKey) &&
    isString(v.tab) &&
    v.tab.length <= 40 &&
    isString(v.xAxis) &&
    X_AXIS_MODES.includes(v.xAxis) &&
    isFiniteNumber(v.smoothing) &&
    v.smoothing >= 0 &&
    v.smoothing < 1 &&
    typeof v.logScale === 'boolean' &&
    typeof v.ignoreOutliers === 'boolean' &&
    typeof v.onlyDifferences === 'boolean' &&
    isGoals(v.goals) &&
    (v.groupBy === null || isGroupBy(v.groupBy)) &&
    isString(v.band) &&
    BANDS.includes(v.band)
  );
}

const isKeyValue = (v: unknown): v is CompareKeyValue => isObject(v) && isString(v.key) && isString(v.value);
const isMetricValue = (v: unknown): v is CompareMetricValue => isObject(v) && isString(v.key) && typeof v.value === 'number' && typeof v.step === 'number';

export function isCompareRun(v: unknown): v is CompareRun {
  return (
    isObject(v) &&
    isRunId(v.runId) &&
    isString(v.name) &&
    isString(v.experimentId) &&
    isCount(v.colorSlot) &&
    isString(v.status) &&
    typeof v.startTime === 'number' &&
    Array.isArray(v.params) &&
    v.params.every(isKeyValue) &&
    Array.isArray(v.metrics) &&
    v.metrics.every(isMetricValue) &&
    Array.isArray(v.tags) &&
    v.tags.every(isKeyValue)
  );
}

const isSeries = (v: unknown): v is CompareSeries =>
  isObject(v) &&
  isString(v.runId) &&
  isString(v.metricKey) &&
  typeof v.sampled === 'boolean' &&
  v.steps instanceof Float64Array &&
  v.timestamps instanceof Float64Array &&
  v.values instanceof Float64Array &&
  v.timestamps.length === v.steps.length &&
  v.values.length === v.steps.length;
const isStrings = (v: unknown): v is CompareStrings => isObject(v) && COMPARE_STRING_KEYS.every((k) => isString(v[k]));

export function isCompareHostMessage(v: unknown): v is CompareHostMessage {
  if (!isObject(v) || !isString(v.type)) return false;
  switch (v.type) {
    case 'init':
      return isString(v.title) && isStrings(v.strings) && Array.isArray(v.runs) && v.runs.every(isCompareRun) && isStringArray(v.focusMetrics) && (v.leadMetric === undefined || isMetricKey(v.leadMetric));
    case 'runs':
      return isString(v.title) && Array.isArray(v.runs) && v.runs.every(isCompareRun);
    case 'history':
      return isCount(v.requestId) && Array.isArray(v.series) && v.series.every(isSeries);
    case 'leadHistory':
      return isMetricKey(v.metricKey) && typeof v.failed === 'boolean' && Array.isArray(v.series) && v.series.length <= MAX_COMPARE_RUNS && v.series.every(isSeries);
    case 'historyError':
      return isCount(v.requestId) && isString(v.message);
    case 'live':
      return Array.isArray(v.runs) && v.runs.length <= MAX_COMPARE_RUNS && v.runs.every(isCompareRun) && Array.isArray(v.appended) && v.appended.every(isSeries);
    case 'applyView':
      return isString(v.name) && isSavedView(v.view);
    case 'requestView':
      return true;
    default:
      return false;
  }
}

/** The state a reloaded window hands back: checked field by field, it came from storage. */
export function isCompareViewState(v: unknown): v is CompareViewState {
  return (
    isObject(v) &&
    v.version === 1 &&
    Array.isArray(v.runIds) &&
    v.runIds.length > 0 &&
    v.runIds.length <= MAX_COMPARE_RUNS &&
    v.runIds.every(isRunId) &&
    isStringArray(v.chosenMetrics, 100) &&
    isString(v.tab) &&
    isString(v.xAxis) &&
    X_AXIS_MODES.includes(v.xAxis) &&
    isFiniteNumber(v.smoothing) &&
    typeof v.logScale === 'boolean' &&
    typeof v.ignoreOutliers === 'boolean' &&
    typeof v.onlyDifferences === 'boolean' &&
    isStringArray(v.hiddenRuns, MAX_COMPARE_RUNS) &&
    isGoals(v.goals) &&
    (v.groupBy === undefined || v.groupBy === null || isGroupBy(v.groupBy)) &&
    (v.band === undefined || (isString(v.band) && BANDS.includes(v.band))) &&
    (v.legendOpen === undefined || typeof v.legendOpen === 'boolean')
  );
}
