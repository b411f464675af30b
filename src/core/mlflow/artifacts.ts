/**
 * Artifact listing and downloading through the tracking server: run artifact listing
 * (artifacts/list, one level per call, no paging), the proxied `mlflow-artifacts` store
 * (server started with --serve-artifacts) and the UI's get-artifact routes, which proxy any
 * store (S3 included) when the client has no credentials of its own.
 */
import { Transform, type Readable } from 'node:stream';
import { cancelledError, MlflowError } from './errors';
import type { CallOptions, MlflowHttp, Query } from './http';
import { artifactListing, fileInfo, asList, asObject } from './normalize';
import type { ArtifactListing, FileInfo } from './types';
import * as l10n from '@vscode/l10n';

export interface ByteRange {
  start: number;
  /** Inclusive, as in HTTP; omitted = to the end of the file. */
  end?: number;
}

export interface ArtifactDownload {
  /** Web stream of the bytes (of the range, when one was asked for); use Readable.fromWeb for Node streams. */
  body: ReadableStream<Uint8Array>;
  /** 200, or 206 for a range (also when the server ignored Range and the client sliced). */
  status: number;
  /** Number of bytes `body` will deliver, when known. */
  contentLength?: number;
  /** The delivered range and the whole file's size, when known. */
  contentRange?: { start: number; end: number; total?: number };
  contentType?: string;
}

/** An ArtifactDownload whose body is a Node stream (the bulk path: see bulkGet.ts). */
export interface ArtifactStream extends Omit<ArtifactDownload, 'body'> {
  body: Readable;
}

export interface DownloadOptions extends CallOptions {
  range?: ByteRange;
  /**
   * openFile only: how long to wait for the answer's headers (default: the client's timeout).
   * A server that proxies its artifact store reads the whole file from it before answering.
   */
  headersTimeoutMs?: number;
}

/** A relative artifact path without `.`/`..` segments (which would escape to other routes). */
export function checkedArtifactPath(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..')) {
    throw new MlflowError({
      kind: 'invalidParameter',
      userMessage: l10n.t('The artifact path "{0}" is not valid: it must be a relative path without "." or ".." parts.', path),
    });
  }
  return segments.join('/');
}

/** Encode a relative artifact path for use inside a URL path. */
export function encodeArtifactPath(path: string): string {
  return checkedArtifactPath(path).split('/').map(encodeURIComponent).join('/');
}

export async function listRunArtifacts(http: MlflowHttp, runId: string, path: string | undefined, options: CallOptions = {}): Promise<ArtifactListing> {
  const raw = await http.getJson('api/2.0/mlflow/artifacts/list', { run_id: runId, path: path || undefined }, options);
  return artifactListing(raw);
}

export async function listProxiedArtifacts(http: MlflowHttp, path: string | undefined, options: CallOptions = {}): Promise<FileInfo[]> {
  const raw = await http.getJson('api/2.0/mlflow-artifacts/artifacts', { path: path || undefined }, options);
  return asList(asObject(raw).files, fileInfo);
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Every entry (files and folders) below `root`, sorted by path, listing up to `concurrency`
 * folders at once. artifacts/list returns paths relative to the run's root, so children must
 * start with their parent's path: anything else is ignored rather than recursed into forever.
 */
export async function listRunArtifactsRecursive(
  http: MlflowHttp,
  runId: string,
  root: string | undefined,
  options: CallOptions & { concurrency?: number } = {},
): Promise<FileInfo[]> {
  return listRecursive((dir, o) => listRunArtifacts(http, runId, dir, o), root, options);
}

/** One folder level of some artifact root (a run's, a logged model's): paths relative to that root. */
export type FolderLister = (dir: string | undefined, options: CallOptions) => Promise<ArtifactListing>;

/** The walk of listRunArtifactsRecursive over any root that lists like artifacts/list. */
export async function listRecursive(list: FolderLister, root: string | undefined, options: CallOptions & { concurrency?: number } = {}): Promise<FileInfo[]> {
  const { signal, concurrency = 4 } = options;
  const entries: FileInfo[] = [];
  let level: Array<string | undefined> = [root ? root.replace(/\/+$/, '') : undefined];
  while (level.length > 0) {
    if (signal?.aborted) throw cancelledError(undefined, signal.reason);
    const listings = await mapLimit(level, concurrency, async (dir) => ({
      dir,
      files: (await list(dir, { signal })).files,
    }));
    const nextLevel: string[] = [];
    for (const { dir, files } of listings) {
      for (const file of files) {
        const inside = dir === undefined ? file.path !== '' : file.path.startsWith(`${dir}/`);
        if (!inside) continue;
        entries.push(file);
        if (file.is_dir) nextLevel.push(file.path);
      }
    }
    level = nextLevel;
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function parseContentRange(header: string | null): ArtifactDownload['contentRange'] {
  const match = header ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** Keeps bytes [start, end] of a full-file stream, for servers that ignore Range. */
function sliceStream(body: ReadableStream<Uint8Array>, start: number, end: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const chunkStart = offset;
        offset += chunk.byteLength;
        const from = Math.max(start - chunkStart, 0);
        const to = Math.min(end + 1 - chunkStart, chunk.byteLength);
        if (to > from) controller.enqueue(chunk.subarray(from, to));
        if (offset > end) controller.terminate();
      },
    }),
  );
}

/** Keeps bytes [start, end] of a full-file Node stream, for servers that ignore Range. */
function sliceNodeStream(body: Readable, start: number, end: number): Readable {
  let offset = 0;
  const slice = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const chunkStart = offset;
      offset += chunk.length;
      const from = Math.max(start - chunkStart, 0);
      const to = Math.min(end + 1 - chunkStart, chunk.length);
      if (to > from) this.push(chunk.subarray(from, to));
      if (offset > end) {
        this.push(null);
        body.destroy(); // the rest of the file is not wanted
      }
      done();
    },
  });
  body.on('error', (e) => slice.destroy(e));
  slice.on('close', () => body.destroy());
  return body.pipe(slice);
}

function rangeHeader(range: ByteRange | undefined): Record<string, string> {
  if (!range) return {};
  if (!(range.start >= 0) || (range.end !== undefined && range.end < range.start)) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('The requested byte range is not valid.') });
  }
  return { range: `bytes=${range.start}-${range.end ?? ''}` };
}

/**
 * downloadFile's bulk twin: the same GET, range handling and answer, the body a Node stream read
 * through Node's http client (a model export's path: far less CPU per chunk than fetch).
 */
export async function openFile(http: MlflowHttp, path: string, query: Query | undefined, options: DownloadOptions): Promise<ArtifactStream> {
  const { range, signal, headersTimeoutMs } = options;
  const response = await http.getBulk(path, query, { signal, headers: rangeHeader(range), headersTimeoutMs });
  const length = response.headers['content-length'];
  const contentType = response.headers['content-type'];
  const fullSize = length !== undefined ? Number(length) : undefined;
  if (range && response.status === 200) {
    const end = Math.min(range.end ?? Number.MAX_SAFE_INTEGER, fullSize !== undefined ? fullSize - 1 : Number.MAX_SAFE_INTEGER);
    const knownEnd = end !== Number.MAX_SAFE_INTEGER;
    return {
      body: sliceNodeStream(response.body, range.start, end),
      status: 206,
      contentLength: knownEnd ? Math.max(0, end - range.start + 1) : undefined,
      contentRange: knownEnd ? { start: range.start, end, total: fullSize } : undefined,
      contentType,
    };
  }
  return {
    body: response.body,
    status: response.status,
    contentLength: fullSize,
    contentRange: parseContentRange(response.headers['content-range'] ?? null),
    contentType,
  };
}

/** GET a file endpoint, optionally a byte range of it. */
export async function downloadFile(http: MlflowHttp, path: string, query: Query | undefined, options: DownloadOptions): Promise<ArtifactDownload> {
  const { range, signal } = options;
  const headers = rangeHeader(range);
  const response = await http.getStream(path, query, { signal, headers });
  const length = response.headers.get('content-length');
  const contentType = response.headers.get('content-type') ?? undefined;
  const fullSize = length !== null ? Number(length) : undefined;
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });

  if (range && response.status === 200) {
    // The server sent the whole file: cut the range out here so callers see one behaviour.
    const end = Math.min(range.end ?? Number.MAX_SAFE_INTEGER, fullSize !== undefined ? fullSize - 1 : Number.MAX_SAFE_INTEGER);
    const knownEnd = end !== Number.MAX_SAFE_INTEGER;
    return {
      body: sliceStream(body, range.start, end),
      status: 206,
      contentLength: knownEnd ? Math.max(0, end - range.start + 1) : undefined,
      contentRange: knownEnd ? { start: range.start, end, total: fullSize } : undefined,
      contentType,
    };
  }
  return {
    body,
    status: response.status,
    contentLength: fullSize,
    contentRange: parseContentRange(response.headers.get('content-range')),
    contentType,
  };
}
