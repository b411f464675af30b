// Deleting a "folder" (a prefix) of a bucket: first every key under it is listed (all levels), and
// the multipart uploads left unfinished under it (invisible in listings, yet charged for by ABCI),
// so the question before deleting names the exact count and size; then exactly those keys are
// deleted and those uploads aborted — an object written there after the question is left alone.
//
// One DeleteObject per key (a few at a time) rather than the batch DeleteObjects: the batch call
// must carry a body checksum, and the SDK now sends CRC32 where several S3-compatible servers
// accept only Content-MD5 and refuse the whole batch. Model folders hold a handful of objects,
// so the extra requests cost little; the listing limit keeps a mistaken click on a huge prefix
// from turning into a long delete.
import type { S3Client } from '@aws-sdk/client-s3';
import * as l10n from '@vscode/l10n';
import { createConcurrencyLimit } from '../compare/concurrencyLimit';
import { loadAwsSdk } from '../s3/awsSdk';
import type { StorageObject } from './listing';

/** More keys than this under one prefix: the view declines (a job for `aws s3 rm --recursive`). */
export const FOLDER_DELETE_LIMIT = 10_000;

export interface FolderContents {
  readonly bucket: string;
  readonly prefix: string;
  readonly objects: StorageObject[];
  readonly bytes: number;
  /** True when the prefix holds more than `limit` keys (`objects` then stops at the limit). */
  readonly truncated: boolean;
  /** Multipart uploads started under the prefix and never completed or aborted. */
  readonly uploads: ReadonlyArray<{ readonly key: string; readonly uploadId: string }>;
}

/** Every key under `prefix`, at every level (its folder marker included), up to `limit`. */
export async function listFolderContents(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { limit?: number; pageSize?: number; signal?: AbortSignal } = {},
): Promise<FolderContents> {
  if (!prefix.endsWith('/')) throw new RangeError(l10n.t('Only a folder of a bucket can be deleted this way, not the bucket itself.'));
  const { s3 } = await loadAwsSdk();
  const limit = options.limit ?? FOLDER_DELETE_LIMIT;
  const objects: StorageObject[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: options.pageSize, ContinuationToken: token }), { abortSignal: options.signal });
    for (const o of out.Contents ?? []) if (o.Key?.startsWith(prefix)) objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified });
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token && objects.length <= limit);
  const truncated = token !== undefined || objects.length > limit;
  const kept = objects.slice(0, limit);
  const uploads = truncated ? [] : await listUploadsUnder(client, bucket, prefix, options.signal);
  return { bucket, prefix, objects: kept, bytes: kept.reduce((sum, o) => sum + o.size, 0), truncated, uploads };
}

async function listUploadsUnder(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<FolderContents['uploads']> {
  const { s3 } = await loadAwsSdk();
  const uploads: Array<{ key: string; uploadId: string }> = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new s3.ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }), { abortSignal: signal });
    for (const u of page.Uploads ?? []) if (u.Key?.startsWith(prefix) && u.UploadId) uploads.push({ key: u.Key, uploadId: u.UploadId });
    if (!page.IsTruncated) return uploads;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

export interface DeleteFolderOptions {
  readonly signal?: AbortSignal;
  /** Deletes in flight at once. */
  readonly concurrency?: number;
  readonly onProgress?: (deleted: number, total: number) => void;
}

export interface DeleteFolderResult {
  readonly deleted: string[];
  /** Unfinished uploads aborted (one already gone counts: nothing is pending for it). */
  readonly aborted: number;
  /** The first error, when one stopped the rest (a cancel counts: its name is AbortError). */
  readonly error?: unknown;
}

/**
 * Deletes the listed keys, then aborts the listed unfinished uploads. The first failure (or a
 * cancel) stops what has not started and is returned beside what was done, so the caller can say
 * "3 of 5 deleted, then …" — never throws.
 */
export async function deleteFolderContents(client: S3Client, contents: FolderContents, options: DeleteFolderOptions = {}): Promise<DeleteFolderResult> {
  const { s3 } = await loadAwsSdk();
  // A failure stops the keys still queued; deletes already sent finish (and are counted), so the
  // count the user is told is what the server did. A cancel aborts those too.
  const stop = new AbortController();
  const queueSignal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const limit = createConcurrencyLimit(options.concurrency ?? 8);
  const deleted: string[] = [];
  let error: unknown;
  const cancelled = () => Object.assign(new Error('cancelled'), { name: 'AbortError' });
  await Promise.all(
    contents.objects.map((o) =>
      limit
        .run(async () => {
          try {
            await client.send(new s3.DeleteObjectCommand({ Bucket: contents.bucket, Key: o.key }), { abortSignal: options.signal });
          } catch (e) {
            // Stop the queue here, before the limit starts the next key.
            error ??= options.signal?.aborted ? cancelled() : e;
            stop.abort();
            return;
          }
          deleted.push(o.key);
          options.onProgress?.(deleted.length, contents.objects.length);
        }, queueSignal)
        // A key still queued when the queue stopped: the cause is already known, or it is a cancel.
        .catch(() => void (error ??= cancelled())),
    ),
  );
  let aborted = 0;
  for (const u of error === undefined ? contents.uploads : []) {
    try {
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket: contents.bucket, Key: u.key, UploadId: u.uploadId }), { abortSignal: options.signal });
      aborted++;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchUpload') {
        aborted++;
        continue;
      }
      error = options.signal?.aborted ? cancelled() : e;
      break;
    }
  }
  return { deleted, aborted, error };
}
