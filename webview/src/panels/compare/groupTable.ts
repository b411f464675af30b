// The Table tab when runs are grouped: one column per group (its colour, label and run count),
// a param row shows the value the group's runs share (or how many values they have), a metric
// row shows mean ± std (n) with the best group's mean marked.
import type { CompareRun } from '../../../../src/protocol/compare';
import { el, format } from './dom';
import { formatStats, groupMetricStats, type RunGroup } from './groupStats';
import type { PageContext } from './pageContext';
import { bestIndexes, formatCell, goalOf } from './tableModel';

export function groupTable(ctx: PageContext, groups: readonly RunGroup[]): HTMLElement {
  const s = ctx.strings;
  const head = el(
    'tr',
    {},
    el('th', { attrs: { scope: 'col' } }),
    ...groups.map((g) => {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.backgroundColor = ctx.groupColor(g);
      return el('th', { attrs: { scope: 'col', 'data-group': g.value ?? '' } }, swatch, el('span', { className: 'run-name', text: ctx.groupLabel(g) }), el('span', { className: 'group-count', text: ` · ${format(s.groupRuns, g.runIds.length)}` }));
    }),
  );
  const members = groups.map((g) => {
    const ids = new Set(g.runIds);
    return ctx.runs.filter((r) => ids.has(r.runId));
  });
  const keys = (pick: (r: CompareRun) => readonly { key: string }[]) => [...new Set(ctx.runs.flatMap((r) => pick(r).map((x) => x.key)))].sort((a, b) => a.localeCompare(b));
  const body = el('tbody');
  const span = String(groups.length + 1);
  body.append(el('tr', { className: 'section' }, el('th', { text: s.parameters, attrs: { colspan: span, scope: 'rowgroup' } })));
  for (const key of keys((r) => r.params)) {
    const cells = members.map((runs) => {
      const values = [...new Set(runs.map((r) => r.params.find((p) => p.key === key)?.value ?? s.emptyValue))];
      return el('td', { text: values.length === 1 ? values[0]! : format(s.groupValues, values.length), title: values.join(', ') });
    });
    body.append(el('tr', { attrs: { 'data-key': `param:${key}` } }, el('th', { text: key, attrs: { scope: 'row' } }), ...cells));
  }
  body.append(el('tr', { className: 'section' }, el('th', { text: s.metricsSection, attrs: { colspan: span, scope: 'rowgroup' } })));
  for (const key of keys((r) => r.metrics)) {
    const stats = groups.map((g) => groupMetricStats(ctx.runs, g, key));
    const best = new Set(bestIndexes(stats.map((x) => x?.mean), goalOf(key, ctx.state.goals)));
    const cells = stats.map((st, i) => {
      const td = el('td', { className: best.has(i) ? 'num best' : 'num', text: formatStats(st, formatCell, s.emptyValue) });
      if (st) {
        td.dataset.mean = String(st.mean);
        td.dataset.std = String(st.std);
        td.dataset.n = String(st.n);
      }
      if (best.has(i)) td.append(el('span', { className: 'best-mark', text: ` ${s.best}` }));
      return td;
    });
    body.append(el('tr', { attrs: { 'data-key': `metric:${key}` } }, el('th', { text: key, attrs: { scope: 'row' } }), ...cells));
  }
  return el('table', { className: 'compare-table grouped' }, el('thead', {}, head), body);
}
