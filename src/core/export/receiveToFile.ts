// One download's bytes onto the disk: the body's chunks are gathered into whole blocks (1 MiB by
// default) and each block is written at its offset, then hashed and reported, in order.
//
// Why gather: MLflow's mlflow-artifacts route sends a binary file line by line, so a 1 GiB file
// arrives in ~500,000 chunks of a few hundred bytes to a few KiB. Per chunk this does a copy and
// a counter update, nothing else: the write, the MD5 update, the progress report and the
// archive's wake-up (onWritten) happen once per block instead of once per chunk. Plain 'data'
// events rather than a pipeline of Transform + Writable for the same reason (a stream hop per
// chunk costs more than the copy).
//
// Memory: at most `maxInFlight` blocks held (one being filled, the others being written); when
// they are all taken the body is paused, which pauses the socket (back-pressure). A written block
// is filled again rather than dropped: a new 1 MiB buffer per block is garbage the collector frees
// late (it outlives a few young-generation collections), and the peak RSS showed it.
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { finished, type Readable } from 'node:stream';

export interface ReceiveOptions {
  /** Where the body's first byte goes in the file. */
  start: number;
  blockSize?: number;
  maxInFlight?: number;
  hash?: Hash;
  signal?: AbortSignal;
  /** Every chunk as it arrives (the idle watchdog). */
  onChunk?: () => void;
  /** After each completed write: the file's first `end` bytes are on disk, `bytes` of them new. */
  onWritten?: (end: number, bytes: number) => void;
}

async function writeFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < buffer.length; ) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/**
 * Reads `body` to its end into `handle` from `start`; resolves with the bytes received. On any
 * failure (the body's, a write's, the signal) it rejects only after every write it started has
 * settled, so the caller's view of what is on disk (onWritten) is final when it sees the error.
 */
export function receiveToFile(body: Readable, handle: FileHandle, options: ReceiveOptions): Promise<number> {
  const blockSize = options.blockSize ?? 1024 * 1024;
  const maxInFlight = Math.max(2, options.maxInFlight ?? 3);
  const { hash, signal, onChunk, onWritten } = options;
  const spare: Buffer[] = [];
  let block: Buffer = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  let position = options.start;
  let received = 0;
  let inFlight = 0;
  let writes: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  // Set when a write failed or the signal aborted: the writes still queued are skipped. A failed
  // body lets them finish (its bytes up to the failure are good).
  let stopWrites = false;

  return new Promise<number>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (failure) return;
      failure = { error };
      body.destroy();
      // Settle after the writes already started (their onWritten calls are what is on disk).
      void writes.then(() => reject(error));
    };
    const flush = (data: Buffer) => {
      const at = position;
      position += data.length;
      inFlight++;
      writes = writes.then(async () => {
        if (stopWrites) return;
        try {
          await writeFully(handle, data, at);
        } catch (error) {
          stopWrites = true;
          fail(error);
          return;
        }
        hash?.update(data);
        inFlight--;
        if (data.length === blockSize) spare.push(data);
        onWritten?.(at + data.length, data.length);
        if (body.isPaused() && inFlight < maxInFlight && !failure) body.resume();
      });
    };
    const onAbort = () => ((stopWrites = true), fail(signal?.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    body.on('data', (chunk: Buffer) => {
      if (failure) return;
      onChunk?.();
      received += chunk.length;
      for (let at = 0; at < chunk.length; ) {
        const n = chunk.copy(block, filled, at);
        filled += n;
        at += n;
        if (filled === blockSize) {
          flush(block);
          block = spare.pop() ?? Buffer.allocUnsafe(blockSize);
          filled = 0;
        }
      }
      if (inFlight >= maxInFlight) body.pause();
    });
    finished(body, (error) => {
      signal?.removeEventListener('abort', onAbort);
      if (failure) return;
      // What arrived before a cut or a stall is good (TCP delivers in order): it is written too,
      // so a resume continues from the last byte received, not from the last whole block.
      if (filled > 0) flush(block.subarray(0, filled));
      if (error) return fail(error);
      void writes.then(() => (failure ? undefined : resolve(received)));
    });
  });
}
