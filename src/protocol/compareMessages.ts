// The compare panel's messages, one union per direction, their payloads and limits. Types and
// constants only; their runtime guards are in compareGuards.ts, and both are reached through
// the one entry compare.ts. Imports nothing but the shared handshake: compiled into both the
// host and the browser bundle.
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

/** What a run is, apart from its params, metrics and tags (shared by CompareRun and CompareRunRow). */
export interface CompareRunInfo {
  readonly runId: string;
  readonly name: string;
  readonly experimentId: string;
  /** Index into the run palette (`mlwf.compareRun1` …), stable while the run is in the panel. */
  readonly colorSlot: number;
  readonly status: string;
  readonly startTime: number;
}

/** One run as the page shows it: server strings are plain data, rendered as text. */
export interface CompareRun extends CompareRunInfo {
  readonly params: readonly CompareKeyValue[];
  /** Latest values (what runs/search returns). */
  readonly metrics: readonly CompareMetricValue[];
  /** The run's own tags (MLflow's `mlflow.*` system tags left out): one of the things to group by. */
  readonly tags: readonly CompareKeyValue[];
}

/**
 * The runs as they cross to the page (init, runs, live): each key once for the message and the
 * runs' latest metric values as numbers, instead of `{"key":…,"value":…,"step":…}` objects for
 * every metric of every run (with 500 runs `init` was 768 KiB of JSON, two thirds of what the
 * first chart waited for over code-server's websocket). The page reads it back into
 * CompareRun objects with `readRunTable` (compareRunTable.ts).
 */
export interface CompareRunTable {
  /** Every param, metric and tag key of the runs, once; rows refer to them by index. */
  readonly keys: readonly string[];
  readonly rows: readonly CompareRunRow[];
  /** The rows' latest metric values, row after row, in the order of each row's `metricKeys`. */
  readonly metricValues: Float64Array;
  /** The step of each of those values (a view on the same buffer). */
  readonly metricSteps: Float64Array;
}

/** One run of a CompareRunTable: CompareRun with its keys as indexes into `keys`. */
export interface CompareRunRow extends CompareRunInfo {
  readonly paramKeys: readonly number[];
  readonly paramValues: readonly string[];
  readonly metricKeys: readonly number[];
  readonly tagKeys: readonly number[];
  readonly tagValues: readonly string[];
}

export interface CompareStepRange {
  readonly minStep: number;
  readonly maxStep: number;
}

/**
 * The steps of a series that go up by one stride (MLflow's sample grid, a whole history logged
 * every N steps): its first step and stride, nothing per point. `tail` holds the steps after the
 * regular part (a sample's grid ends on the run's last step, which is off the stride).
 */
export interface RegularSteps {
  readonly start: number;
  readonly stride: number;
  /** Steps on the stride: start, start + stride, … (count of them). */
  readonly count: number;
  readonly tail: readonly number[];
}

/** Steps as they cross: regular as a rule, else 4 bytes a step when they fit an Int32, else 8. */
export type CompareStepColumn = RegularSteps | Int32Array | Float64Array;

/**
 * One run's history of one metric as it crosses to the page: parallel number columns, not an
 * array of objects (VS Code hands typed arrays to the webview as bytes, NaN and ±Infinity intact,
 * instead of JSON text with three key names per point). Values are Float64 (their precision
 * kept); steps as compact as they allow (CompareStepColumn); timestamps only when the page asked
 * for them (a wall-time or relative-time x axis), as most charts are drawn by step. The page
 * reads one with `readSeries` (compareColumns.ts) into a CompareSeries.
 */
export interface CompareSeriesColumns {
  readonly runId: string;
  readonly metricKey: string;
  readonly steps: CompareStepColumn;
  /** Milliseconds since the epoch; absent when not asked for. */
  readonly timestamps?: Float64Array;
  readonly values: Float64Array;
  readonly sampled: boolean;
}

/** A series as the page holds it once read: point i is (steps[i], timestamps?.[i], values[i]). */
export interface CompareSeries {
  readonly runId: string;
  readonly metricKey: string;
  readonly steps: Float64Array;
  /** Milliseconds since the epoch; undefined when the host did not send them. */
  readonly timestamps: Float64Array | undefined;
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
  readonly runs: CompareRunTable;
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
  readonly series: readonly CompareSeriesColumns[];
  readonly failed: boolean;
}

export interface CompareRunsMessage {
  readonly type: 'runs';
  readonly title: string;
  readonly runs: CompareRunTable;
}

export interface CompareHistoryMessage {
  readonly type: 'history';
  readonly requestId: number;
  readonly series: readonly CompareSeriesColumns[];
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
  readonly runs: CompareRunTable;
  /** With their timestamps (a few points; the page drops those it holds by step and time). */
  readonly appended: readonly CompareSeriesColumns[];
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
  /** Send the points' timestamps too (the chart's x axis is wall time or relative time). */
  readonly timestamps?: boolean;
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

// ---------- limits ----------

/**
 * Runs in one panel (MLflow's UI caps its charts at 500 too). The loader splits a request into
 * bulk requests of 100 runs, MLflow's limit for one.
 */
export const MAX_COMPARE_RUNS = 500;
/** 20 MB of exported image is far beyond any chart; more is a broken or hostile page. */
export const MAX_EXPORT_CHARS = 20_000_000;
