// The side-by-side table as data: one row per param and per metric, one cell per run (runs are
// columns), which rows differ, which cell is best and in what order the runs go. Pure, so the
// rules are tested in plain Node and the page only draws.
import type { CompareRun, MetricGoal } from '../../../../src/protocol/compare';

export type Cell = string | number | undefined;

export interface TableRow {
  readonly section: 'param' | 'metric';
  readonly key: string;
  /** By run, in the order of the runs given. */
  readonly cells: readonly Cell[];
}

export function buildRows(runs: readonly CompareRun[]): TableRow[] {
  const keys = (pick: (r: CompareRun) => readonly { key: string }[]) => [...new Set(runs.flatMap((r) => pick(r).map((x) => x.key)))].sort((a, b) => a.localeCompare(b));
  const params: TableRow[] = keys((r) => r.params).map((key) => ({ section: 'param', key, cells: runs.map((r) => r.params.find((p) => p.key === key)?.value) }));
  const metrics: TableRow[] = keys((r) => r.metrics).map((key) => ({ section: 'metric', key, cells: runs.map((r) => r.metrics.find((m) => m.key === key)?.value) }));
  return [...params, ...metrics];
}

/** True when not every run has the same value (a missing value differs from any value). */
export function isDifferent(cells: readonly Cell[]): boolean {
  if (cells.length < 2) return false;
  const first = cells[0];
  return cells.some((c) => !sameCell(c, first));
}

function sameCell(a: Cell, b: Cell): boolean {
  // NaN is a value MLflow logs; two NaNs are "the same" for the purpose of hiding a row.
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

const MINIMISE = ['loss', 'rmse', 'mse', 'mae', 'mape', 'error', 'err', 'perplexity', 'ppl', 'wer', 'cer'];
const MAXIMISE_EXACT = ['r2', 'f1', 'auc', 'roc', 'map', 'iou', 'bleu', 'rouge', 'precision', 'recall'];

/** Which way a metric improves, judged by its name: `val_loss` ↓, `val_accuracy` ↑, `lr` neither. */
export function defaultGoal(metricKey: string): MetricGoal {
  const tokens = metricKey.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (tokens.some((t) => MINIMISE.includes(t) || t.endsWith('loss') || t.endsWith('error'))) return 'min';
  if (tokens.some((t) => t.startsWith('acc') || MAXIMISE_EXACT.includes(t) || /^f1|^auc|^r2$/.test(t))) return 'max';
  return 'none';
}

export function goalOf(metricKey: string, overrides: Readonly<Record<string, MetricGoal>>): MetricGoal {
  return Object.hasOwn(overrides, metricKey) ? overrides[metricKey]! : defaultGoal(metricKey);
}

/** The user's click on a metric row cycles auto → min → max → none → auto. */
export function nextGoalOverride(current: MetricGoal | undefined): MetricGoal | undefined {
  switch (current) {
    case undefined:
      return 'min';
    case 'min':
      return 'max';
    case 'max':
      return 'none';
    case 'none':
      return undefined;
  }
}

/** Indexes of the best cells (ties all win); none when the goal is none or no cell is a number. */
export function bestIndexes(cells: readonly Cell[], goal: MetricGoal): number[] {
  if (goal === 'none') return [];
  const numbers = cells.map((c) => (typeof c === 'number' && Number.isFinite(c) ? c : undefined));
  const finite = numbers.filter((n): n is number => n !== undefined);
  if (finite.length < 2) return [];
  const best = goal === 'min' ? Math.min(...finite) : Math.max(...finite);
  return numbers.flatMap((n, i) => (n === best ? [i] : []));
}

export type SortDirection = 'asc' | 'desc';

/** Run order (indexes) sorted by one row: numbers numerically, text naturally, missing last. */
export function sortedRunOrder(cells: readonly Cell[], direction: SortDirection): number[] {
  const sign = direction === 'asc' ? 1 : -1;
  const numeric = (c: Cell) => (typeof c === 'number' ? c : c !== undefined && c.trim() !== '' && Number.isFinite(Number(c)) ? Number(c) : undefined);
  return cells
    .map((c, i) => ({ c, i, n: numeric(c) }))
    .sort((a, b) => {
      if (a.c === undefined || b.c === undefined) return a.c === b.c ? a.i - b.i : a.c === undefined ? 1 : -1;
      const byValue = a.n !== undefined && b.n !== undefined ? a.n - b.n : String(a.c).localeCompare(String(b.c), undefined, { numeric: true });
      return byValue !== 0 && !Number.isNaN(byValue) ? sign * byValue : a.i - b.i;
    })
    .map((x) => x.i);
}

/** Metric values as the table shows them: enough digits to tell runs apart, no float noise. */
export function formatCell(cell: Cell): string {
  if (cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell)) return String(cell);
  if (!Number.isFinite(cell)) return String(cell);
  return String(Number(cell.toPrecision(6)));
}
