// gzip on every core: the input is cut into blocks, each block is compressed by a worker thread
// into a gzip member of its own, and the members are written in order. RFC 1952 allows a file
// to be several members back to back; GNU tar/gzip, Python's tarfile/gzip and Node's zlib read
// them as one stream (pigz does the same with one member and shared dictionaries; independent
// members cost ~0.01 % in size and need no native code). Deflate runs at 20–30 MB/s a core on
// model weights, so this is where an export spends its time.
import * as os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';

export interface ParallelGzipOptions {
  /** zlib level 0–9 (default 6, like gzip). */
  level?: number;
  /** Worker threads (default: every core). */
  threads?: number;
  /** Input bytes per gzip member (default 4 MiB). */
  blockSize?: number;
}

// Evaluated as a worker script, so the bundle needs no separate worker file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', ({ id, data, level }) => {
  try {
    const out = zlib.gzipSync(data, { level });
    const copy = new Uint8Array(out.length);
    copy.set(out);
    parentPort.postMessage({ id, out: copy }, [copy.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});`;

class GzipPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve(b: Buffer): void; reject(e: Error): void }>();
  private nextId = 0;
  private turn = 0;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (!w) return;
        if (m.out) w.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
        else w.reject(new Error(m.error ?? 'gzip worker failed'));
      });
      worker.on('error', (e) => this.failAll(e));
      this.workers.push(worker);
    }
  }

  compress(data: Buffer, level: number): Promise<Buffer> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Transfer a private copy: the block's memory moves to the worker instead of being cloned.
      const copy = new Uint8Array(data.length);
      copy.set(data);
      worker.postMessage({ id, data: copy, level }, [copy.buffer]);
    });
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failAll(new Error('gzip stopped'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A Transform: bytes in, a multi-member gzip out. Holds at most ~2 blocks per thread in memory. */
export function createParallelGzip(options: ParallelGzipOptions = {}): Transform {
  const level = options.level ?? 6;
  const threads = Math.max(1, options.threads ?? os.availableParallelism());
  const blockSize = options.blockSize ?? 4 * 1024 * 1024;
  const maxInFlight = threads * 2;
  const pool = new GzipPool(threads);
  const inFlight: Array<Promise<Buffer>> = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let emitted = false;

  const submit = (block: Buffer) => {
    const p = pool.compress(block, level);
    p.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
    inFlight.push(p);
  };
  const takeBlock = (): Buffer => {
    const all = Buffer.concat(pending, pendingBytes);
    const block = all.subarray(0, blockSize);
    const rest = all.subarray(blockSize);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    return block;
  };

  const stream: Transform = new Transform({
    async transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes >= blockSize) {
          submit(takeBlock());
          // Back-pressure: wait for the oldest block once every worker has two queued.
          while (inFlight.length >= maxInFlight) {
            stream.push(await inFlight.shift()!);
            emitted = true;
          }
        }
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    async flush(done: TransformCallback) {
      try {
        if (pendingBytes > 0) submit(takeBlock());
        while (inFlight.length) {
          stream.push(await inFlight.shift()!);
          emitted = true;
        }
        if (!emitted) stream.push(zlib.gzipSync(Buffer.alloc(0), { level })); // empty input is still a valid gzip file
        await pool.close();
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    destroy(error, callback) {
      void pool.close().finally(() => callback(error));
    },
  });
  return stream;
}
