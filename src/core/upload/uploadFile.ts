// Uploads one file as an S3 multipart upload: parts of `partSize` bytes, `queueSize` at a time,
// each read from its own range of the file straight into a buffer its worker reuses, so the
// parts in memory are at most partSize × queueSize whatever the file size. Each part is retried
// by the SDK on 5xx and resets. ABCI charges for unfinished multipart uploads, so on Cancel or
// failure the upload is aborted and the bucket checked until none of ours is pending. Afterwards
// a HeadObject confirms the stored size.
//
// Not @aws-sdk/lib-storage: it gathers each part from a read stream into a fresh buffer
// (Buffer.concat of the chunks), so every part is allocated, copied and collected; on a 1 GiB
// upload that was about a third of the client's CPU (bench/uploadModel.bench.ts), CPU the
// server on the same machine (moto on loopback, or a busy login node) does not get.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import { toUploadError, UploadError } from './uploadErrors';

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
    throw toUploadError(e, bucket);
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

/** Called after every part worker has stopped, so no part lands in an upload already aborted. */
async function cleanUp(client: S3Client, bucket: string, key: string, uploadId: string): Promise<void> {
  await abortQuietly(client, bucket, key, uploadId);
  // Some servers accept a part that was in flight during the abort: check and abort again.
  if ((await pendingUploads(client, bucket, key)).includes(uploadId)) await abortQuietly(client, bucket, key, uploadId);
}

function changed(key: string): UploadError {
  return new UploadError('fileChanged', `${key} changed while it was being uploaded; upload it again when it is complete.`);
}

/** Reads exactly `length` bytes at `position` into the start of `into` (a shorter file changed under us). */
async function readRange(handle: FileHandle, into: Buffer, length: number, position: number, key: string): Promise<Buffer> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(into, done, length - done, position + done);
    if (bytesRead === 0) throw changed(key);
    done += bytesRead;
  }
  return into.subarray(0, length);
}

/** How long a request whose answer matters (start, complete) may still run after Cancel. */
const CANCEL_GRACE_MS = 10_000;

/** Runs `send` with a signal that follows `cancel` only CANCEL_GRACE_MS after it fires. */
async function afterGrace<T>(cancel: AbortSignal, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const late = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onCancel = () => (timer = setTimeout(() => late.abort(), CANCEL_GRACE_MS));
  cancel.addEventListener('abort', onCancel, { once: true });
  try {
    return await send(late.signal);
  } finally {
    cancel.removeEventListener('abort', onCancel);
    clearTimeout(timer);
  }
}

export async function uploadFile(options: UploadFileOptions): Promise<UploadResult> {
  const { client, bucket, key, file, signal } = options;
  const cancelled = (cause?: unknown) => new UploadError('cancelled', 'The upload was cancelled; nothing was left on the server.', { cause });
  if (signal?.aborted) throw cancelled();
  const before = await fs.stat(file);
  const total = before.size;
  const partSize = partSizeFor(total, options.partSize);
  const parts = Math.max(1, Math.ceil(total / partSize));
  const workers = Math.min(parts, Math.max(1, options.queueSize ?? DEFAULT_QUEUE_SIZE));
  const { s3 } = await loadAwsSdk();
  const common = { Bucket: bucket, Key: key };
  // Cancel, or the first part that fails for good, stops every request in flight.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const handle = await fs.open(file, 'r');
  let uploadId: string | undefined;
  let etag: string | undefined;
  try {
    if (parts === 1) {
      // One part: a plain PutObject, as aws-cli does below its multipart threshold.
      const body = await readRange(handle, Buffer.allocUnsafe(total), total, 0, key);
      const put = { ...common, Body: body, ContentLength: total, ContentType: options.contentType, ...(options.acl ? { ACL: options.acl } : {}) };
      etag = (await client.send(new s3.PutObjectCommand(put), { abortSignal: stop.signal })).ETag;
    } else {
      if (stop.signal.aborted) throw cancelled();
      // The server may start the upload before a Cancel stops us listening, and only its UploadId
      // lets us abort it: Cancel waits a little for the answer (then it is aborted below).
      const created = await afterGrace(stop.signal, (abortSignal) =>
        client.send(new s3.CreateMultipartUploadCommand({ ...common, ContentType: options.contentType, ...(options.acl ? { ACL: options.acl } : {}) }), { abortSignal }),
      );
      const id = (uploadId = created.UploadId);
      if (!id) throw new Error('The server started a multipart upload without an UploadId.');
      if (stop.signal.aborted) throw cancelled();
      const etags: string[] = new Array<string>(parts);
      let next = 0;
      let loaded = 0;
      let firstError: unknown;
      const work = async (): Promise<void> => {
        // One buffer per worker, reused for each of its parts: a part is sent (and any SDK retry
        // of it finished) before the next one is read into the same memory.
        let buffer: Buffer | undefined;
        try {
          while (!stop.signal.aborted && next < parts) {
            const index = next++;
            const length = Math.min(partSize, total - index * partSize);
            buffer ??= Buffer.allocUnsafe(partSize);
            const body = await readRange(handle, buffer, length, index * partSize, key);
            const out = await client.send(new s3.UploadPartCommand({ ...common, UploadId: id, PartNumber: index + 1, Body: body, ContentLength: length }), { abortSignal: stop.signal });
            if (!out.ETag) throw new Error(`The server answered part ${index + 1} without an ETag.`);
            etags[index] = out.ETag;
            loaded += length;
            options.onProgress?.({ loaded, total });
          }
        } catch (e) {
          firstError ??= e;
          stop.abort();
        }
      };
      await Promise.all(Array.from({ length: workers }, work));
      if (firstError !== undefined || stop.signal.aborted) throw firstError ?? cancelled();
      // Every byte is up: a Cancel now waits a little for the completion rather than leave its
      // outcome unknown (the object is confirmed below).
      const done = await afterGrace(stop.signal, (abortSignal) =>
        client.send(new s3.CompleteMultipartUploadCommand({ ...common, UploadId: id, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }), { abortSignal }),
      );
      uploadId = undefined;
      etag = done.ETag;
    }
  } catch (e) {
    if (uploadId) await cleanUp(client, bucket, key, uploadId).catch(() => undefined);
    if (signal?.aborted) throw cancelled(e);
    throw toUploadError(e, bucket);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await handle.close();
  }
  const after = await fs.stat(file);
  if (after.size !== total || after.mtimeMs !== before.mtimeMs) throw changed(key);
  const head = await headObject(client, bucket, key);
  if (!head || head.size !== total) {
    throw new UploadError('sizeMismatch', `The server holds ${head?.size ?? 0} bytes of ${key} instead of ${total}.`);
  }
  options.onProgress?.({ loaded: total, total });
  return { size: total, etag };
}
