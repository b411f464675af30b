// ECharts options for one metric's line chart: a series per visible run in the run's colour,
// the chosen x axis, log or linear y (optionally bounded to the 5th–95th percentile), zoom, and
// a tooltip built from DOM nodes with text (run names never become HTML).
import type { CompareSeries, XAxisMode } from '../../../../src/protocol/compare';
import { chartPoints, drawnValues, type ChartPoint } from './chartData';
import { el } from './dom';
import type { ChartOption } from './echartsSetup';
import { outlierBounds } from './outliers';
import type { PageContext } from './pageContext';

export interface ZoomWindow {
  readonly start: number;
  readonly end: number;
}

export interface LineChartModel {
  readonly option: ChartOption;
  readonly pointCount: number;
  /** Smallest and largest x drawn (to turn zoom percentages into steps). */
  readonly xExtent: readonly [number, number] | undefined;
}

const TIP_ROWS = 12;

export function lineChartModel(ctx: PageContext, metricKey: string, series: readonly CompareSeries[], zoom: ZoomWindow | undefined): LineChartModel {
  const { state, theme } = ctx;
  const hidden = new Set(state.hiddenRuns);
  const lines = series
    .filter((s) => !hidden.has(s.runId) && s.points.length > 0)
    .map((s) => ({ runId: s.runId, points: chartPoints(s, state.xAxis, state.smoothing, state.logScale) }));
  const allY = lines.flatMap((l) => drawnValues(l.points));
  // A loop, not Math.min(...xs): 100 runs × 2,500 points is past the engine's argument limit.
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const line of lines) {
    for (const p of line.points) {
      if (p[0] < xMin) xMin = p[0];
      if (p[0] > xMax) xMax = p[0];
    }
  }
  const xExtent = xMin <= xMax ? ([xMin, xMax] as const) : undefined;
  const bounds = state.ignoreOutliers ? outlierBounds(allY) : undefined;
  const axisText = { color: theme.muted, fontFamily: theme.fontFamily };
  const option: ChartOption = {
    animation: false,
    textStyle: { fontFamily: theme.fontFamily, color: theme.foreground },
    grid: { left: 56, right: 24, top: 16, bottom: 64 },
    xAxis: {
      type: state.xAxis === 'wallTime' ? 'time' : 'value',
      name: xAxisName(ctx, state.xAxis),
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: axisText,
      axisLabel: axisText,
      axisLine: { lineStyle: { color: theme.grid } },
      splitLine: { show: false },
      scale: true,
    },
    yAxis: {
      type: state.logScale ? 'log' : 'value',
      scale: true,
      min: bounds?.min,
      max: bounds?.max,
      axisLabel: { ...axisText, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: theme.grid, opacity: 0.5 } },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', start: zoom?.start ?? 0, end: zoom?.end ?? 100 },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 16, bottom: 4, start: zoom?.start ?? 0, end: zoom?.end ?? 100, textStyle: axisText, borderColor: theme.grid },
    ],
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: theme.tooltipBackground,
      borderColor: theme.tooltipBorder,
      textStyle: { color: theme.foreground, fontFamily: theme.fontFamily },
      formatter: (params: unknown) => tooltip(ctx, metricKey, Array.isArray(params) ? params : [params]),
    },
    series: lines.map((line) => ({
      id: line.runId,
      name: ctx.runName(line.runId),
      type: 'line',
      data: line.points,
      // A history of a few points is dots, not an invisible zero-length line.
      showSymbol: line.points.length <= 20,
      symbolSize: 5,
      connectNulls: false,
      // Keeps 2,500 points × 100 runs smooth to pan: draws what a pixel column can show.
      sampling: 'lttb',
      lineStyle: { width: 1.5, color: ctx.colorOf(line.runId) },
      itemStyle: { color: ctx.colorOf(line.runId) },
      emphasis: { focus: 'series', lineStyle: { width: 3 } },
      clip: true,
    })),
  };
  return { option, pointCount: allY.length, xExtent };
}

function xAxisName(ctx: PageContext, mode: XAxisMode): string {
  const s = ctx.strings;
  return mode === 'step' ? s.xStep : mode === 'wallTime' ? s.xWallTime : `${s.xRelativeTime} (${s.seconds})`;
}

interface TipParam {
  readonly seriesId?: string;
  readonly value?: unknown;
  readonly axisValue?: unknown;
}

/** Hover box: x value, then run · value rows (the nearest values first), as text nodes. */
function tooltip(ctx: PageContext, metricKey: string, params: readonly TipParam[]): HTMLElement {
  const rows = params
    .map((p) => ({ runId: p.seriesId ?? '', point: p.value as ChartPoint | undefined }))
    .filter((r) => r.point && r.point[1] !== null)
    .sort((a, b) => (b.point![1] as number) - (a.point![1] as number));
  const x = params[0]?.axisValue;
  const xText = ctx.state.xAxis === 'wallTime' && typeof x === 'number' ? new Date(x).toLocaleString() : formatNumber(Number(x));
  const box = el('div', { className: 'tip' }, el('div', { className: 'tip-head', text: `${metricKey} · ${xAxisName(ctx, ctx.state.xAxis)} ${xText}` }));
  for (const row of rows.slice(0, TIP_ROWS)) {
    const swatch = el('span', { className: 'swatch' });
    swatch.style.backgroundColor = ctx.colorOf(row.runId);
    box.append(el('div', { className: 'tip-row' }, swatch, el('span', { className: 'tip-run', text: ctx.runName(row.runId) }), el('span', { className: 'tip-value', text: formatNumber(row.point![1] as number) })));
  }
  if (rows.length > TIP_ROWS) box.append(el('div', { className: 'tip-more', text: `+${rows.length - TIP_ROWS}` }));
  return box;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}
