// One history metric's chart card: asks the host for the runs' histories with an id-matched
// request (a newer request for the card cancels the older one), draws them, re-fetches a zoomed
// step range at full resolution, appends live points and exports itself as PNG or SVG.
import { readSeries, type CompareHistoryErrorMessage, type CompareHistoryMessage, type CompareLeadHistoryMessage, type CompareSeries, type CompareSeriesColumns, type CompareStepRange } from '../../../../src/protocol/compare';
import { needsTimestamps } from './chartData';
import { lineChartModel, type ZoomWindow } from './chartOptions';
import { chartValuesTable, exportChartAs, groupHistoryRows } from './chartValues';
import { appendLivePoints, zoomAnchor, zoomForAnchor } from './liveAppend';
import { el, format } from './dom';
import { echarts, type Chart } from './echartsSetup';

import type { PageContext } from './pageContext';
import { button, progressRing } from './toolkit';

let requestCounter = 0;

/** When the page first drew a chart with data: the host logs it and the benchmark reads it. */
export interface FirstPaintInfo {
  readonly metricKey: string;
  readonly points: number;
  readonly firstDataMs: number;
  readonly requestedMs?: number;
}

export class ChartCard {
  readonly kind = 'history';
  readonly element: HTMLElement;
  private readonly chartEl: HTMLElement;
  private readonly valuesEl = el('div', { className: 'chart-values' });
  private readonly statusEl: HTMLElement;
  private readonly noteEl: HTMLElement;
  private chart: Chart | undefined;
  private series: CompareSeries[] | undefined;
  private requestId: number | undefined;
  /** The step range the current series were fetched for (undefined: the whole history). */
  private range: CompareStepRange | undefined;
  private zoom: ZoomWindow | undefined;
  private xExtent: readonly [number, number] | undefined;
  private zoomTimer: ReturnType<typeof setTimeout> | undefined;
  private receivedAt = 0;
  private requestedAt = 0;

  constructor(
    private readonly ctx: () => PageContext,
    readonly metricKey: string,
    private readonly onPainted: (info: FirstPaintInfo) => void,
  ) {
    const s = ctx().strings;
    this.statusEl = el('div', { className: 'chart-status' });
    this.noteEl = el('span', { className: 'chart-note' });
    this.chartEl = el('div', { className: 'chart', attrs: { role: 'img', 'aria-label': metricKey } });
    const tools = el(
      'div',
      { className: 'chart-tools' },
      button(s.resetZoom, () => this.resetZoom(), { name: 'reset-zoom' }),
      button(s.exportPng, () => this.export('png'), { name: 'export-png' }),
      button(s.exportSvg, () => this.export('svg'), { name: 'export-svg' }),
    );
    this.element = el('section', { className: 'chart-card', attrs: { 'data-metric': metricKey, 'data-kind': 'history' } }, el('header', {}, el('h3', { text: metricKey }), this.noteEl, tools), this.statusEl, this.chartEl, this.valuesEl);
  }

  owns(requestId: number): boolean {
    return this.requestId === requestId;
  }

  /** Asks for the histories (all runs of the panel; hidden runs are only not drawn). */
  request(range?: CompareStepRange): void {
    const ctx = this.ctx();
    this.cancel();
    this.awaitingPush = false;
    const runIds = ctx.runs.map((r) => r.runId);
    if (runIds.length === 0) return;
    this.requestId = ++requestCounter;
    this.requestedAt = performance.now();
    this.range = range;
    this.showStatus(ctx.strings.loading, true);
    // Timestamps only for a time axis: drawn by step, a point costs its value alone (8 bytes).
    const timestamps = ctx.state.xAxis !== 'step';
    ctx.post({ type: 'requestHistory', requestId: this.requestId, metricKey: this.metricKey, runIds, ...(range ? { range } : {}), ...(timestamps ? { timestamps } : {}) });
  }

  /** Shows "loading" while the card waits for its turn to ask (see MetricCharts.sync). */
  showWaiting(): void {
    this.showStatus(this.ctx().strings.loading, true);
  }

  /** The host sends this chart's histories unasked (`init.leadMetric`): wait for them. */
  awaitPush(): void {
    this.awaitingPush = true;
    this.requestedAt = performance.now();
    this.showWaiting();
  }

  get waitsForPush(): boolean {
    return this.awaitingPush;
  }

  /** The pushed histories: drawn as a reply to a request would be. */
  adopt(message: CompareLeadHistoryMessage): void {
    this.awaitingPush = false;
    this.accept(message.series);
  }

  private awaitingPush = false;

  cancel(): void {
    if (this.requestId !== undefined) this.ctx().post({ type: 'cancelHistory', requestId: this.requestId });
    this.requestId = undefined;
  }

  received(message: CompareHistoryMessage): void {
    this.requestId = undefined;
    this.accept(message.series);
  }

  private accept(columns: readonly CompareSeriesColumns[]): void {
    this.receivedAt = performance.now();
    const fetched = columns.map(readSeries);
    // Live points that came while the fetch was in flight; those it already has are dropped.
    this.series = appendLivePoints(fetched, this.pendingLive.splice(0), this.metricKey).series;
    if (this.range) this.zoom = undefined; // the fetched range is the whole x extent now
    this.draw();
  }

  failed(message: CompareHistoryErrorMessage): void {
    this.requestId = undefined;
    this.pendingLive.length = 0; // Retry fetches the whole history again, new points included
    const s = this.ctx().strings;
    this.statusEl.replaceChildren(el('span', { className: 'error', text: format(s.loadFailed, message.message) }), button(s.retry, () => this.request(this.range), { name: 'retry' }));
    this.statusEl.hidden = false;
  }

  /**
   * Live points of running runs: appended to the series drawn (points the card already holds are
   * dropped), redrawn in place so the zoom window stays on the same steps and hidden runs stay
   * hidden. A card still waiting for its history gets them with it instead.
   */
  append(appended: readonly CompareSeries[]): number {
    if (this.requestId !== undefined || this.awaitingPush) {
      // A history fetch is in flight and may predate these points: add them when it answers.
      this.pendingLive.push(...appended.filter((x) => x.metricKey === this.metricKey));
      return 0;
    }
    if (!this.series) return 0;
    const { series, added } = appendLivePoints(this.series, appended, this.metricKey);
    if (added === 0) return 0;
    // The zoom is kept as the steps it shows, not as percentages of an extent that just grew.
    const anchor = zoomAnchor(this.zoom, this.xExtent);
    this.series = series;
    this.liveDraw = true;
    try {
      this.draw(anchor);
    } finally {
      this.liveDraw = false;
    }
    this.appendedPoints += added;
    this.element.dataset.livePoints = String(this.appendedPoints);
    return added;
  }

  private appendedPoints = 0;
  private readonly pendingLive: CompareSeries[] = [];

  draw(anchor?: readonly [number, number]): void {
    if (!this.series) return;
    const ctx = this.ctx();
    // The x axis became a time: these series came without timestamps, so ask for them (the
    // chart keeps showing the steps until they come).
    if (needsTimestamps(this.series, ctx.state.xAxis)) {
      if (this.requestId === undefined) this.request(this.range);
      return;
    }
    let model = lineChartModel(ctx, this.metricKey, this.series, this.zoom);
    if (anchor && model.xExtent) {
      this.zoom = zoomForAnchor(anchor, model.xExtent);
      model = lineChartModel(ctx, this.metricKey, this.series, this.zoom);
    }
    this.xExtent = model.xExtent;
    const sampled = this.series.some((s) => s.sampled);
    this.noteEl.textContent = sampled ? ctx.strings.sampledNote : '';
    if (model.pointCount === 0) {
      this.showStatus(ctx.strings.noHistory, false);
      this.chart?.clear();
      return;
    }
    this.statusEl.hidden = true;
    if (!this.chart) {
      this.chart = echarts.init(this.chartEl, undefined, { renderer: 'canvas' });
      this.chart.on('datazoom', () => this.zoomed());
      this.chart.on('finished', () => this.painted(model.pointCount));
    }
    // A live append merges into the chart (series replaced, the rest kept): no redraw from scratch.
    this.chart.setOption(model.option, anchor !== undefined || this.liveDraw ? { replaceMerge: ['series'] } : { notMerge: true });
    // Grouped: each group's mean ± std at its last step, as text (a canvas says nothing to a screen reader).
    const groups = ctx.groups();
    this.valuesEl.replaceChildren(...(groups ? [chartValuesTable(ctx, groupHistoryRows(ctx, groups, this.series))] : []));
  }

  /** Set while drawing a live append without a zoom anchor. */
  private liveDraw = false;

  private paintedOnce = false;

  /** A chart is drawn and has not yet said it is on the screen (its first `finished`). */
  get paintPending(): boolean {
    return this.chart !== undefined && !this.paintedOnce && this.series !== undefined;
  }
  private painted(points: number): void {
    if (this.paintedOnce) return;
    this.paintedOnce = true;
    this.onPainted({ metricKey: this.metricKey, points, firstDataMs: this.receivedAt, requestedMs: this.requestedAt });
  }

  highlight(runId: string | undefined): void {
    if (!this.chart) return;
    this.chart.dispatchAction({ type: 'downplay' });
    if (runId) this.chart.dispatchAction({ type: 'highlight', seriesId: runId });
  }

  resize(): void {
    this.chart?.resize();
  }

  dispose(): void {
    this.cancel();
    this.awaitingPush = false;
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.chart?.dispose();
  }

  private showStatus(text: string, busy: boolean): void {
    this.statusEl.replaceChildren(...(busy ? [progressRing()] : []), el('span', { text }));
    this.statusEl.hidden = false;
  }

  /** Zoom by wheel or slider: after the user pauses, fetch that step range at full resolution. */
  private zoomed(): void {
    const option = this.chart?.getOption() as { dataZoom?: Array<{ start?: number; end?: number }> } | undefined;
    const dz = option?.dataZoom?.[0];
    if (!dz) return;
    this.zoom = { start: dz.start ?? 0, end: dz.end ?? 100 };
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    const ctx = this.ctx();
    if (ctx.state.xAxis !== 'step' || !this.series?.some((s) => s.sampled) || !this.xExtent) return;
    this.zoomTimer = setTimeout(() => {
      const [lo, hi] = this.xExtent!;
      const span = hi - lo;
      const minStep = Math.floor(lo + (span * this.zoom!.start) / 100);
      const maxStep = Math.ceil(lo + (span * this.zoom!.end) / 100);
      if (this.zoom!.start > 0 || this.zoom!.end < 100) this.request({ minStep, maxStep });
    }, 400);
  }

  private resetZoom(): void {
    this.zoom = undefined;
    if (this.range) this.request(undefined);
    else this.draw();
  }

  /** PNG from the canvas as drawn; SVG by drawing the same option once with the SVG renderer. */
  private export(format: 'png' | 'svg'): void {
    if (!this.chart || !this.series) return;
    const series = this.series;
    exportChartAs(this.ctx(), this.chart, this.chartEl, this.metricKey, format, () => lineChartModel(this.ctx(), this.metricKey, series, this.zoom).option);
  }
}
