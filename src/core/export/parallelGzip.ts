// gzip on several cores: the input is cut into blocks, each block is compressed on its own into
// a gzip member (zlib's asynchronous API runs on libuv's thread pool, in parallel), and the
// members are written in order. RFC 1952 allows a file to be several members back to back; GNU
// tar/gzip, Python's tarfile/gzip and Node's zlib read them as one stream (pigz does the same
// with shared dictionaries; independent 1 MiB members cost ~0.01 % in size and need no native
// code). Deflate runs at 20–30 MB/s a core on model weights, so this is where an export spends
// its time, unless the block is weights, whose values deflate's string matching cannot shorten:
// those are Huffman coded only (gzipBlock), 3× faster for the same size.
//
// Why the thread pool and not worker_threads: workers compressing with zlib's sync API left
// ~150 MB of freed-but-retained memory in their malloc arenas (peak RSS 220+ MiB vs ~90 MiB
// here, same speed). The pool has UV_THREADPOOL_SIZE threads (4 unless the process sets more
// before first use; the CLI sets it to the core count).
import * as os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

export interface ParallelGzipOptions {
  /** zlib level 0–9 (default 6, like gzip). */
  level?: number;
  /** Blocks compressed at once (default: every core; libuv's pool size caps the real parallelism). */
  threads?: number;
  /** Input bytes per gzip member (default 1 MiB: 18 bytes of header and trailer each, little memory in flight). */
  blockSize?: number;
}

const deflateRaw = (data: Buffer, options: zlib.ZlibOptions) =>
  new Promise<number>((resolve, reject) => zlib.deflateRaw(data, options, (error, out) => (error ? reject(error) : resolve(out.length))));

/** Blocks smaller than this are compressed the usual way (the test would cost more than it saves). */
const SAMPLED_BLOCK = 256 * 1024;
const SAMPLE = 8 * 1024;
/** Deflate's string matching must save at least this share over Huffman coding alone to be used. */
const MATCH_GAIN = 0.02;

/**
 * Whether deflate's search for repeated strings pays off on this block, judged on four 8 KiB
 * samples spread over it. Model weights (fp16/bf16/fp32 values) hold almost no repeated strings:
 * on them the search is ~2/3 of deflate's time and gains nothing (measured on 256 MiB of fp16
 * weights at level 6: 7.1 s of CPU and 92.11 % of the size, Huffman coding alone 2.6 s and
 * 92.08 %). Text, code and JSON gain 25–50 % from it, and keep it.
 */
async function matchesPayOff(block: Buffer, level: number): Promise<boolean> {
  const step = Math.floor(block.length / 4);
  const sample = Buffer.concat([0, 1, 2, 3].map((i) => block.subarray(i * step, i * step + SAMPLE)));
  const [matched, huffman] = await Promise.all([deflateRaw(sample, { level }), deflateRaw(sample, { level, strategy: zlib.constants.Z_HUFFMAN_ONLY })]);
  return matched < huffman * (1 - MATCH_GAIN);
}

/** The zlib strategy for one block: Huffman coding alone where string matching would not pay. */
export async function blockStrategy(block: Buffer, level: number): Promise<number> {
  const huffmanOnly = level > 0 && block.length >= SAMPLED_BLOCK && !(await matchesPayOff(block, level));
  return huffmanOnly ? zlib.constants.Z_HUFFMAN_ONLY : zlib.constants.Z_DEFAULT_STRATEGY;
}

/**
 * One block, one gzip member. The output buffer is sized for the worst case (deflate's bound plus
 * the gzip header and trailer), so zlib finishes in one trip to the pool: with its default 16 KiB
 * chunks a 1 MiB block took ~64 trips and as many buffers for the garbage collector. A block whose
 * bytes hold no repeated strings (weights) is Huffman coded only: the same size, a third of the CPU.
 */
async function gzipBlock(block: Buffer, level: number): Promise<Buffer> {
  const chunkSize = Math.max(zlib.constants.Z_MIN_CHUNK, block.length + (block.length >> 12) + 1024);
  const strategy = await blockStrategy(block, level);
  return new Promise((resolve, reject) => zlib.gzip(block, { level, chunkSize, strategy }, (error, out) => (error ? reject(error) : resolve(out))));
}

/** A Transform: bytes in, a multi-member gzip out. Holds about 2 × threads blocks in memory. */
export function createParallelGzip(options: ParallelGzipOptions = {}): Transform {
  const level = options.level ?? 6;
  const threads = Math.max(1, options.threads ?? os.availableParallelism());
  const blockSize = options.blockSize ?? 1024 * 1024;
  const inFlight: Array<Promise<Buffer>> = [];
  // Input blocks are reused once compressed (a fresh 1 MiB buffer per block is garbage that lingers).
  const spare: Buffer[] = [];
  let block: Buffer = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  let emitted = false;

  const submit = (data: Buffer) => {
    const p = gzipBlock(data, level).then((out) => {
      if (data.length === blockSize) spare.push(data);
      return out;
    });
    p.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
    inFlight.push(p);
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
          while (inFlight.length >= threads) {
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
        if (filled > 0) submit(block.subarray(0, filled));
        while (inFlight.length) {
          stream.push(await inFlight.shift()!);
          emitted = true;
        }
        if (!emitted) stream.push(zlib.gzipSync(Buffer.alloc(0), { level })); // empty input is still a valid gzip file
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
  return stream;
}
