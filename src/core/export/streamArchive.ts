// model.tar.gz written while the files still download: entries in the fixed archive order, each
// file's bytes read back (from the page cache, just written) as soon as the downloader says they
// are on disk, and fed to the parallel gzip. One read buffer is reused: the gzip copies each chunk
// into its block before it asks for the next, so memory does not grow with the model.
import { createWriteStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import type { ArchiveEntry } from './archiveOrder';
import { createParallelGzip, type ParallelGzipOptions } from './parallelGzip';
import type { WrittenBytes } from './writtenBytes';
import * as l10n from '@vscode/l10n';

export interface StreamArchiveOptions extends ParallelGzipOptions {
  signal?: AbortSignal;
  /** Uncompressed tar bytes handed to the compressor so far. */
  onBytes?: (delta: number) => void;
  /** Bytes read from disk at a time (default 1 MiB). */
  readSize?: number;
}

/** The header block(s) of one entry: npm `tar`'s Header, and a PAX header first for long or non-ASCII names. */
function headerOf(name: string, kind: 'folder' | 'file', size: number, mtime: Date): Buffer[] {
  const fields = { path: name, mode: kind === 'folder' ? 0o755 : 0o644, size, mtime, type: kind === 'folder' ? ('Directory' as const) : ('File' as const) };
  const header = new tar.Header(fields);
  const blocks: Buffer[] = [];
  if (header.encode()) blocks.push(new tar.Pax({ path: name, mtime, size }).encode());
  blocks.push(header.block!);
  return blocks;
}

/**
 * Writes `target` from `entries` (files under `cwd`), waiting on `written` for each file's bytes.
 * Settles only after every file it opened is closed, so the caller can remove the folder at once.
 */
export async function streamArchive(entries: readonly ArchiveEntry[], cwd: string, written: WrittenBytes, target: string, options: StreamArchiveOptions = {}): Promise<void> {
  const { signal } = options;
  const readSize = options.readSize ?? 1024 * 1024;
  const gzip = createParallelGzip(options);
  const out = createWriteStream(target);
  const finished = pipeline(gzip, out, { signal });
  // pipeline reports errors through `finished`; once it has settled (cancel) it stops listening,
  // and the destroy below must not raise an unhandled 'error' event.
  gzip.on('error', () => undefined);
  // Any failure downstream (a full disk, cancel) ends the feeding below at its next step.
  const failed = new Promise<never>((_, reject) => finished.catch(reject));
  failed.catch(() => undefined);
  const send = (chunk: Buffer) =>
    Promise.race([new Promise<void>((resolve, reject) => gzip.write(chunk, (e) => (e ? reject(e) : resolve()))), failed]).then(() => options.onBytes?.(chunk.length));

  const buffer = Buffer.allocUnsafe(readSize);
  let handle: FileHandle | undefined;
  try {
    for (const entry of entries) {
      signal?.throwIfAborted();
      if (entry.kind === 'folder') {
        for (const block of headerOf(`${entry.name}/`, 'folder', 0, new Date())) await send(block);
        continue;
      }
      const full = path.join(cwd, ...entry.name.split('/'));
      const listed = entry.file.size;
      // Without a listed size the header must wait for the whole file (the size comes first in tar).
      const size = listed ?? ((await written.until(entry.file.path, Number.MAX_SAFE_INTEGER, signal)), (await fs.stat(full)).size);
      for (const block of headerOf(entry.name, 'file', size, new Date())) await send(block);
      for (let at = 0; at < size; ) {
        // Whole read-sized blocks (or the file's end): small arrivals would cost a read and a
        // gzip write each, and the network delivers a big file in pieces of a few KiB.
        const want = Math.min(size, at + readSize);
        const { written: onDisk } = await Promise.race([written.until(entry.file.path, want - 1, signal), failed]);
        handle ??= await fs.open(full, 'r');
        const available = Math.min(onDisk, size);
        if (available < want) throw new Error(l10n.t('{0} changed while it was archived.', entry.name));
        // Whole blocks while the file is still arriving (at least one is there), then its tail.
        const limit = available >= size ? size : at + Math.floor((available - at) / readSize) * readSize;
        while (at < limit) {
          const { bytesRead } = await handle.read(buffer, 0, Math.min(readSize, limit - at), at);
          if (bytesRead === 0) throw new Error(l10n.t('{0} changed while it was archived.', entry.name));
          at += bytesRead;
          await send(buffer.subarray(0, bytesRead));
        }
      }
      if (handle) await handle.close();
      handle = undefined;
      const padding = (512 - (size % 512)) % 512;
      if (padding) await send(Buffer.alloc(padding));
    }
    await send(Buffer.alloc(1024)); // two empty blocks end the archive
    gzip.end();
    await finished;
  } catch (error) {
    gzip.destroy(error as Error);
    await finished.catch(() => undefined);
    throw error;
  } finally {
    await handle?.close();
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve())); // closed before the caller cleans up
  }
}
