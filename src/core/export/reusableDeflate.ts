// One zlib compressor kept for a whole export and used for one input after another: each input
// becomes a complete gzip member (or raw deflate stream), then the context is reset for the next.
//
// Why not `zlib.gzip(block, cb)` per block: each call creates a zlib context (~270 KB of malloc:
// window, hash chains, pending buffer) and frees it a moment later, allocates a worst-case output
// buffer of the block's size, and copies the output once more (Buffer.concat) — about 2 MiB of
// short-lived native memory per 1 MiB block, in sizes that vary from block to block. With the
// garbage collector freeing them in its own time, glibc's heap fragmented: the 1 GiB export's peak
// RSS held ~50–90 MiB of free-but-retained heap and up to ~60 MiB of dead buffers (measured with
// mallinfo2 at the peak). Here the context lives as long as the export, and the output comes in
// 64 KiB pieces (zlib's stream output buffer; one size, which the heap reuses in place).
//
// Only public zlib stream API: write(), flush(Z_FINISH) ends the member, reset() starts the next.
import * as zlib from 'node:zlib';

/** zlib's output buffer per compressor; below glibc's mmap threshold, one size for every piece. */
const OUT_CHUNK = 64 * 1024;

export class ReusableDeflate {
  // Every zlib stream has reset() (ZlibBase in Node's docs); @types/node leaves it off Gzip.
  private readonly stream: (zlib.Gzip | zlib.DeflateRaw) & zlib.ZlibReset;
  private parts: Buffer[] = [];
  private failed: ((error: Error) => void) | undefined;
  private busy = false;

  constructor(format: 'gzip' | 'raw', level: number, strategy: number) {
    const options = { level, strategy, chunkSize: OUT_CHUNK };
    this.stream = (format === 'gzip' ? zlib.createGzip(options) : zlib.createDeflateRaw(options)) as (zlib.Gzip | zlib.DeflateRaw) & zlib.ZlibReset;
    // Flowing mode: zlib pushes each piece from its completion callback, where a flowing stream
    // with nothing buffered emits 'data' at once, so every piece of an input arrives before the
    // flush callback below.
    this.stream.on('data', (piece: Buffer) => this.parts.push(piece));
    this.stream.on('error', (error: Error) => this.failed?.(error));
  }

  /** `input` as one complete member, in pieces. One input at a time. */
  compress(input: Buffer): Promise<Buffer[]> {
    if (this.busy) return Promise.reject(new Error('ReusableDeflate: one input at a time'));
    this.busy = true;
    return new Promise<Buffer[]>((resolve, reject) => {
      this.failed = reject;
      this.stream.write(input);
      this.stream.flush(zlib.constants.Z_FINISH, () => {
        if (this.stream.destroyed) return; // the 'error' handler has rejected
        const out = this.parts;
        this.parts = [];
        this.failed = undefined;
        this.busy = false;
        this.stream.reset(); // the next input starts a new member (with its own gzip header)
        resolve(out);
      });
    });
  }

  close(): void {
    this.stream.close();
  }
}
