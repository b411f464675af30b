// Buckets for the upload's picker: list the account's buckets, create one after checking its name
// against the ABCI rules (so the server is only asked about a name that can be valid).
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import { clientEndpoint } from '../s3/s3Client';
import { checkBucketName } from './bucketName';
import { toUploadError, UploadError, type UploadOperation } from './uploadErrors';

/** The SDK's error as an UploadError naming the bucket, the operation and the client's endpoint. */
export async function failure(e: unknown, client: S3Client, bucket: string, operation: UploadOperation): Promise<UploadError> {
  return toUploadError(e, { bucket, operation, endpoint: await clientEndpoint(client) });
}

export async function listBuckets(client: S3Client): Promise<string[]> {
  const { s3 } = await loadAwsSdk();
  try {
    const out = await client.send(new s3.ListBucketsCommand({}));
    return (out.Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean).sort();
  } catch (e) {
    throw await failure(e, client, '', 'listBuckets');
  }
}

export async function createBucket(client: S3Client, name: string, region?: string): Promise<void> {
  const bad = checkBucketName(name);
  if (bad) throw new UploadError('badBucketName', bad.message);
  const { s3 } = await loadAwsSdk();
  try {
    const constraint = region && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as never } } : {};
    await client.send(new s3.CreateBucketCommand({ Bucket: name, ...constraint }));
  } catch (e) {
    if ((e as { name?: string }).name === 'BucketAlreadyOwnedByYou') return;
    throw await failure(e, client, name, 'createBucket');
  }
}

/**
 * HeadBucket before writing: a bucket that exists but is someone else's (or that these keys may
 * not use) answers a bare 403, which becomes "choose another bucket" before any byte is sent.
 */
export async function checkBucketAccess(client: S3Client, bucket: string): Promise<void> {
  const { s3 } = await loadAwsSdk();
  try {
    await client.send(new s3.HeadBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404) throw new UploadError('noSuchBucket', `The bucket "${bucket}" does not exist.`, { cause: e, context: { bucket, operation: 'headBucket' }, code: 'NoSuchBucket' });
    throw await failure(e, client, bucket, 'headBucket');
  }
}
