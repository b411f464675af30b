// ECharts options for one metric's line chart: a series per visible run in the run's colour,
// the chosen x axis, log or linear y (optionally bounded to the 5th–95th percentile), zoom, and
// a tooltip built from DOM nodes with text (run names never become HTML).
import type { CompareSeries, XAxisMode } from '../../../../src/protocol/compare';
import { chartPoints, chartXs, drawnValues, type ChartPoint } from './chartData';
import { bandEdges, groupHistory, type RunGroup } from './groupStats';
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

interface Line {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly points: ChartPoint[];
  /** A group's band around its mean: lower edge and (upper − lower), stacked on it. */
  readonly band?: { readonly lower: ChartPoint[]; readonly width: ChartPoint[] };
}

/** One line per visible run, or per group (its mean, with a band) when runs are grouped. */
function chartLines(ctx: PageContext, series: readonly CompareSeries[]): Line[] {
  const { state } = ctx;
  const hidden = new Set(state.hiddenRuns);
  const visible = series.filter((s) => !hidden.has(s.runId) && s.steps.length > 0);
  const groups = ctx.groups();
  if (!groups) {
    return visible.map((s) => ({ id: s.runId, name: ctx.runName(s.runId), color: ctx.colorOf(s.runId), points: chartPoints(s, state.xAxis, state.smoothing, state.logScale) }));
  }
  return groups.flatMap((group) => groupLine(ctx, group, visible));
}

function groupLine(ctx: PageContext, group: RunGroup, series: readonly CompareSeries[]): Line[] {
  const { state } = ctx;
  const members = new Set(group.runIds);
  const own = series.filter((s) => members.has(s.runId));
  if (own.length === 0) return [];
  const history = groupHistory(own, state.smoothing);
  // The x of a step: the step itself, or the mean over the group's runs of that step's time.
  const xOf = xByStep(own, state.xAxis);
  const xs = history.steps.map((step) => xOf.get(step) ?? step);
  const y = (v: number) => (!Number.isFinite(v) || (state.logScale && v <= 0) ? null : v);
  const { lower, upper } = bandEdges(history, state.band ?? 'std');
  const color = ctx.groupColor(group);
  return [
    {
      id: `group:${group.value ?? ''}`,
      name: ctx.groupLabel(group),
      color,
      points: xs.map((x, i) => [x, y(history.mean[i]!)]),
      band: {
        lower: xs.map((x, i) => [x, y(lower[i]!)]),
        width: xs.map((x, i) => [x, y(lower[i]!) === null || y(upper[i]!) === null ? null : upper[i]! - lower[i]!]),
      },
    },
  ];
}

function xByStep(series: readonly CompareSeries[], xAxis: XAxisMode): Map<number, number> {
  const out = new Map<number, number>();
  if (xAxis === 'step') return out;
  const sums = new Map<number, { sum: number; n: number }>();
  for (const s of series) {
    const xs = chartXs(s, xAxis);
    for (let i = 0; i < s.steps.length; i++) {
      const a = sums.get(s.steps[i]!) ?? { sum: 0, n: 0 };
      a.sum += xs[i]!;
      a.n++;
      sums.set(s.steps[i]!, a);
    }
  }
  for (const [step, a] of sums) out.set(step, a.sum / a.n);
  return out;
}

export function lineChartModel(ctx: PageContext, metricKey: string, series: readonly CompareSeries[], zoom: ZoomWindow | undefined): LineChartModel {
  const { state, theme } = ctx;
  const lines = chartLines(ctx, series);
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
    series: lines.flatMap((line) => [
      {
        id: line.id,
        name: line.name,
        type: 'line',
        data: line.points,
        // A history of a few points is dots, not an invisible zero-length line.
        showSymbol: line.points.length <= 20,
        symbolSize: 5,
        connectNulls: false,
        // Keeps 2,500 points × 100 runs smooth to pan: draws what a pixel column can show.
        sampling: 'lttb',
        lineStyle: { width: line.band ? 2 : 1.5, color: line.color },
        itemStyle: { color: line.color },
        emphasis: { focus: 'series', lineStyle: { width: 3 } },
        clip: true,
      },
      ...(line.band ? bandSeries(line) : []),
    ]),
  };
  return { option, pointCount: allY.length, xExtent };
}

/** The band as two stacked series: an invisible lower edge, then the width filled above it. */
function bandSeries(line: Line): object[] {
  const stack = `band:${line.id}`;
  const common = { type: 'line', stack, symbol: 'none', silent: true, connectNulls: false, clip: true, tooltip: { show: false }, lineStyle: { opacity: 0 } };
  return [
    { ...common, id: `${line.id}:lower`, data: line.band!.lower },
    { ...common, id: `${line.id}:band`, data: line.band!.width, areaStyle: { color: line.color, opacity: 0.2 } },
  ];
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
  const names = new Map(chartLinesMeta(ctx));
  const rows = params
    .filter((p) => !/:(lower|band)$/.test(p.seriesId ?? ''))
    .map((p) => ({ runId: p.seriesId ?? '', point: p.value as ChartPoint | undefined }))
    .filter((r) => r.point && r.point[1] !== null)
    .sort((a, b) => (b.point![1] as number) - (a.point![1] as number));
  const x = params[0]?.axisValue;
  const xText = ctx.state.xAxis === 'wallTime' && typeof x === 'number' ? new Date(x).toLocaleString() : formatNumber(Number(x));
  const box = el('div', { className: 'tip' }, el('div', { className: 'tip-head', text: `${metricKey} · ${xAxisName(ctx, ctx.state.xAxis)} ${xText}` }));
  for (const row of rows.slice(0, TIP_ROWS)) {
    const swatch = el('span', { className: 'swatch' });
    const meta = names.get(row.runId);
    swatch.style.backgroundColor = meta?.color ?? ctx.colorOf(row.runId);
    box.append(el('div', { className: 'tip-row' }, swatch, el('span', { className: 'tip-run', text: meta?.name ?? ctx.runName(row.runId) }), el('span', { className: 'tip-value', text: formatNumber(row.point![1] as number) })));
  }
  if (rows.length > TIP_ROWS) box.append(el('div', { className: 'tip-more', text: `+${rows.length - TIP_ROWS}` }));
  return box;
}

/** Series id → the name and colour a tooltip row shows (groups' mean lines; runs fall back). */
function chartLinesMeta(ctx: PageContext): Array<[string, { name: string; color: string }]> {
  return (ctx.groups() ?? []).map((g) => [`group:${g.value ?? ''}`, { name: `${ctx.groupLabel(g)} (${ctx.strings.mean})`, color: ctx.groupColor(g) }]);
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}
