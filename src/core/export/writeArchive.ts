// model.tar.gz: the export's artifacts/ folder as a tar stream (npm `tar`, entries in sorted
// order, portable headers without user names) piped through the parallel gzip to disk.
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { createParallelGzip, type ParallelGzipOptions } from './parallelGzip';

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

/** Writes `target` (a .tar.gz) holding `cwd/folder` under the name `folder/`. */
export async function writeArchive(cwd: string, folder: string, target: string, options: WriteArchiveOptions = {}): Promise<void> {
  const entries = await entriesOf(cwd, folder);
  // Small reads: node-tar's default (16 MiB per read, 4 files at once) would hold ~64 MiB for nothing.
  const pack = tar.c({ cwd, portable: true, noDirRecurse: true, gzip: false, maxReadSize: 1024 * 1024, jobs: 1 }, entries);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      options.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(pack as AsyncIterable<Buffer>), counter, createParallelGzip(options), createWriteStream(target), { signal: options.signal });
}

/** The tar stream's size for these files: what progress of the archive phase counts towards. */
export function tarSizeOf(fileSizes: number[], folderCount: number): number {
  const body = fileSizes.reduce((sum, size) => sum + 512 + Math.ceil(size / 512) * 512, 0);
  return body + folderCount * 512 + 1024;
}
