// The Table tab: params and metrics side by side, runs as columns. "Only differences" hides
// rows where every run agrees; the best value of each metric is marked (its direction from the
// name, or the user's click on the row's goal button); clicking a row's key sorts the runs by
// it; the table copies as CSV or Markdown through the host's clipboard.
import type { CompareRun } from '../../../../src/protocol/compare';
import { el } from './dom';
import { groupExportTable, groupsToCsv, groupsToMarkdown } from './groupExport';
import { groupTable } from './groupTable';
import type { PageContext } from './pageContext';
import { toCsv, toMarkdown } from './tableExport';
import { bestIndexes, buildRows, formatCell, goalOf, isDifferent, nextGoalOverride, sortedRunOrder, type SortDirection, type TableRow } from './tableModel';
import { button, checkbox } from './toolkit';

interface SortState {
  readonly row: string;
  readonly direction: SortDirection;
}

export class CompareTable {
  readonly element = el('div', { className: 'table-view' });
  private sort: SortState | undefined;

  constructor(private readonly ctx: () => PageContext) {}

  render(): void {
    const ctx = this.ctx();
    const s = ctx.strings;
    const allRows = buildRows(ctx.runs);
    const rows = ctx.state.onlyDifferences ? allRows.filter((r) => isDifferent(r.cells)) : allRows;
    const order = this.runOrder(allRows, ctx.runs.length);
    const runs = order.map((i) => ctx.runs[i]!);
    const permute = (row: TableRow): TableRow => ({ ...row, cells: order.map((i) => row.cells[i]) });
    const shown = rows.map(permute);
    const exportTable = () => ({ runNames: runs.map((r) => r.name), rows: shown });
    const groups = ctx.groups();
    // Grouped, the clipboard gets what the grouped table shows: a row per group, not per run.
    const grouped = () => groupExportTable(ctx.runs, groups!, ctx.state.groupBy!, ctx.state.band ?? 'std');
    const csv = () => (groups ? groupsToCsv(grouped()) : toCsv(exportTable()));
    const markdown = () => (groups ? groupsToMarkdown(grouped()) : toMarkdown(exportTable()));
    const toolbar = el(
      'div',
      { className: 'control-row' },
      checkbox(s.onlyDifferences, ctx.state.onlyDifferences, (on) => {
        ctx.state.onlyDifferences = on;
        ctx.saveState();
        this.render();
      }, 'only-differences'),
      button(s.copyCsv, () => ctx.post({ type: 'copyText', format: 'csv', text: csv() }), { name: 'copy-csv' }),
      button(s.copyMarkdown, () => ctx.post({ type: 'copyText', format: 'markdown', text: markdown() }), { name: 'copy-markdown' }),
    );
    const table = groups ? groupTable(ctx, groups) : el('table', { className: 'compare-table' }, this.head(runs), this.body(shown));
    this.element.replaceChildren(toolbar, el('div', { className: 'table-scroll' }, table));
  }

  private runOrder(rows: readonly TableRow[], count: number): number[] {
    const identity = Array.from({ length: count }, (_, i) => i);
    const row = this.sort && rows.find((r) => rowId(r) === this.sort!.row);
    return row ? sortedRunOrder(row.cells, this.sort!.direction) : identity;
  }

  private head(runs: readonly CompareRun[]): HTMLElement {
    const ctx = this.ctx();
    const cells = runs.map((run) => {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.backgroundColor = ctx.colorOf(run.runId);
      return el('th', { attrs: { scope: 'col', 'data-run-id': run.runId } }, swatch, el('span', { className: 'run-name', text: run.name }));
    });
    return el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' } }), ...cells));
  }

  private body(rows: readonly TableRow[]): HTMLElement {
    const ctx = this.ctx();
    const s = ctx.strings;
    const body = el('tbody');
    for (const section of ['param', 'metric'] as const) {
      const inSection = rows.filter((r) => r.section === section);
      if (inSection.length === 0) continue;
      const span = String((rows[0]?.cells.length ?? 0) + 1);
      body.append(el('tr', { className: 'section' }, el('th', { text: section === 'param' ? s.parameters : s.metricsSection, attrs: { colspan: span, scope: 'rowgroup' } })));
      for (const row of inSection) body.append(this.row(row));
    }
    return body;
  }

  private row(row: TableRow): HTMLElement {
    const ctx = this.ctx();
    const s = ctx.strings;
    const id = rowId(row);
    const sorted = this.sort?.row === id ? this.sort.direction : undefined;
    const keyButton = el('button', { className: 'row-key', text: row.key, title: s.sortTitle, attrs: { 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none' } });
    if (sorted) keyButton.append(el('span', { className: 'sort-mark', text: sorted === 'asc' ? ' ▲' : ' ▼' }));
    keyButton.addEventListener('click', () => {
      this.sort = sorted === undefined ? { row: id, direction: 'asc' } : sorted === 'asc' ? { row: id, direction: 'desc' } : undefined;
      this.render();
    });
    const header = el('th', { attrs: { scope: 'row' } }, keyButton);
    let best: number[] = [];
    if (row.section === 'metric') {
      const goal = goalOf(row.key, ctx.state.goals);
      best = bestIndexes(row.cells, goal);
      const overridden = Object.hasOwn(ctx.state.goals, row.key);
      const label = goal === 'min' ? s.goalMin : goal === 'max' ? s.goalMax : s.goalNone;
      const goalButton = el('button', { className: overridden ? 'goal overridden' : 'goal', text: goal === 'min' ? '↓' : goal === 'max' ? '↑' : '–', title: `${label} (${overridden ? label : s.goalAuto}) — ${s.goalTitle}`, attrs: { 'aria-label': `${row.key}: ${label}`, 'data-goal': goal } });
      goalButton.addEventListener('click', () => {
        const next = nextGoalOverride(overridden ? ctx.state.goals[row.key] : undefined);
        const goals = { ...ctx.state.goals };
        if (next === undefined) delete goals[row.key];
        else goals[row.key] = next;
        ctx.state.goals = goals;
        ctx.saveState();
        this.render();
      });
      header.append(goalButton);
    }
    const different = isDifferent(row.cells);
    const cells = row.cells.map((cell, i) => {
      const isBest = best.includes(i);
      const td = el('td', { className: [typeof cell === 'number' ? 'num' : '', isBest ? 'best' : ''].filter(Boolean).join(' '), text: cell === undefined ? s.emptyValue : formatCell(cell) });
      if (typeof cell === 'number') td.title = String(cell);
      if (isBest) td.append(el('span', { className: 'best-mark', text: ` ${s.best}` }));
      return td;
    });
    return el('tr', { className: different ? 'differs' : 'same', attrs: { 'data-key': id } }, header, ...cells);
  }
}

const rowId = (row: TableRow) => `${row.section}:${row.key}`;
