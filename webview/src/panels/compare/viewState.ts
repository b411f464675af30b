// The page's view state (what `setState` keeps across reloads), its defaults, and bringing a
// remembered state in line with the runs the host actually sent.
import { isCompareViewState, type CompareRun, type CompareSavedView, type CompareViewState } from '../../../../src/protocol/compare';
import { defaultMetrics, metricKeys } from './chartData';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export function defaultViewState(): Mutable<CompareViewState> {
  return {
    version: 1,
    runIds: [],
    chosenMetrics: [],
    tab: 'charts',
    xAxis: 'step',
    smoothing: 0,
    logScale: false,
    ignoreOutliers: false,
    onlyDifferences: false,
    hiddenRuns: [],
    goals: {},
    groupBy: null,
    band: 'std',
  };
}

/** The remembered state if it is one (it came from storage), else the defaults. */
export function loadViewState(stored: unknown): Mutable<CompareViewState> {
  return isCompareViewState(stored) ? { ...defaultViewState(), ...stored, runIds: [...stored.runIds], chosenMetrics: [...stored.chosenMetrics], hiddenRuns: [...stored.hiddenRuns], goals: { ...stored.goals } } : defaultViewState();
}

/** After `init`/`runs`: keep choices that still apply, pick defaults for what is new. */
export function reconcile(state: Mutable<CompareViewState>, runs: readonly CompareRun[], focus: readonly string[]): Mutable<CompareViewState> {
  const ids = runs.map((r) => r.runId);
  const keys = new Set(metricKeys(runs));
  const chosen = focus.length > 0 ? [...focus] : state.chosenMetrics.filter((k) => keys.has(k));
  return {
    ...state,
    runIds: ids,
    chosenMetrics: chosen.length > 0 ? chosen : defaultMetrics(runs, []),
    hiddenRuns: state.hiddenRuns.filter((id) => ids.includes(id)),
  };
}

/** The set-up a saved view keeps: everything but the runs and which of them are hidden. */
export function toSavedView(state: CompareViewState): CompareSavedView {
  return {
    metrics: [...state.chosenMetrics],
    tab: state.tab,
    xAxis: state.xAxis,
    smoothing: state.smoothing,
    logScale: state.logScale,
    ignoreOutliers: state.ignoreOutliers,
    onlyDifferences: state.onlyDifferences,
    goals: { ...state.goals },
    groupBy: state.groupBy ?? null,
    band: state.band ?? 'std',
  };
}

/**
 * A saved view on these runs (perhaps of another experiment): its metrics that the runs have, in
 * its order (the defaults if they have none of them), and the rest of its set-up as saved.
 */
export function applySavedView(state: Mutable<CompareViewState>, view: CompareSavedView, runs: readonly CompareRun[]): Mutable<CompareViewState> {
  const keys = new Set(metricKeys(runs));
  const metrics = view.metrics.filter((k) => keys.has(k));
  return {
    ...state,
    chosenMetrics: metrics.length > 0 ? metrics : defaultMetrics(runs, []),
    tab: view.tab,
    xAxis: view.xAxis,
    smoothing: view.smoothing,
    logScale: view.logScale,
    ignoreOutliers: view.ignoreOutliers,
    onlyDifferences: view.onlyDifferences,
    goals: { ...view.goals },
    groupBy: view.groupBy,
    band: view.band,
  };
}
