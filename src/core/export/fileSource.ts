// Where a model version's files come from. Every store (the tracking server's proxied
// artifacts, S3, a shared file system, the server's get-artifact route) is met by one small
// interface, so the downloader (parallelism, Range resume, retries, checks) is written once.
import type { Readable } from 'node:stream';

export interface RemoteFile {
  /** Relative to the model's folder, `/`-separated, already checked by checkRemotePath. */
  readonly path: string;
  /** Bytes, when the listing says. */
  readonly size?: number;
  /** Hex MD5 of the content, when the store gives one (S3's ETag of a single-part upload). */
  readonly md5?: string;
}

export type SourceRoute = 'mlflow-artifacts' | 's3' | 'local' | 'server';

export interface FileSource {
  readonly route: SourceRoute;
  /** Where the files are, for logs and messages (never holds credentials). */
  readonly location: string;
  list(signal?: AbortSignal): Promise<RemoteFile[]>;
  /**
   * A stream of the file's bytes from `start` on (servers that ignore Range are sliced).
   * `responseTimeoutMs`: how long a server may take to start answering (see downloadFiles.ts).
   */
  open(file: RemoteFile, start: number, signal?: AbortSignal, responseTimeoutMs?: number): Promise<Readable>;
}
