// "Copy as CSV / Markdown" while runs are grouped: one row per group, as the grouped table and
// charts show them — the group's value of the param or tag, how many runs it has, and for each
// metric the mean with the spread the user chose (± std, or min and max) and how many of its
// runs have the metric. Pure (no DOM): the text is tested in Node (compare-groupExport.test.ts).
import type { CompareGroupBy, CompareRun, GroupBand } from '../../../../src/protocol/compare';
import { groupMetricStats, type RunGroup, type Stats } from './groupStats';
import { formatCell } from './tableModel';
import { csvField, markdownCell } from './tableExport';

export interface GroupExportTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * The grouped table as lines of cells. The first column is named after what groups the runs
 * (`params.lr`, `tags.config`); a group of runs without it has an empty value there. Statistics
 * of a metric no run of the group has are empty cells.
 */
export function groupExportTable(runs: readonly CompareRun[], groups: readonly RunGroup[], groupBy: CompareGroupBy, band: GroupBand): GroupExportTable {
  const metrics = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort((a, b) => a.localeCompare(b));
  const spread = band === 'minMax' ? ['min', 'max'] : ['std'];
  const header = [`${groupBy.kind === 'param' ? 'params' : 'tags'}.${groupBy.key}`, 'runs', ...metrics.flatMap((key) => ['mean', ...spread, 'n'].map((what) => `metrics.${key} ${what}`))];
  const cell = (v: number | undefined) => (v === undefined ? '' : formatCell(v));
  const statCells = (st: Stats | undefined) => (st ? [cell(st.mean), ...(band === 'minMax' ? [cell(st.min), cell(st.max)] : [cell(st.std)]), String(st.n)] : ['', ...spread.map(() => ''), '0']);
  const rows = groups.map((g) => [g.value ?? '', String(g.runIds.length), ...metrics.flatMap((key) => statCells(groupMetricStats(runs, g, key)))]);
  return { header, rows };
}

export function groupsToCsv(table: GroupExportTable): string {
  return [table.header, ...table.rows].map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function groupsToMarkdown(table: GroupExportTable): string {
  const header = table.header.map(markdownCell);
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...table.rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`)].join('\n') + '\n';
}
