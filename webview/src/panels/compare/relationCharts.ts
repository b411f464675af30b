// The Parallel coordinates and Scatter tabs: which settings win. Parallel: the chosen params
// and one metric as axes, a line per run in its colour. Scatter: any param or metric against any
// metric, a point per run. Values that are not numbers become category axes.
import type { CompareRun } from '../../../../src/protocol/compare';
import { metricKeys, paramKeys } from './chartData';
import { formatNumber } from './chartOptions';
import { el } from './dom';
import { echarts, type Chart, type ChartOption } from './echartsSetup';
import type { PageContext } from './pageContext';
import { checkbox, dropdown } from './toolkit';

type Dimension = { readonly kind: 'param' | 'metric'; readonly key: string };

const dimId = (d: Dimension) => `${d.kind === 'param' ? 'params' : 'metrics'}.${d.key}`;

function valueOf(run: CompareRun, d: Dimension): string | number | undefined {
  if (d.kind === 'metric') return run.metrics.find((m) => m.key === d.key)?.value;
  const text = run.params.find((p) => p.key === d.key)?.value;
  return text !== undefined && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** A numeric axis when every present value is a number, else categories in natural order. */
function axisFor(values: ReadonlyArray<string | number | undefined>): { type: 'value' } | { type: 'category'; data: string[] } {
  const present = values.filter((v) => v !== undefined);
  if (present.every((v) => typeof v === 'number')) return { type: 'value' };
  return { type: 'category', data: [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })) };
}

abstract class RelationView {
  readonly element = el('div', { className: 'relation-view' });
  protected chart: Chart | undefined;
  protected readonly chartEl = el('div', { className: 'chart tall' });

  constructor(protected readonly ctx: () => PageContext) {
    new ResizeObserver(() => this.chart?.resize()).observe(this.chartEl);
  }

  protected draw(option: ChartOption): void {
    this.chart ??= echarts.init(this.chartEl, undefined, { renderer: 'canvas' });
    this.chart.setOption(option, { notMerge: true });
  }

  protected common(): ChartOption {
    const { theme } = this.ctx();
    return {
      animation: false,
      textStyle: { fontFamily: theme.fontFamily, color: theme.foreground },
      tooltip: { trigger: 'item', confine: true, backgroundColor: theme.tooltipBackground, borderColor: theme.tooltipBorder, textStyle: { color: theme.foreground } },
    };
  }

  /** Tooltip of one run: its name and the plotted values, as text nodes. */
  protected tip(runId: string, lines: ReadonlyArray<[string, string | number | undefined]>): HTMLElement {
    const ctx = this.ctx();
    const swatch = el('span', { className: 'swatch' });
    swatch.style.backgroundColor = ctx.colorOf(runId);
    return el(
      'div',
      { className: 'tip' },
      el('div', { className: 'tip-head' }, swatch, el('span', { text: ctx.runName(runId) })),
      ...lines.map(([k, v]) => el('div', { className: 'tip-row' }, el('span', { className: 'tip-run', text: k }), el('span', { className: 'tip-value', text: v === undefined ? ctx.strings.emptyValue : typeof v === 'number' ? formatNumber(v) : v }))),
    );
  }

  abstract render(): void;
}

export class ParallelView extends RelationView {
  private params: string[] | undefined;
  private metric: string | undefined;

  render(): void {
    const ctx = this.ctx();
    const s = ctx.strings;
    const allParams = paramKeys(ctx.runs);
    const allMetrics = metricKeys(ctx.runs);
    this.params = (this.params ?? allParams.slice(0, 6)).filter((p) => allParams.includes(p));
    this.metric = this.metric && allMetrics.includes(this.metric) ? this.metric : ctx.state.chosenMetrics[0] ?? allMetrics[0];
    const paramBoxes = allParams.map((p) =>
      checkbox(p, this.params!.includes(p), (on) => {
        this.params = on ? allParams.filter((k) => k === p || this.params!.includes(k)) : this.params!.filter((k) => k !== p);
        this.render();
      }, `param:${p}`),
    );
    const metricChoice = dropdown(allMetrics.map((m) => ({ value: m, label: m })), this.metric ?? '', (m) => {
      this.metric = m;
      this.render();
    }, s.parallelMetric, 'parallel-metric');
    this.element.replaceChildren(el('div', { className: 'controls' }, el('fieldset', { className: 'metric-choice' }, el('legend', { text: s.parallelParams }), ...paramBoxes), el('div', { className: 'control-row' }, metricChoice)), this.chartEl);
    const dims: Dimension[] = [...this.params.map((key): Dimension => ({ kind: 'param', key })), ...(this.metric ? [{ kind: 'metric', key: this.metric } as Dimension] : [])];
    const visible = ctx.runs.filter((r) => !ctx.state.hiddenRuns.includes(r.runId));
    const { theme } = ctx;
    const axisText = { color: theme.muted };
    this.draw({
      ...this.common(),
      parallel: { left: 48, right: 96, top: 40, bottom: 32 },
      parallelAxis: dims.map((d, dim) => ({ dim, name: d.key, scale: true, ...axisFor(visible.map((r) => valueOf(r, d))), nameTextStyle: { color: theme.foreground }, axisLabel: axisText, axisLine: { lineStyle: { color: theme.grid } } })),
      tooltip: { ...(this.common().tooltip as object), formatter: (p: { data?: { runId?: string } }) => this.tip(p.data?.runId ?? '', dims.map((d) => [d.key, valueOf(ctx.runs.find((r) => r.runId === p.data?.runId)!, d)])) },
      series: [
        {
          type: 'parallel',
          lineStyle: { width: 2, opacity: 0.9 },
          emphasis: { lineStyle: { width: 4 } },
          data: visible.map((r) => ({ runId: r.runId, name: r.name, value: dims.map((d) => valueOf(r, d) ?? '-'), lineStyle: { color: ctx.colorOf(r.runId) } })),
        },
      ],
    });
  }
}

export class ScatterView extends RelationView {
  private x: string | undefined;
  private y: string | undefined;

  render(): void {
    const ctx = this.ctx();
    const s = ctx.strings;
    const dims: Dimension[] = [...paramKeys(ctx.runs).map((key): Dimension => ({ kind: 'param', key })), ...metricKeys(ctx.runs).map((key): Dimension => ({ kind: 'metric', key }))];
    const metricDims = dims.filter((d) => d.kind === 'metric');
    const find = (id: string | undefined) => dims.find((d) => dimId(d) === id);
    const xDim = find(this.x) ?? dims[0];
    const yDim = metricDims.find((d) => dimId(d) === this.y) ?? metricDims.find((d) => d.key === ctx.state.chosenMetrics[0]) ?? metricDims[0];
    this.x = xDim && dimId(xDim);
    this.y = yDim && dimId(yDim);
    const xChoice = dropdown(dims.map((d) => ({ value: dimId(d), label: dimId(d) })), this.x ?? '', (v) => {
      this.x = v;
      this.render();
    }, s.scatterX, 'scatter-x');
    const yChoice = dropdown(metricDims.map((d) => ({ value: dimId(d), label: dimId(d) })), this.y ?? '', (v) => {
      this.y = v;
      this.render();
    }, s.scatterY, 'scatter-y');
    this.element.replaceChildren(el('div', { className: 'controls' }, el('div', { className: 'control-row' }, xChoice, yChoice)), this.chartEl);
    if (!xDim || !yDim) return;
    const { theme } = ctx;
    const visible = ctx.runs.filter((r) => !ctx.state.hiddenRuns.includes(r.runId) && valueOf(r, xDim) !== undefined && valueOf(r, yDim) !== undefined);
    const axis = (d: Dimension) => ({
      name: dimId(d),
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      ...axisFor(visible.map((r) => valueOf(r, d))),
      nameTextStyle: { color: theme.foreground },
      axisLabel: { color: theme.muted },
      axisLine: { lineStyle: { color: theme.grid } },
      splitLine: { lineStyle: { color: theme.grid, opacity: 0.4 } },
    });
    this.draw({
      ...this.common(),
      grid: { left: 64, right: 24, top: 24, bottom: 48 },
      xAxis: axis(xDim),
      yAxis: { ...axis(yDim), nameGap: 48 },
      tooltip: { ...(this.common().tooltip as object), formatter: (p: { data?: { runId?: string; value?: Array<string | number> } }) => this.tip(p.data?.runId ?? '', [[xDim.key, p.data?.value?.[0]], [yDim.key, p.data?.value?.[1]]]) },
      series: [
        {
          type: 'scatter',
          symbolSize: 12,
          emphasis: { focus: 'self' },
          data: visible.map((r) => ({ runId: r.runId, name: r.name, value: [valueOf(r, xDim)!, valueOf(r, yDim)!].map((v) => (typeof v === 'number' ? v : String(v))), itemStyle: { color: ctx.colorOf(r.runId) } })),
        },
      ],
    });
  }
}
