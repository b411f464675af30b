/**
 * get-history-bulk-interval over the file store: the same sampled answer as the server route
 * (steps thinned on the union of the runs' steps, each run's first and last step kept), read in
 * two streaming passes over each metric file so a 1,000,000-line history is never held as a
 * million objects: pass one keeps only the steps (a Float64Array), pass two keeps only the lines
 * on sampled steps. Files of at most `maxResults` lines are read once.
 */
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { sampleStepGrid } from '../compare/stepSampling';
import { cancelledError } from '../mlflow/errors';
import type { BulkIntervalPoint } from '../mlflow/types';
import { parseFloatText } from './runFiles';
import { keyPath, MetaError } from './storeFiles';
import * as l10n from '@vscode/l10n';

export interface IntervalRequest {
  /** Run folders in request order; undefined for a run the store does not have. */
  runs: ReadonlyArray<{ runId: string; dir: string | undefined }>;
  metricKey: string;
  startStep?: number;
  endStep?: number;
  maxResults: number;
  signal?: AbortSignal;
}

/** A growable array of doubles: 8 bytes a step instead of a boxed number in a JS array. */
class StepBuffer {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  /** Ascending, duplicates removed. */
  sortedDistinct(): Float64Array {
    const sorted = this.data.subarray(0, this.length).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
    return sorted.slice(0, n);
  }
}

/** Union of two ascending distinct arrays. */
function mergeDistinct(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (n === 0 || out[n - 1] !== v) out[n++] = v;
  }
  return out.slice(0, n);
}

function metricFile(runDir: string, key: string): string | undefined {
  return keyPath(path.join(runDir, 'metrics'), key);
}

/** Fields of one line: MLflow writes single spaces, anything else goes the slow, general way. */
function fieldsOf(line: string): string[] {
  const fast = line.split(' ');
  return fast.every((f) => f !== '') ? fast : line.trim().split(/\s+/);
}

/**
 * Calls `onLine(fields)` for each non-empty line, reading the file in 1 MiB chunks (readline's
 * per-line events cost more than the parsing here); false when the file does not exist.
 */
async function eachLine(file: string, signal: AbortSignal | undefined, onLine: (fields: string[]) => void): Promise<boolean> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const handle = (line: string) => {
    if (line.trim() === '') return;
    const fields = fieldsOf(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (fields.length < 2 || fields.length > 3) throw new MetaError(file, l10n.t('malformed metric line "{0}"', line.trim()));
    onLine(fields);
  };
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      if (signal?.aborted) throw cancelledError(undefined, signal.reason);
      const text = rest + chunk;
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        handle(text.slice(from, nl));
        from = nl + 1;
      }
      rest = text.slice(from);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return false;
    throw e;
  } finally {
    stream.destroy();
  }
  handle(rest);
  return true;
}

const stepOf = (fields: string[]) => (fields[2] === undefined ? 0 : Number(fields[2]));

export async function readMetricIntervals(req: IntervalRequest): Promise<BulkIntervalPoint[]> {
  const toPoint = (runId: string, fields: string[]): BulkIntervalPoint => ({
    key: req.metricKey,
    value: parseFloatText(fields[1]!),
    timestamp: Number(fields[0]),
    step: stepOf(fields),
    run_id: runId,
  });
  // Pass one: every run's steps, merged into the union; each run's first and last step. A short
  // file's lines are kept as they go by (up to maxResults), so it needs no second read.
  const runs: Array<{ runId: string; file: string; short?: BulkIntervalPoint[] }> = [];
  let union: Float64Array = new Float64Array(0);
  const ends: number[] = [];
  for (const r of req.runs) {
    const file = r.dir === undefined ? undefined : metricFile(r.dir, req.metricKey);
    if (file === undefined) continue;
    const steps = new StepBuffer();
    let short: BulkIntervalPoint[] | undefined = [];
    const found = await eachLine(file, req.signal, (fields) => {
      steps.push(stepOf(fields));
      if (short && short.length < req.maxResults) short.push(toPoint(r.runId, fields));
      else short = undefined;
    });
    if (!found || steps.length === 0) continue;
    runs.push({ runId: r.runId, file, short });
    const distinct = steps.sortedDistinct();
    ends.push(distinct[0]!, distinct[distinct.length - 1]!);
    union = mergeDistinct(union, distinct);
  }
  const start = req.startStep ?? 0;
  const end = req.endStep ?? (union.length ? union[union.length - 1]! : 0);
  const wanted = new Set(sampleStepGrid(union, start, end, req.maxResults));
  for (const s of ends) if (s >= start && s <= end) wanted.add(s);

  // Pass two: the lines on sampled steps, per run in request order, by step then timestamp.
  const out: BulkIntervalPoint[] = [];
  for (const { runId, file, short } of runs) {
    if (wanted.size === 0) break;
    let mine: BulkIntervalPoint[];
    if (short) {
      mine = short.filter((p) => wanted.has(p.step));
    } else {
      mine = [];
      await eachLine(file, req.signal, (fields) => {
        if (wanted.has(stepOf(fields))) mine.push(toPoint(runId, fields));
      });
    }
    mine.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    for (const p of mine) out.push(p);
  }
  return out;
}
