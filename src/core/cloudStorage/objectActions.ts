// What the Cloud Storage view does to one object: download it to a file (temp name, renamed when
// complete, so Cancel or a failure never leaves half a file under the chosen name), read a small
// one into memory (to show it in a read-only editor) and delete it.
import type { S3Client } from '@aws-sdk/client-s3';
import * as l10n from '@vscode/l10n';
import { downloadToFile, type DownloadProgress } from '../artifacts/downloadToFile';
import { loadAwsSdk } from '../s3/awsSdk';

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

export interface DownloadObjectOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** Writes the object's bytes to `target`; resolves with the byte count. */
export async function downloadObject(client: S3Client, object: ObjectRef, target: string, options: DownloadObjectOptions = {}): Promise<number> {
  const { s3 } = await loadAwsSdk();
  return downloadToFile(
    async ({ signal }) => {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: signal });
      if (!out.Body) throw new Error(l10n.t('The server sent no content for {0}.', `s3://${object.bucket}/${object.key}`));
      return { body: out.Body.transformToWebStream() as ReadableStream<Uint8Array>, status: 200, contentLength: out.ContentLength };
    },
    target,
    options,
  );
}

export async function deleteObject(client: S3Client, object: ObjectRef, signal?: AbortSignal): Promise<void> {
  const { s3 } = await loadAwsSdk();
  await client.send(new s3.DeleteObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: signal });
}

export interface ObjectStat {
  readonly size: number;
  readonly lastModified?: Date;
}

/** HeadObject: size and date (SDK errors as they come: `storageError` classifies them). */
export async function statObject(client: S3Client, object: ObjectRef, signal?: AbortSignal): Promise<ObjectStat> {
  const { s3 } = await loadAwsSdk();
  const head = await client.send(new s3.HeadObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: signal });
  return { size: head.ContentLength ?? 0, lastModified: head.LastModified };
}

/** The object's bytes, refused (RangeError, nothing read) when it is larger than `maxBytes`. */
export async function readObject(client: S3Client, object: ObjectRef, options: { maxBytes: number; signal?: AbortSignal }): Promise<Uint8Array> {
  const { s3 } = await loadAwsSdk();
  const out = await client.send(new s3.GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: options.signal });
  if ((out.ContentLength ?? 0) > options.maxBytes) {
    await out.Body?.transformToWebStream().cancel();
    throw new RangeError(l10n.t('{0} is too large to open in an editor ({1} bytes); download it instead.', `s3://${object.bucket}/${object.key}`, out.ContentLength ?? 0));
  }
  return out.Body ? out.Body.transformToByteArray() : new Uint8Array();
}
