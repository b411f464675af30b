// A chart card for a metric logged once per run: bars drawn from the runs' latest values (no
// history request), its values as text beside it, and PNG/SVG export like the line charts.
import { barChartModel } from './barChartModel';
import { formatNumber } from './chartOptions';
import { chartValuesTable, exportChartAs } from './chartValues';
import { el } from './dom';
import { echarts, type Chart } from './echartsSetup';
import type { FirstPaintInfo } from './historyChartCard';
import type { PageContext } from './pageContext';
import { button, progressRing } from './toolkit';

export class BarCard {
  readonly kind = 'bars';
  readonly element: HTMLElement;
  private readonly chartEl: HTMLElement;
  private readonly statusEl = el('div', { className: 'chart-status' });
  private readonly valuesEl = el('div', { className: 'chart-values' });
  private chart: Chart | undefined;
  private paintedOnce = false;

  constructor(
    private readonly ctx: () => PageContext,
    readonly metricKey: string,
    private readonly onPainted: (info: FirstPaintInfo) => void,
  ) {
    const s = ctx().strings;
    this.chartEl = el('div', { className: 'chart', attrs: { role: 'img', 'aria-label': `${metricKey} (${s.singleValueNote})` } });
    const tools = el('div', { className: 'chart-tools' }, button(s.exportPng, () => this.export('png'), { name: 'export-png' }), button(s.exportSvg, () => this.export('svg'), { name: 'export-svg' }));
    this.element = el(
      'section',
      { className: 'chart-card', attrs: { 'data-metric': metricKey, 'data-kind': 'bars' } },
      el('header', {}, el('h3', { text: metricKey }), el('span', { className: 'chart-note', text: s.singleValueNote }), tools),
      this.statusEl,
      this.chartEl,
      this.valuesEl,
    );
    this.statusEl.hidden = true;
  }

  owns(): boolean {
    return false;
  }

  /** Nothing to fetch: the values are the runs'. */
  request(): void {
    this.draw();
  }

  cancel(): void {}

  /** Drawn after the first history chart (MetricCharts.sync): a ring until then. */
  showWaiting(): void {
    this.statusEl.replaceChildren(progressRing(), el('span', { text: this.ctx().strings.loading }));
    this.statusEl.hidden = false;
  }

  draw(): void {
    const ctx = this.ctx();
    const model = barChartModel(ctx, this.metricKey, formatNumber);
    this.valuesEl.replaceChildren(
      chartValuesTable(
        ctx,
        model.bars.map((b) => ({ id: b.id, name: b.name, value: b.value, best: b.best, ...(b.stats ? { std: b.stats.std, n: b.stats.n } : {}) })),
      ),
    );
    if (model.bars.length === 0) {
      this.statusEl.replaceChildren(el('span', { text: ctx.strings.noHistory }));
      this.statusEl.hidden = false;
      this.chart?.clear();
      return;
    }
    this.statusEl.hidden = true;
    if (!this.chart) {
      this.chart = echarts.init(this.chartEl, undefined, { renderer: 'canvas' });
      this.chart.on('finished', () => this.painted(model.bars.length));
    }
    this.chart.setOption(model.option, { notMerge: true });
  }

  private painted(points: number): void {
    if (this.paintedOnce) return;
    this.paintedOnce = true;
    this.onPainted({ metricKey: this.metricKey, points, firstDataMs: performance.now() });
  }

  highlight(runId: string | undefined): void {
    if (!this.chart) return;
    this.chart.dispatchAction({ type: 'downplay', seriesId: 'bars' });
    const index = runId ? barIndex(this.ctx(), this.metricKey, runId) : -1;
    if (index >= 0) this.chart.dispatchAction({ type: 'highlight', seriesId: 'bars', dataIndex: index });
  }

  resize(): void {
    this.chart?.resize();
  }

  dispose(): void {
    this.chart?.dispose();
  }

  private export(format: 'png' | 'svg'): void {
    if (!this.chart) return;
    exportChartAs(this.ctx(), this.chart, this.chartEl, this.metricKey, format, () => barChartModel(this.ctx(), this.metricKey, formatNumber).option);
  }
}

function barIndex(ctx: PageContext, metricKey: string, runId: string): number {
  if (ctx.groups()) return -1;
  const hidden = new Set(ctx.state.hiddenRuns);
  return ctx.runs.filter((r) => !hidden.has(r.runId) && r.metrics.some((m) => m.key === metricKey)).findIndex((r) => r.runId === runId);
}
