// The one streaming pass of an export: the files download into artifacts/ while model.tar.gz is
// written from them, each file's bytes compressed as soon as they are on disk. The two halves
// stop each other on the first failure (a cut that cannot be resumed, a full disk, Cancel), and
// both are settled, every file closed, before the caller sees the error and removes the folder.
import * as path from 'node:path';
import { archiveOrder, downloadOrder, tarSize } from './archiveOrder';
import { downloadFiles, type DownloadFilesOptions } from './downloadFiles';
import type { FileSource, RemoteFile } from './fileSource';
import type { ParallelGzipOptions } from './parallelGzip';
import { streamArchive } from './streamArchive';
import { WrittenBytes } from './writtenBytes';

export interface DownloadAndArchiveOptions extends Omit<DownloadFilesOptions, 'onWritten'>, ParallelGzipOptions {
  /** Uncompressed tar bytes handed to the compressor so far. */
  onArchiveBytes?: (delta: number) => void;
  /** Every file is on disk and checked; only compression is left. */
  onDownloaded?: () => void;
}

export interface DownloadAndArchivePlan {
  /** The archive's folder: `cwd/folder` receives the files, `folder/…` are the entry names. */
  cwd: string;
  folder: string;
  archive: string;
}

/** The tar size of `files` (what the archive's progress counts towards). */
export function archiveSizeOf(files: readonly RemoteFile[], folder: string): number {
  return tarSize(archiveOrder(files, folder));
}

export async function downloadAndArchive(source: FileSource, files: RemoteFile[], plan: DownloadAndArchivePlan, options: DownloadAndArchiveOptions): Promise<void> {
  const entries = archiveOrder(files, plan.folder);
  const written = new WrittenBytes();
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  let first: { error: unknown } | undefined;
  const stop = (error: unknown) => {
    first ??= { error };
    written.fail(error);
    inner.abort(error);
  };

  const downloads = downloadFiles(source, downloadOrder(entries), path.join(plan.cwd, plan.folder), {
    ...options,
    inGivenOrder: true,
    signal,
    onWritten: (file, end) => written.written(file.path, end),
    onFileDone: (file) => {
      written.done(file.path);
      options.onFileDone?.(file);
    },
  }).then(() => options.onDownloaded?.(), stop);
  const archive = streamArchive(entries, plan.cwd, written, plan.archive, {
    level: options.level,
    threads: options.threads,
    blockSize: options.blockSize,
    signal,
    onBytes: options.onArchiveBytes,
  }).catch(stop);

  await Promise.all([downloads, archive]);
  // The first failure is the cause; what it made the other half throw (an abort) is not news.
  if (first) throw first.error;
}
