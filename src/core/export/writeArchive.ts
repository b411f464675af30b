// model.tar.gz: the export's artifacts/ folder as a tar stream (headers by npm `tar`, entries in
// sorted order, portable: no user names or ids) piped through the parallel gzip to disk.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { createParallelGzip, type ParallelGzipOptions } from './parallelGzip';
import * as l10n from '@vscode/l10n';

export interface WriteArchiveOptions extends ParallelGzipOptions {
  signal?: AbortSignal;
  /** Uncompressed tar bytes handed to the compressor so far (≈ file bytes + 512 per entry). */
  onBytes?: (delta: number) => void;
}

/** Every folder and file under `cwd/folder`, sorted, so the same files give the same archive order. */
async function entriesOf(cwd: string, folder: string): Promise<string[]> {
  const out: string[] = [folder];
  const walk = async (rel: string) => {
    const children = (await fs.readdir(path.join(cwd, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const childRel = `${rel}/${child.name}`;
      out.push(childRel);
      if (child.isDirectory()) await walk(childRel);
    }
  };
  await walk(folder);
  return out;
}

/**
 * The tar stream of `entries`, headers from npm `tar` (its Header, and a PAX header for long or
 * non-ASCII names), file bodies read by streams this code owns: when the archive is abandoned
 * (cancel, a full disk) the open file is closed at once — node-tar's own Pack would keep the fd
 * of the entry it was reading, and a deleted file's space with it.
 */
async function* tarStream(cwd: string, entries: string[]): AsyncGenerator<Buffer> {
  for (const rel of entries) {
    const full = path.join(cwd, ...rel.split('/'));
    const stat = await fs.lstat(full);
    const dir = stat.isDirectory();
    if (!dir && !stat.isFile()) continue; // only what the export wrote: files and folders
    const name = dir ? `${rel}/` : rel;
    const fields = { path: name, mode: (stat.mode & 0o7777) | (dir ? 0o755 : 0o644), size: dir ? 0 : stat.size, mtime: stat.mtime, type: dir ? ('Directory' as const) : ('File' as const) };
    const header = new tar.Header(fields);
    if (header.encode()) yield new tar.Pax({ path: name, mtime: stat.mtime, size: fields.size }).encode();
    yield header.block!;
    if (dir) continue;
    let read = 0;
    for await (const chunk of createReadStream(full, { highWaterMark: 1024 * 1024 })) {
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (read !== stat.size) throw new Error(l10n.t('{0} changed while it was archived.', rel));
    const padding = (512 - (stat.size % 512)) % 512;
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(1024); // two empty blocks end the archive
}

/** Writes `target` (a .tar.gz) holding `cwd/folder` under the name `folder/`. */
export async function writeArchive(cwd: string, folder: string, target: string, options: WriteArchiveOptions = {}): Promise<void> {
  const entries = await entriesOf(cwd, folder);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      options.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  const out = createWriteStream(target);
  try {
    await pipeline(Readable.from(tarStream(cwd, entries)), counter, createParallelGzip(options), out, { signal: options.signal });
  } finally {
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve())); // closed before the caller cleans up
  }
}

/** The tar stream's size for these files: what progress of the archive phase counts towards. */
export function tarSizeOf(fileSizes: number[], folderCount: number): number {
  const body = fileSizes.reduce((sum, size) => sum + 512 + Math.ceil(size / 512) * 512, 0);
  return body + folderCount * 512 + 1024;
}
