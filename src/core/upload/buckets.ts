// Buckets for the upload's picker: list the account's buckets, create one after checking its name
// against the ABCI rules (so the server is only asked about a name that can be valid).
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import { checkBucketName } from './bucketName';
import { toUploadError, UploadError } from './uploadErrors';

export async function listBuckets(client: S3Client): Promise<string[]> {
  const { s3 } = await loadAwsSdk();
  try {
    const out = await client.send(new s3.ListBucketsCommand({}));
    return (out.Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean).sort();
  } catch (e) {
    throw toUploadError(e, '');
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
    throw toUploadError(e, name);
  }
}
