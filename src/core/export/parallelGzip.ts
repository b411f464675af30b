// gzip on several cores: the input is cut into blocks, each block is compressed on its own into
// a gzip member (zlib's asynchronous API runs on libuv's thread pool, in parallel), and the
// members are written in order. RFC 1952 allows a file to be several members back to back; GNU
// tar/gzip, Python's tarfile/gzip and Node's zlib read them as one stream (pigz does the same
// with shared dictionaries; independent 1 MiB members cost ~0.01 % in size and need no native
// code). Deflate runs at 20–30 MB/s a core on model weights, so this is where an export spends
// its time, unless the block is weights, whose values deflate's string matching cannot shorten:
// those are Huffman coded only (Lane.member), 3× faster for the same size.
//
// Each block in flight has its own lane of zlib contexts, kept for the whole stream
// (reusableDeflate.ts says why: a fresh context and output buffer per block fragmented the heap).
//
// Why the thread pool and not worker_threads: workers compressing with zlib's sync API left
// ~150 MB of freed-but-retained memory in their malloc arenas (peak RSS 220+ MiB vs ~90 MiB
// here, same speed). The pool has UV_THREADPOOL_SIZE threads (4 unless the process sets more
// before first use; the CLI sets it to the core count).
import * as os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { ReusableDeflate } from './reusableDeflate';

export interface ParallelGzipOptions {
  /** zlib level 0–9 (default 6, like gzip). */
  level?: number;
  /** Blocks compressed at once (default: every core; libuv's pool size caps the real parallelism). */
  threads?: number;
  /** Input bytes per gzip member (default 1 MiB: 18 bytes of header and trailer each, little memory in flight). */
  blockSize?: number;
}

/** Blocks smaller than this are compressed the usual way (the test would cost more than it saves). */
const SAMPLED_BLOCK = 256 * 1024;
const SAMPLE = 8 * 1024;
/** Deflate's string matching must save at least this share over Huffman coding alone to be used. */
const MATCH_GAIN = 0.02;

const bytesOf = (parts: Buffer[]) => parts.reduce((n, p) => n + p.length, 0);

/**
 * One compression lane: a block at a time, with its compressors kept for the whole stream (see
 * reusableDeflate.ts for what a fresh zlib context per block cost in memory).
 */
class Lane {
  private readonly gzip = new Map<number, ReusableDeflate>();
  private sampler: { matched: ReusableDeflate; huffman: ReusableDeflate; sample: Buffer } | undefined;

  constructor(private readonly level: number) {}

  private gzipFor(strategy: number): ReusableDeflate {
    let gz = this.gzip.get(strategy);
    if (!gz) this.gzip.set(strategy, (gz = new ReusableDeflate('gzip', this.level, strategy)));
    return gz;
  }

  /**
   * Whether deflate's search for repeated strings pays off on this block, judged on four 8 KiB
   * samples spread over it. Model weights (fp16/bf16/fp32 values) hold almost no repeated strings:
   * on them the search is ~2/3 of deflate's time and gains nothing (measured on 256 MiB of fp16
   * weights at level 6: 7.1 s of CPU and 92.11 % of the size, Huffman coding alone 2.6 s and
   * 92.08 %). Text, code and JSON gain 25–50 % from it, and keep it.
   */
  private async matchesPayOff(block: Buffer): Promise<boolean> {
    this.sampler ??= {
      matched: new ReusableDeflate('raw', this.level, zlib.constants.Z_DEFAULT_STRATEGY),
      huffman: new ReusableDeflate('raw', this.level, zlib.constants.Z_HUFFMAN_ONLY),
      sample: Buffer.allocUnsafe(4 * SAMPLE),
    };
    const { matched, huffman, sample } = this.sampler;
    const step = Math.floor(block.length / 4);
    for (let i = 0; i < 4; i++) block.copy(sample, i * SAMPLE, i * step, i * step + SAMPLE);
    const [m, h] = await Promise.all([matched.compress(sample), huffman.compress(sample)]);
    return bytesOf(m) < bytesOf(h) * (1 - MATCH_GAIN);
  }

  async strategyFor(block: Buffer): Promise<number> {
    const huffmanOnly = this.level > 0 && block.length >= SAMPLED_BLOCK && !(await this.matchesPayOff(block));
    return huffmanOnly ? zlib.constants.Z_HUFFMAN_ONLY : zlib.constants.Z_DEFAULT_STRATEGY;
  }

  /**
   * One block, one gzip member, in 64 KiB pieces. A block whose bytes hold no repeated strings
   * (weights) is Huffman coded only: the same size, a third of the CPU.
   */
  async member(block: Buffer): Promise<Buffer[]> {
    return this.gzipFor(await this.strategyFor(block)).compress(block);
  }

  close(): void {
    for (const gz of this.gzip.values()) gz.close();
    this.sampler?.matched.close();
    this.sampler?.huffman.close();
  }
}

/** The zlib strategy for one block: Huffman coding alone where string matching would not pay. */
export async function blockStrategy(block: Buffer, level: number): Promise<number> {
  const lane = new Lane(level);
  try {
    return await lane.strategyFor(block);
  } finally {
    lane.close();
  }
}

/**
 * A Transform: bytes in, a multi-member gzip out. Holds `threads` blocks being compressed and
 * their output, the block being filled, and one zlib context set per thread.
 */
export function createParallelGzip(options: ParallelGzipOptions = {}): Transform {
  const level = options.level ?? 6;
  const threads = Math.max(1, options.threads ?? os.availableParallelism());
  const blockSize = options.blockSize ?? 1024 * 1024;
  const inFlight: Array<Promise<Buffer[]>> = [];
  // Input blocks are reused once compressed (a fresh 1 MiB buffer per block is garbage that lingers).
  const spare: Buffer[] = [];
  // One lane per block in flight; a lane is free again once its block is compressed.
  const lanes: Lane[] = [];
  const idle: Lane[] = [];
  let block: Buffer = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  let emitted = false;

  const submit = (data: Buffer) => {
    const lane = idle.pop() ?? (lanes.push(new Lane(level)), lanes.at(-1)!);
    const p = lane.member(data).then((out) => {
      idle.push(lane);
      if (data.length === blockSize) spare.push(data);
      return out;
    });
    p.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
    inFlight.push(p);
  };
  const emit = (parts: Buffer[]) => {
    for (const part of parts) stream.push(part);
    emitted = true;
  };

  const stream: Transform = new Transform({
    async transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        // Input is copied once, into a block of its own that zlib reads while we fill the next.
        for (let at = 0; at < chunk.length; ) {
          const n = chunk.copy(block, filled, at, Math.min(chunk.length, at + blockSize - filled));
          filled += n;
          at += n;
          if (filled < blockSize) continue;
          submit(block);
          block = spare.pop() ?? Buffer.allocUnsafe(blockSize);
          filled = 0;
          // Back-pressure: once every thread has a block, wait for the oldest before reading on.
          while (inFlight.length >= threads) emit(await inFlight.shift()!);
        }
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    async flush(done: TransformCallback) {
      try {
        if (filled > 0) submit(block.subarray(0, filled));
        while (inFlight.length) emit(await inFlight.shift()!);
        if (!emitted) stream.push(zlib.gzipSync(Buffer.alloc(0), { level })); // empty input is still a valid gzip file
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    destroy(error, callback) {
      // Called at the end too (autoDestroy). A lane still compressing closes its contexts once zlib is done with them (zlib defers it).
      for (const lane of lanes) lane.close();
      callback(error);
    },
  });
  return stream;
}
