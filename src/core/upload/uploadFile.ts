// Uploads one file with @aws-sdk/lib-storage: parts of `partSize` bytes, `queueSize` at a time
// (memory stays near partSize × queueSize whatever the file size), each part retried by the
// SDK on 5xx and resets. ABCI charges for unfinished multipart uploads, so on Cancel or failure
// the upload is aborted and the bucket checked until none of ours is pending. Afterwards a
// HeadObject confirms the stored size.
import { createReadStream, promises as fs } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import { loadAwsSdk } from '../s3/awsSdk';
import { failure } from './buckets';
import { UploadError } from './uploadErrors';

/** aws-cli's multipart chunk size; S3 needs at least 5 MiB per part but the last. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;
/** S3's limit on the parts of one multipart upload. */
export const MAX_PARTS = 10_000;

/**
 * The part size for a file: the one asked for (at least S3's 5 MiB), grown in whole MiB when the
 * file would need more than 10,000 parts (8 MiB parts stop at 78 GiB), as aws-cli does.
 */
export function partSizeFor(total: number, requested = DEFAULT_PART_SIZE): number {
  const size = Math.max(MIN_PART_SIZE, requested);
  if (Math.ceil(total / size) <= MAX_PARTS) return size;
  const MiB = 1024 * 1024;
  return Math.ceil(total / MAX_PARTS / MiB) * MiB;
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

export interface UploadFileOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly file: string;
  readonly partSize?: number;
  readonly queueSize?: number;
  readonly contentType?: string;
  readonly acl?: 'public-read' | 'private';
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: UploadProgress) => void;
}

export interface UploadResult {
  readonly size: number;
  readonly etag?: string;
}

export interface ObjectInfo {
  readonly size: number;
  readonly lastModified?: Date;
}

/** HeadObject: the object's size, or undefined when there is none (404). */
export async function headObject(client: S3Client, bucket: string, key: string): Promise<ObjectInfo | undefined> {
  const { s3 } = await loadAwsSdk();
  try {
    const head = await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, lastModified: head.LastModified };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return undefined;
    throw await failure(e, client, bucket, 'headObject');
  }
}

/** Multipart uploads still pending for exactly this key (what ABCI keeps charging for). */
export async function pendingUploads(client: S3Client, bucket: string, key: string): Promise<string[]> {
  const { s3 } = await loadAwsSdk();
  const ids: string[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new s3.ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const u of page.Uploads ?? []) if (u.Key === key && u.UploadId) ids.push(u.UploadId);
    if (!page.IsTruncated) return ids;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

async function abortQuietly(client: S3Client, bucket: string, key: string, uploadId: string): Promise<void> {
  const { s3 } = await loadAwsSdk();
  await client.send(new s3.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch((e: { name?: string }) => {
    if (e?.name !== 'NoSuchUpload') throw e;
  });
}

/**
 * Waits for lib-storage's part workers to stop (its done() rejects at once on abort while parts
 * may still be in flight), then aborts our multipart upload if it still exists.
 */
async function cleanUp(upload: Upload, client: S3Client, bucket: string, key: string, pendingBefore: ReadonlySet<string>): Promise<void> {
  // concurrentUploaders is lib-storage's internal list of part workers; reading it lets the abort
  // happen after the last part, so no part lands in an upload we already aborted.
  const workers = (upload as unknown as { concurrentUploaders?: Promise<unknown>[] }).concurrentUploaders ?? [];
  await Promise.race([Promise.allSettled(workers), new Promise((r) => setTimeout(r, 30_000).unref())]);
  // A Cancel while CreateMultipartUpload is in flight cuts the request short after the server
  // started the upload: lib-storage never learns its id. Ours are then the ones pending now that
  // were not pending before we started (another upload of the same key is left alone).
  const ids = upload.uploadId ? [upload.uploadId] : (await pendingUploads(client, bucket, key)).filter((id) => !pendingBefore.has(id));
  for (const id of ids) {
    await abortQuietly(client, bucket, key, id);
    // Some servers accept a part that was in flight during the abort: check and abort again.
    if ((await pendingUploads(client, bucket, key)).includes(id)) await abortQuietly(client, bucket, key, id);
  }
}

export async function uploadFile(options: UploadFileOptions): Promise<UploadResult> {
  const { client, bucket, key, file, signal } = options;
  if (signal?.aborted) throw new UploadError('cancelled', 'The upload was cancelled; nothing was left on the server.');
  const before = await fs.stat(file);
  const total = before.size;
  const partSize = partSizeFor(total, options.partSize);
  const pendingBefore = new Set(await pendingUploads(client, bucket, key).catch(() => []));
  if (signal?.aborted) throw new UploadError('cancelled', 'The upload was cancelled; nothing was left on the server.');
  const { storage } = await loadAwsSdk();
  const upload = new storage.Upload({
    client,
    partSize,
    queueSize: Math.max(1, options.queueSize ?? DEFAULT_QUEUE_SIZE),
    leavePartsOnError: false,
    params: {
      Bucket: bucket,
      Key: key,
      // 1 MiB reads instead of 64 KiB: lib-storage gathers a part from fewer, larger chunks
      // (1 GiB to moto: 15.6 s → 9.9 s in bench/uploadModel.bench.ts).
      Body: createReadStream(file, { highWaterMark: 1024 * 1024 }),
      ContentLength: total,
      ContentType: options.contentType,
      ...(options.acl ? { ACL: options.acl } : {}),
    },
  });
  upload.on('httpUploadProgress', (p) => options.onProgress?.({ loaded: p.loaded ?? 0, total }));
  const onAbort = () => void upload.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let etag: string | undefined;
  try {
    const done = await upload.done();
    etag = done.ETag;
  } catch (e) {
    await cleanUp(upload, client, bucket, key, pendingBefore).catch(() => undefined);
    if (signal?.aborted) throw new UploadError('cancelled', 'The upload was cancelled; nothing was left on the server.', { cause: e });
    throw await failure(e, client, bucket, 'upload');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const after = await fs.stat(file);
  if (after.size !== total || after.mtimeMs !== before.mtimeMs) {
    throw new UploadError('fileChanged', `${key} changed while it was being uploaded; upload it again when it is complete.`);
  }
  const head = await headObject(client, bucket, key);
  if (!head || head.size !== total) {
    throw new UploadError('sizeMismatch', `The server holds ${head?.size ?? 0} bytes of ${key} instead of ${total}.`);
  }
  options.onProgress?.({ loaded: total, total });
  return { size: total, etag };
}
