// What a chart shows, as text beside its canvas: a small table of each bar's (or each group's)
// values for screen readers and for copying, and the tests' way to read a chart's numbers.
// Also the PNG/SVG export every card shares.
import type { CompareSeries } from '../../../../src/protocol/compare';
import { formatNumber } from './chartOptions';
import { el } from './dom';
import type { Chart, ChartOption } from './echartsSetup';
import { echarts } from './echartsSetup';
import { groupHistory, type RunGroup } from './groupStats';
import type { PageContext } from './pageContext';

export interface ValueRow {
  /** Run id or `group:<value>`. */
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly std?: number;
  readonly n?: number;
  /** The step the value is at (a group history's last step). */
  readonly step?: number;
  readonly best?: boolean;
}

/** Each group's mean ± std at the last step any of its runs logged. */
export function groupHistoryRows(ctx: PageContext, groups: readonly RunGroup[], series: readonly CompareSeries[]): ValueRow[] {
  const hidden = new Set(ctx.state.hiddenRuns);
  return groups.flatMap((g) => {
    const members = new Set(g.runIds);
    const h = groupHistory(series.filter((s) => members.has(s.runId) && !hidden.has(s.runId)), ctx.state.smoothing);
    const last = h.steps.length - 1;
    if (last < 0) return [];
    return [{ id: `group:${g.value ?? ''}`, name: ctx.groupLabel(g), value: h.mean[last]!, std: h.std[last]!, n: h.n[last]!, step: h.steps[last]! }];
  });
}

export function chartValuesTable(ctx: PageContext, rows: readonly ValueRow[]): HTMLElement {
  const s = ctx.strings;
  const grouped = rows.some((r) => r.std !== undefined);
  const head = el('tr', {}, el('th', { text: grouped ? s.group : s.run }), ...(rows.some((r) => r.step !== undefined) ? [el('th', { text: s.step })] : []), el('th', { text: grouped ? s.mean : s.value }), ...(grouped ? [el('th', { text: '±' }), el('th', { text: 'n' })] : []));
  const body = rows.map((r) =>
    el(
      'tr',
      { attrs: { 'data-id': r.id, 'data-value': String(r.value), ...(r.std !== undefined ? { 'data-std': String(r.std) } : {}), ...(r.n !== undefined ? { 'data-n': String(r.n) } : {}), ...(r.best ? { 'data-best': 'true' } : {}) } },
      el('td', { text: r.name }),
      ...(r.step !== undefined ? [el('td', { text: String(r.step) })] : []),
      el('td', { text: formatNumber(r.value) + (r.best ? ` ★ ${s.best}` : '') }),
      ...(r.std !== undefined ? [el('td', { text: formatNumber(r.std) }), el('td', { text: String(r.n ?? '') })] : []),
    ),
  );
  return el('details', { className: 'values' }, el('summary', { text: s.value }), el('table', {}, el('thead', {}, head), el('tbody', {}, ...body)));
}

/** PNG from the canvas as drawn; SVG by drawing the same option once with the SVG renderer. */
export function exportChartAs(ctx: PageContext, chart: Chart, chartEl: HTMLElement, metricKey: string, format: 'png' | 'svg', option: () => ChartOption): void {
  if (format === 'png') {
    const data = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: ctx.theme.background });
    ctx.post({ type: 'exportChart', format, metricKey, data });
    return;
  }
  const holder = el('div');
  const svg = echarts.init(holder, undefined, { renderer: 'svg', ssr: true, width: chartEl.clientWidth || 800, height: chartEl.clientHeight || 320 });
  try {
    svg.setOption({ ...option(), backgroundColor: ctx.theme.background, dataZoom: [], tooltip: { show: false } });
    ctx.post({ type: 'exportChart', format, metricKey, data: svg.renderToSVGString() });
  } finally {
    svg.dispose();
  }
}
