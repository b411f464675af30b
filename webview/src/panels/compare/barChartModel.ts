// A metric logged once per run (`rmse`, `r2`) as bars: one per visible run in its colour, the best
// marked (lower or higher is better by the metric's name, or the user's choice in the table), or,
// when runs are grouped, one per group at its mean with error whiskers (± std or min–max). The
// values come from the runs' latest metrics, so a bar chart needs no history request.
import type { CompareRun } from '../../../../src/protocol/compare';
import type { ChartOption } from './echartsSetup';
import { groupMetricStats, type RunGroup, type Stats } from './groupStats';
import type { PageContext } from './pageContext';
import { bestIndexes, goalOf } from './tableModel';

export interface Bar {
  /** Run id, or `group:<value>`. */
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly value: number;
  readonly best: boolean;
  /** Grouped bars: the spread the whisker shows, and the group's stats. */
  readonly whisker?: { readonly low: number; readonly high: number };
  readonly stats?: Stats;
}

export interface BarChartModel {
  readonly option: ChartOption;
  readonly bars: readonly Bar[];
}

export function barsOf(ctx: PageContext, metricKey: string): Bar[] {
  const { state } = ctx;
  const goal = goalOf(metricKey, state.goals);
  const groups = ctx.groups();
  if (groups) return groupBars(ctx, groups, metricKey, goal);
  const hidden = new Set(state.hiddenRuns);
  const runs = ctx.runs.filter((r) => !hidden.has(r.runId) && valueOf(r, metricKey) !== undefined);
  const values = runs.map((r) => valueOf(r, metricKey)!);
  const best = new Set(bestIndexes(values, goal));
  return runs.map((r, i) => ({ id: r.runId, name: r.name, color: ctx.colorOf(r.runId), value: values[i]!, best: best.has(i) }));
}

function groupBars(ctx: PageContext, groups: readonly RunGroup[], metricKey: string, goal: ReturnType<typeof goalOf>): Bar[] {
  const band = ctx.state.band ?? 'std';
  const withStats = groups.flatMap((g) => {
    const s = groupMetricStats(ctx.runs, g, metricKey);
    return s ? [{ g, s }] : [];
  });
  const best = new Set(bestIndexes(withStats.map((x) => x.s.mean), goal));
  return withStats.map(({ g, s }, i) => ({
    id: `group:${g.value ?? ''}`,
    name: ctx.groupLabel(g),
    color: ctx.groupColor(g),
    value: s.mean,
    best: best.has(i),
    whisker: band === 'minMax' ? { low: s.min, high: s.max } : { low: s.mean - s.std, high: s.mean + s.std },
    stats: s,
  }));
}

const valueOf = (run: CompareRun, key: string) => run.metrics.find((m) => m.key === key)?.value;

export function barChartModel(ctx: PageContext, metricKey: string, format: (v: number) => string): BarChartModel {
  const { theme, state } = ctx;
  const bars = barsOf(ctx, metricKey);
  const axisText = { color: theme.muted, fontFamily: theme.fontFamily };
  const drawable = (v: number) => Number.isFinite(v) && (!state.logScale || v > 0);
  const option: ChartOption = {
    animation: false,
    textStyle: { fontFamily: theme.fontFamily, color: theme.foreground },
    grid: { left: 56, right: 24, top: 24, bottom: 72 },
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.name),
      axisLabel: { ...axisText, rotate: bars.length > 6 ? 30 : 0, width: 120, overflow: 'truncate', interval: 0, hideOverlap: true },
      axisLine: { lineStyle: { color: theme.grid } },
    },
    yAxis: {
      type: state.logScale ? 'log' : 'value',
      scale: state.logScale,
      axisLabel: { ...axisText, formatter: (v: number) => format(v) },
      splitLine: { lineStyle: { color: theme.grid, opacity: 0.5 } },
    },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: theme.tooltipBackground,
      borderColor: theme.tooltipBorder,
      textStyle: { color: theme.foreground, fontFamily: theme.fontFamily },
      // A DOM node built from text, as in chartOptions' tooltip: run names never become HTML.
      formatter: (p: { dataIndex?: number }) => barTip(bars[p.dataIndex ?? -1], metricKey, ctx, format),
    },
    series: [
      {
        id: 'bars',
        type: 'bar',
        barMaxWidth: 48,
        data: bars.map((b) => ({
          value: drawable(b.value) ? b.value : null,
          itemStyle: { color: b.color, borderColor: b.best ? theme.foreground : b.color, borderWidth: b.best ? 2 : 0 },
          label: { show: b.best, position: 'top', formatter: `★ ${ctx.strings.best}`, color: theme.foreground, fontFamily: theme.fontFamily },
        })),
      },
      ...(bars.some((b) => b.whisker)
        ? [
            {
              id: 'whiskers',
              type: 'custom',
              silent: true,
              z: 3,
              data: bars.map((b, i) => [i, b.whisker?.low ?? b.value, b.whisker?.high ?? b.value]),
              renderItem: whisker(theme.foreground),
            },
          ]
        : []),
    ],
  };
  return { option, bars };
}

type Api = { value(i: number): number; coord(p: [number, number]): [number, number]; size(p: [number, number]): [number, number] };

/** An error bar: a vertical line from low to high with caps a third of the bar's width. */
function whisker(color: string) {
  return (_params: unknown, api: Api) => {
    const i = api.value(0);
    const low = api.coord([i, api.value(1)]);
    const high = api.coord([i, api.value(2)]);
    const cap = Math.min(api.size([1, 0])[0] * 0.15, 10);
    const style = { stroke: color, lineWidth: 1.5 };
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
        { type: 'line', shape: { x1: low[0] - cap, y1: low[1], x2: low[0] + cap, y2: low[1] }, style },
        { type: 'line', shape: { x1: high[0] - cap, y1: high[1], x2: high[0] + cap, y2: high[1] }, style },
      ],
    };
  };
}

function barTip(bar: Bar | undefined, metricKey: string, ctx: PageContext, format: (v: number) => string): HTMLElement | string {
  if (!bar) return '';
  const box = document.createElement('div');
  box.className = 'tip';
  const head = document.createElement('div');
  head.className = 'tip-head';
  head.textContent = `${metricKey} · ${bar.name}`;
  const value = document.createElement('div');
  value.textContent = bar.stats
    ? `${ctx.strings.mean} ${format(bar.stats.mean)} ± ${format(bar.stats.std)} · min ${format(bar.stats.min)} · max ${format(bar.stats.max)} · n=${bar.stats.n}`
    : format(bar.value) + (bar.best ? ` ★ ${ctx.strings.best}` : '');
  box.append(head, value);
  return box;
}
