// Live points into a chart's series, and the zoom that must stay on the same steps while the
// x-axis grows. Pure functions (no DOM): the chart card calls them, the unit tests check them.
import type { CompareSeries } from '../../../../src/protocol/compare';

/** A zoom as ECharts keeps it: percentages of the x extent (the same shape as chartOptions'). */
export interface ZoomWindow {
  readonly start: number;
  readonly end: number;
}

export interface Appended {
  readonly series: CompareSeries[];
  /** Points that were new to the chart (others it held already). */
  readonly added: number;
}

/**
 * `series` with the points of `appended` for `metricKey` that come after each run's last point
 * (a same-step point logged later counts as new). Series are columns (steps, timestamps, values).
 */
export function appendLivePoints(series: readonly CompareSeries[], appended: readonly CompareSeries[], metricKey: string): Appended {
  let added = 0;
  const next = [...series];
  for (const add of appended) {
    if (add.metricKey !== metricKey || add.steps.length === 0) continue;
    const i = next.findIndex((x) => x.runId === add.runId);
    const old = i >= 0 ? next[i] : undefined;
    const n = old ? old.steps.length : 0;
    const lastStep = n ? old!.steps[n - 1]! : -Infinity;
    // A chart drawn by step holds no timestamps: then a point at its last step is one it has.
    const heldTimes = old?.timestamps;
    const lastTime = n && heldTimes ? heldTimes[n - 1]! : n ? Infinity : -Infinity;
    const addTimes = add.timestamps;
    // Answers come in step order: skip the points held already, keep the rest.
    let from = 0;
    while (from < add.steps.length && (add.steps[from]! < lastStep || (add.steps[from] === lastStep && (addTimes?.[from] ?? -Infinity) <= lastTime))) from++;
    const fresh = add.steps.length - from;
    if (fresh === 0) continue;
    added += fresh;
    const join = (held: Float64Array | undefined, more: Float64Array): Float64Array => {
      const out = new Float64Array(n + fresh);
      if (held) out.set(held);
      out.set(more.subarray(from), n);
      return out;
    };
    // Timestamps are kept only when both sides have them (a series has them for every point or none).
    const timestamps = addTimes && (!old || heldTimes) ? join(heldTimes, addTimes) : undefined;
    const merged: CompareSeries = { runId: add.runId, metricKey, sampled: old?.sampled ?? false, steps: join(old?.steps, add.steps), timestamps, values: join(old?.values, add.values) };
    if (old) next[i] = merged;
    else next.push(merged);
  }
  return { series: next, added };
}

/** The x values a zoom window (percentages of `extent`) shows, or undefined when not zoomed. */
export function zoomAnchor(zoom: ZoomWindow | undefined, extent: readonly [number, number] | undefined): readonly [number, number] | undefined {
  if (!zoom || !extent || (zoom.start <= 0 && zoom.end >= 100)) return undefined;
  const span = extent[1] - extent[0];
  return [extent[0] + (span * zoom.start) / 100, extent[0] + (span * zoom.end) / 100];
}

/** The percentages of the new `extent` that show the same x values `anchor` showed. */
export function zoomForAnchor(anchor: readonly [number, number], extent: readonly [number, number]): ZoomWindow {
  const span = extent[1] - extent[0] || 1;
  return { start: Math.max(0, ((anchor[0] - extent[0]) / span) * 100), end: Math.min(100, ((anchor[1] - extent[0]) / span) * 100) };
}
