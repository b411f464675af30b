// Runs grouped by a param or tag (the seeds of one config), and the maths drawn for each group:
// mean, sample standard deviation, min and max of a metric's single values, and of a history
// step by step. Pure (no DOM), so the numbers the charts and the table show are tested in Node.
import type { CompareGroupBy, CompareRun, CompareSeries } from '../../../../src/protocol/compare';
import { PALETTE_SIZE } from './colors';
import { emaSmooth } from './smoothing';

export interface RunGroup {
  /** The param's or tag's value; undefined for runs that do not have it. */
  readonly value: string | undefined;
  readonly runIds: readonly string[];
  /** Palette slot, from the value itself: a group keeps its colour when other groups come and go. */
  readonly colorSlot: number;
}

export interface Stats {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1; 0 for one run): the spread of seeds, not of this sample. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export function groupValue(run: CompareRun, groupBy: CompareGroupBy): string | undefined {
  const list = groupBy.kind === 'param' ? run.params : run.tags;
  return list.find((p) => p.key === groupBy.key)?.value;
}

/** Groups in order of their values (numbers by value), runs without the key last. */
export function groupRuns(runs: readonly CompareRun[], groupBy: CompareGroupBy): RunGroup[] {
  const byValue = new Map<string | undefined, string[]>();
  for (const run of runs) {
    const value = groupValue(run, groupBy);
    const list = byValue.get(value) ?? [];
    list.push(run.runId);
    byValue.set(value, list);
  }
  const values = [...byValue.keys()].sort(compareValues);
  const used = new Set<number>();
  return values.map((value) => {
    let slot = hashSlot(value ?? '\u0000');
    // Probe past slots taken by groups before it, while the palette has free ones.
    for (let i = 0; i < PALETTE_SIZE && used.has(slot) && used.size < PALETTE_SIZE; i++) slot = (slot + 1) % PALETTE_SIZE;
    used.add(slot);
    return { value, runIds: byValue.get(value)!, colorSlot: slot };
  });
}

/** Numbers by value (`0.01` < `0.1` < `2` < `10`), other text naturally, missing last. */
function compareValues(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const x = a.trim() === '' ? Number.NaN : Number(a);
  const y = b.trim() === '' ? Number.NaN : Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a.localeCompare(b, undefined, { numeric: true });
}

/** FNV-1a of the text, onto the palette. */
function hashSlot(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % PALETTE_SIZE;
}

/** Stats of the finite values (NaN and ±Infinity left out); undefined when there are none. */
export function stats(values: Iterable<number>): Stats | undefined {
  // Welford's online update: no catastrophic cancellation for values far from zero.
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return undefined;
  return { n, mean, std: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, min, max };
}

/** The latest value of one metric for each run of a group (what runs/search gave), as stats. */
export function groupMetricStats(runs: readonly CompareRun[], group: RunGroup, metricKey: string): Stats | undefined {
  const ids = new Set(group.runIds);
  const values: number[] = [];
  for (const run of runs) {
    if (!ids.has(run.runId)) continue;
    const metric = run.metrics.find((m) => m.key === metricKey);
    if (metric) values.push(metric.value);
  }
  return stats(values);
}

/** A group's history: at each step any of its runs logged, the stats over the runs that did. */
export interface GroupHistory {
  readonly steps: number[];
  readonly mean: number[];
  readonly std: number[];
  readonly min: number[];
  readonly max: number[];
  /** Runs that contributed at each step. */
  readonly n: number[];
}

/**
 * Aligns the group's series on their steps (MLflow samples the runs of one request on a shared
 * step grid, so sampled series line up) and aggregates each step. Each run is smoothed first, as
 * its own line would be; non-finite values are left out of a step.
 */
export function groupHistory(series: readonly CompareSeries[], smoothing: number): GroupHistory {
  const acc = new Map<number, { n: number; mean: number; m2: number; min: number; max: number }>();
  for (const s of series) {
    const ys = emaSmooth(s.values, smoothing);
    for (let i = 0; i < s.steps.length; i++) {
      const v = ys[i]!;
      if (!Number.isFinite(v)) continue;
      const step = s.steps[i]!;
      let a = acc.get(step);
      if (!a) acc.set(step, (a = { n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity }));
      a.n++;
      const d = v - a.mean;
      a.mean += d / a.n;
      a.m2 += d * (v - a.mean);
      if (v < a.min) a.min = v;
      if (v > a.max) a.max = v;
    }
  }
  const steps = [...acc.keys()].sort((x, y) => x - y);
  const out: GroupHistory = { steps, mean: [], std: [], min: [], max: [], n: [] };
  for (const step of steps) {
    const a = acc.get(step)!;
    out.mean.push(a.mean);
    out.std.push(a.n > 1 ? Math.sqrt(a.m2 / (a.n - 1)) : 0);
    out.min.push(a.min);
    out.max.push(a.max);
    out.n.push(a.n);
  }
  return out;
}

/** The band's lower and upper edge at each step: mean ± std, or min and max. */
export function bandEdges(history: GroupHistory, band: 'std' | 'minMax'): { lower: number[]; upper: number[] } {
  if (band === 'minMax') return { lower: history.min, upper: history.max };
  return { lower: history.mean.map((m, i) => m - history.std[i]!), upper: history.mean.map((m, i) => m + history.std[i]!) };
}

/** "0.512 ± 0.031 (n=3)" with the table's number format. */
export function formatStats(s: Stats | undefined, format: (v: number) => string, empty: string): string {
  if (!s) return empty;
  return s.n > 1 ? `${format(s.mean)} ± ${format(s.std)} (n=${s.n})` : `${format(s.mean)} (n=1)`;
}
