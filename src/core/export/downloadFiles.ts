// Downloads a model's files into a folder: a bounded number at once, each streamed to disk
// (memory does not grow with file size), a cut transfer resumed with Range where it stopped,
// transient failures retried with backoff, and every file checked for its size and, where the
// store gives one, its MD5.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ExportError, isAbort, isDiskFull } from './exportErrors';
import type { FileSource, RemoteFile } from './fileSource';
import { receiveToFile } from './receiveToFile';
import * as l10n from '@vscode/l10n';

export interface DownloadFilesOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Called with the size of every write as it reaches the disk (blocks of up to 1 MiB). */
  onBytes?: (delta: number) => void;
  onFileDone?: (file: RemoteFile) => void;
  /** Called once a write completes: the file's first `end` bytes are on disk (the archive reads behind it). */
  onWritten?: (file: RemoteFile, end: number) => void;
  /** Attempts in a row without progress before a file fails (default 5). */
  maxStalledAttempts?: number;
  /** First backoff delay; doubles per stalled attempt (default 250 ms). */
  retryDelayMs?: number;
  /** A transfer that sends nothing for this long is cut and resumed (default 60 s). */
  idleTimeoutMs?: number;
  /**
   * How long a server may take to start answering a file (default 5 minutes). The MLflow server
   * reads the whole file from its artifact store into a temporary folder before it sends the
   * first byte (mlflow-artifacts and get-artifact alike), so a 5 GiB file from a store at
   * 50 MB/s answers after ~100 s: the client's 30 s request timeout was too short for it.
   */
  responseTimeoutMs?: number;
  log?: (line: string) => void;
}

const MAX_TOTAL_ATTEMPTS = 50;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 300_000;

/** The server gave no answer in time (not a cut transfer: nothing arrived). */
function isResponseTimeout(e: unknown): boolean {
  return (e as { kind?: string } | undefined)?.kind === 'timeout';
}

/** Failures worth another attempt: the network, a 5xx/429, a body cut short. */
export function isTransient(e: unknown): boolean {
  const err = e as { kind?: string; code?: string; name?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (err?.kind) return err.kind === 'network' || err.kind === 'timeout' || err.kind === 'server';
  const status = err?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  if (err?.$retryable) return true;
  if (err?.code && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_BODY_TIMEOUT|ERR_STREAM_PREMATURE_CLOSE)$/.test(err.code)) return true;
  return /aborted|terminated|socket hang up|premature close|other side closed|ended after/i.test(String(err?.message ?? ''));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** One file, resumed and retried until complete; returns its size. */
export async function downloadOne(source: FileSource, file: RemoteFile, target: string, options: DownloadFilesOptions): Promise<number> {
  const { signal, onBytes, maxStalledAttempts = 5, retryDelayMs = 250, idleTimeoutMs = 60_000 } = options;
  await fs.mkdir(path.dirname(target), { recursive: true });
  let have = 0;
  const hash = file.md5 ? createHash('md5') : undefined;
  let stalled = 0;
  for (let attempt = 1; ; attempt++) {
    const before = have;
    let received = 0;
    let onDisk = have;
    try {
      const responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
      const body = await source.open(file, have, signal, responseTimeoutMs).catch((e: unknown) => {
        // Not retried: asking again makes the server fetch the whole file from its store again.
        if (!isResponseTimeout(e) || isAbort(e, signal)) throw e;
        throw new ExportError(
          'responseTimeout',
          l10n.t('The server did not start sending {0} within {1} s (it reads a whole file from its artifact store before answering, which takes longer for a large file on a slow store)', file.path, Math.round(responseTimeoutMs / 1000)),
          { cause: e },
        );
      });
      // A body that stops flowing (a half-dead connection) would otherwise wait forever. One timer,
      // pushed back on every chunk (refresh() allocates nothing: chunks come by the hundred thousand).
      const idle = setTimeout(() => body.destroy(new Error(l10n.t('The transfer of {0} stalled for {1} s (aborted).', file.path, idleTimeoutMs / 1000))), idleTimeoutMs);
      const handle = await fs.open(target, have > 0 ? 'r+' : 'w').catch((e: unknown) => {
        clearTimeout(idle);
        body.destroy();
        throw e;
      });
      try {
        received = await receiveToFile(body, handle, {
          start: have,
          hash,
          signal,
          onChunk: () => idle.refresh(),
          onWritten: (end, bytes) => {
            onDisk = end;
            onBytes?.(bytes);
            options.onWritten?.(file, end);
          },
        });
      } finally {
        // Closed before anything else happens, so no write or open races the cleanup (or a resume).
        clearTimeout(idle);
        await handle.close();
      }
      have += received;
      if (file.size !== undefined && have < file.size) throw new Error(l10n.t('The transfer of {0} ended after {1} of {2} bytes.', file.path, have, file.size));
      break;
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      if (isDiskFull(error)) throw error;
      if (!isTransient(error) || attempt >= MAX_TOTAL_ATTEMPTS) throw error;
      // What reached the disk is what counts: the completed writes (reported and hashed as they
      // completed), not the bytes that passed by.
      have = onDisk;
      stalled = have > before ? 1 : stalled + 1;
      if (stalled > maxStalledAttempts) throw error;
      options.log?.(`Retrying ${file.path} from byte ${have} (attempt ${attempt + 1}): ${(error as Error).message}`);
      await sleep(Math.min(retryDelayMs * 2 ** (stalled - 1), 5000), signal);
    }
  }
  if (file.size !== undefined && have !== file.size) {
    throw new ExportError('integrity', l10n.t('{0} arrived with {1} bytes instead of the {2} the store lists, so the export was stopped.', file.path, have, file.size));
  }
  if (hash && file.md5 && hash.digest('hex') !== file.md5) {
    throw new ExportError('integrity', l10n.t('{0} does not match the checksum the store gives for it, so the export was stopped.', file.path));
  }
  return have;
}

/**
 * All files into `dir`, at most `concurrency` at once, biggest first (they set the pace), or in
 * the order given when the caller has one (the archive written alongside needs them in order).
 */
export async function downloadFiles(source: FileSource, files: RemoteFile[], dir: string, options: DownloadFilesOptions & { inGivenOrder?: boolean }): Promise<void> {
  const queue = options.inGivenOrder ? [...files] : [...files].sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  let failure: unknown;
  const worker = async () => {
    for (let file = queue.shift(); file && failure === undefined; file = queue.shift()) {
      try {
        await downloadOne(source, file, path.join(dir, ...file.path.split('/')), { ...options, signal });
        options.onFileDone?.(file);
      } catch (error) {
        // The first failure stops the others at once; it is the one reported.
        if (failure === undefined) failure = error;
        inner.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  if (failure !== undefined) throw failure;
}
