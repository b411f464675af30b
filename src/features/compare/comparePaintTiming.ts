// The timings of a compare panel's first paint: what the page measured (its `firstPaint`
// message) and what the host saw, for the output channel's log line, the test API and
// bench/compareFirstPaint.bench.ts (which parses that line: keep its wording).
import type { FirstPaintMessage } from '../../protocol/compare';

/** The timings one first paint produced, for the log, the test API and the benchmark. */
export interface ComparePaintTiming {
  readonly commandToPaintMs: number | undefined;
  readonly page: Omit<FirstPaintMessage, 'type'>;
  /** The host's side, in ms after the command (undefined: did not happen before the paint). */
  readonly host: HostPaintTiming;
}

export interface HostPaintTiming {
  /** The lead chart's histories prefetched at open: started, and loaded. */
  prefetchStartedMs?: number;
  prefetchLoadedMs?: number;
  /** The page's first history request arrived, and its reply was posted. */
  firstRequestMs?: number;
  firstReplyMs?: number;
}

/** The log line of a first paint; `timed`: the panel was opened by a command (host timings exist). */
export function paintLogLine(message: FirstPaintMessage, timing: ComparePaintTiming, timed: boolean): string {
  const { page } = timing;
  const total = timing.commandToPaintMs !== undefined ? `${timing.commandToPaintMs} ms after the command, ` : '';
  const at = (ms: number | undefined) => (ms === undefined ? '-' : `${ms} ms`);
  const h = timing.host;
  const host = timed ? ` Host: prefetch ${at(h.prefetchStartedMs)} → loaded ${at(h.prefetchLoadedMs)}; page asked ${at(h.firstRequestMs)} → sent ${at(h.firstReplyMs)}.` : '';
  const pageMore = page.requestedMs !== undefined ? ` Page: asked ${Math.round(page.requestedMs)} ms.` : '';
  return `Compare: first chart (${message.metricKey}, ${message.points} points) painted ${total}page script ${Math.round(page.scriptStartMs)} ms → init ${Math.round(page.initReceivedMs)} ms → data ${Math.round(page.firstDataMs)} ms → painted ${Math.round(page.paintedMs)} ms.${host}${pageMore}`;
}
