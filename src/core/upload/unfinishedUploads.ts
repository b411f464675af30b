// Multipart uploads left in a bucket (by a crash, a killed process or another tool): ABCI keeps
// charging for their parts until they are aborted, so the clean-up command lists and aborts them.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import { failure } from './buckets';

export interface UnfinishedUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly initiated?: Date;
}

/** Every pending multipart upload in the bucket, all pages. */
export async function listUnfinishedUploads(client: S3Client, bucket: string): Promise<UnfinishedUpload[]> {
  const { s3 } = await loadAwsSdk();
  const found: UnfinishedUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(new s3.ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
      for (const u of page.Uploads ?? []) if (u.Key && u.UploadId) found.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated });
      if (!page.IsTruncated) return found;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  } catch (e) {
    throw await failure(e, client, bucket, 'listUploads');
  }
}

/** Aborts each; an upload already gone (NoSuchUpload) counts as done. Returns how many were aborted. */
export async function abortUnfinishedUploads(client: S3Client, bucket: string, uploads: readonly UnfinishedUpload[]): Promise<number> {
  const { s3 } = await loadAwsSdk();
  let aborted = 0;
  for (const u of uploads) {
    try {
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }));
      aborted++;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchUpload') continue;
      throw await failure(e, client, bucket, 'abortUpload');
    }
  }
  return aborted;
}
