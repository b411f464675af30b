// What bench/compareFirstPaint.bench.ts reads from files the rig writes: nginx's access log
// (the bytes the panel made the server send) and the host's "first chart … painted" lines in the
// MLWF output channel's log (keep PAINT_LINE in step with src/features/compare/comparePaintTiming.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Paint {
  points: number;
  totalMs: number;
  scriptStartMs: number;
  initReceivedMs: number;
  firstDataMs: number;
  paintedMs: number;
  /** The host's side, ms after the command (NaN: not logged). */
  host: { prefetchStartedMs: number; prefetchLoadedMs: number; firstRequestMs: number; firstReplyMs: number };
  /** The page's clock: the lead chart asked for its histories (NaN: not logged). */
  requestedMs: number;
}

// ---------- nginx access log (combined format: "… "GET /path HTTP/1.1" 200 12345 …") ----------
export function accessLogSize(file: string): number {
  return statSync(file).size;
}

export function accessLogSince(file: string, offset: number): { path: string; status: number; bytes: number }[] {
  const text = readFileSync(file).subarray(offset).toString('utf8');
  return text
    .split('\n')
    .flatMap((line) => {
      const m = /"[A-Z]+ (\S+) HTTP\/[\d.]+" (\d{3}) (\d+)/.exec(line);
      return m ? [{ path: m[1]!, status: Number(m[2]), bytes: Number(m[3]) }] : [];
    });
}

export function findFile(root: string, name: string): string | undefined {
  if (!existsSync(root)) return undefined;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isFile() && entry.name === name) return full;
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    }
  }
  return undefined;
}

// ---------- the host's "first chart … painted" log lines ----------
const PAINT_LINE = /first chart \([^,]*, (\d+) points\) painted (\d+) ms after the command, page script (\d+) ms → init (\d+) ms → data (\d+) ms → painted (\d+) ms\.(?: Host: prefetch (\S+)(?: ms)? → loaded (\S+)(?: ms)?; page asked (\S+)(?: ms)? → sent (\S+)(?: ms)?\.)?(?: Page: asked (\d+) ms\.)?/g;
const hostMs = (text: string | undefined) => (text === undefined || text === '-' ? Number.NaN : Number(text));

export function paintsIn(logFile: string | undefined): Paint[] {
  if (!logFile || !existsSync(logFile)) return [];
  return [...readFileSync(logFile, 'utf8').matchAll(PAINT_LINE)].map((m) => ({
    points: Number(m[1]),
    totalMs: Number(m[2]),
    scriptStartMs: Number(m[3]),
    initReceivedMs: Number(m[4]),
    firstDataMs: Number(m[5]),
    paintedMs: Number(m[6]),
    host: { prefetchStartedMs: hostMs(m[7]), prefetchLoadedMs: hostMs(m[8]), firstRequestMs: hostMs(m[9]), firstReplyMs: hostMs(m[10]) },
    requestedMs: hostMs(m[11]),
  }));
}
