// Runtime guards for every compare message either side receives, for saved views read from a
// file and for the view state a reloaded window hands back: checked field by field, never cast.
// A message that fails its guard is logged and dropped by the receiver. The types are in
// compareMessages.ts; both are reached through compare.ts.
import { stepCount } from './compareColumns';
import { COMPARE_STRING_KEYS, MAX_COMPARE_RUNS, MAX_EXPORT_CHARS } from './compareMessages';
import type {
  CompareGroupBy,
  CompareHostMessage,
  CompareKeyValue,
  CompareMetricValue,
  CompareRun,
  CompareRunInfo,
  CompareRunRow,
  CompareRunTable,
  CompareSavedView,
  CompareSeriesColumns,
  CompareStepColumn,
  CompareStepRange,
  CompareStrings,
  CompareViewState,
  CompareWebviewMessage,
  MetricGoal,
} from './compareMessages';

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
        (v.range === undefined || isStepRange(v.range)) &&
        (v.timestamps === undefined || typeof v.timestamps === 'boolean')
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

const isRunInfo = (v: unknown): v is CompareRunInfo & Fields =>
  isObject(v) && isRunId(v.runId) && isString(v.name) && isString(v.experimentId) && isCount(v.colorSlot) && isString(v.status) && typeof v.startTime === 'number';

export function isCompareRun(v: unknown): v is CompareRun {
  return (
    isRunInfo(v) &&
    Array.isArray(v.params) &&
    v.params.every(isKeyValue) &&
    Array.isArray(v.metrics) &&
    v.metrics.every(isMetricValue) &&
    Array.isArray(v.tags) &&
    v.tags.every(isKeyValue)
  );
}

/** Indexes into a table's keys, each paired with a string value when `values` is given. */
const isKeyIndexes = (v: unknown, keyCount: number): v is number[] => Array.isArray(v) && v.every((k) => isCount(k) && k < keyCount);

const isRunRow = (v: unknown, keyCount: number): v is CompareRunRow =>
  isRunInfo(v) &&
  isKeyIndexes(v.paramKeys, keyCount) &&
  isStringArray(v.paramValues) &&
  v.paramValues.length === v.paramKeys.length &&
  isKeyIndexes(v.metricKeys, keyCount) &&
  isKeyIndexes(v.tagKeys, keyCount) &&
  isStringArray(v.tagValues) &&
  v.tagValues.length === v.tagKeys.length;

/** Every index in range and the value columns as long as the rows' metrics: the page reads no further than what was sent. */
export function isRunTable(v: unknown): v is CompareRunTable {
  if (!isObject(v) || !isStringArray(v.keys, 100_000) || !Array.isArray(v.rows) || v.rows.length > MAX_COMPARE_RUNS) return false;
  if (!(v.metricValues instanceof Float64Array) || !(v.metricSteps instanceof Float64Array)) return false;
  const keyCount = v.keys.length;
  let metrics = 0;
  for (const row of v.rows) {
    if (!isRunRow(row, keyCount)) return false;
    metrics += row.metricKeys.length;
  }
  return v.metricValues.length === metrics && v.metricSteps.length === metrics;
}

const isStepColumn = (v: unknown): v is CompareStepColumn => {
  if (v instanceof Float64Array || v instanceof Int32Array) return true;
  if (!isObject(v) || ArrayBuffer.isView(v)) return false;
  return Number.isSafeInteger(v.start) && Number.isSafeInteger(v.stride) && isCount(v.count) && Array.isArray(v.tail) && v.tail.every((t) => Number.isSafeInteger(t));
};
/** The columns agree in length: a regular column's count cannot make the page allocate more than was sent. */
const isSeries = (v: unknown): v is CompareSeriesColumns =>
  isObject(v) &&
  isString(v.runId) &&
  isString(v.metricKey) &&
  typeof v.sampled === 'boolean' &&
  v.values instanceof Float64Array &&
  isStepColumn(v.steps) &&
  stepCount(v.steps) === v.values.length &&
  (v.timestamps === undefined || (v.timestamps instanceof Float64Array && v.timestamps.length === v.values.length));
const isStrings = (v: unknown): v is CompareStrings => isObject(v) && COMPARE_STRING_KEYS.every((k) => isString(v[k]));

export function isCompareHostMessage(v: unknown): v is CompareHostMessage {
  if (!isObject(v) || !isString(v.type)) return false;
  switch (v.type) {
    case 'init':
      return isString(v.title) && isStrings(v.strings) && isRunTable(v.runs) && isStringArray(v.focusMetrics) && (v.leadMetric === undefined || isMetricKey(v.leadMetric));
    case 'runs':
      return isString(v.title) && isRunTable(v.runs);
    case 'history':
      return isCount(v.requestId) && Array.isArray(v.series) && v.series.every(isSeries);
    case 'leadHistory':
      return isMetricKey(v.metricKey) && typeof v.failed === 'boolean' && Array.isArray(v.series) && v.series.length <= MAX_COMPARE_RUNS && v.series.every(isSeries);
    case 'historyError':
      return isCount(v.requestId) && isString(v.message);
    case 'live':
      return isRunTable(v.runs) && Array.isArray(v.appended) && v.appended.every(isSeries);
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
