// What the Cloud Storage view does to one object: download it to a file (temp name, renamed when
// complete, so Cancel or a failure never leaves half a file under the chosen name) and delete it.
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
