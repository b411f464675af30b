// Listing a bucket one level at a time: ListObjectsV2 with Delimiter "/" gives the sub-prefixes
// ("folders") and the objects directly under a prefix, a page at a time (ContinuationToken), so a
// bucket with a million keys costs one request per page the user asks for, not a full scan.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import { DELIMITER, plainEtag } from './storageKeys';

/** ListObjectsV2's own maximum (and default): a page of up to 1000 keys and prefixes together. */
export const DEFAULT_PAGE_SIZE = 1000;

export interface BucketEntry {
  readonly name: string;
  readonly created?: Date;
}

export interface StorageObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date;
  readonly etag?: string;
}

export interface ListingPage {
  /** Sub-prefixes, each ending in "/" (full prefixes, not just the last segment). */
  readonly prefixes: string[];
  readonly objects: StorageObject[];
  /** Set when the server has more: pass it back as `continuationToken` for the next page. */
  readonly nextToken?: string;
}

export interface ListPageOptions {
  readonly bucket: string;
  /** "" for the bucket's top level, else a prefix ending in "/". */
  readonly prefix: string;
  readonly pageSize?: number;
  readonly continuationToken?: string;
  readonly signal?: AbortSignal;
}

export async function listBucketEntries(client: S3Client, signal?: AbortSignal): Promise<BucketEntry[]> {
  const { s3 } = await loadAwsSdk();
  const out = await client.send(new s3.ListBucketsCommand({}), { abortSignal: signal });
  return (out.Buckets ?? [])
    .filter((b) => b.Name)
    .map((b) => ({ name: b.Name!, created: b.CreationDate }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function listPage(client: S3Client, options: ListPageOptions): Promise<ListingPage> {
  const { s3 } = await loadAwsSdk();
  const out = await client.send(
    new s3.ListObjectsV2Command({
      Bucket: options.bucket,
      Prefix: options.prefix || undefined,
      Delimiter: DELIMITER,
      MaxKeys: options.pageSize ?? DEFAULT_PAGE_SIZE,
      ContinuationToken: options.continuationToken,
    }),
    { abortSignal: options.signal },
  );
  return {
    prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== '' && p !== options.prefix),
    // The "folder" marker some tools create (a 0-byte key equal to the prefix) is the folder itself, not a child.
    objects: (out.Contents ?? [])
      .filter((o) => o.Key && o.Key !== options.prefix)
      .map((o) => ({ key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified, etag: plainEtag(o.ETag) })),
    nextToken: out.IsTruncated ? out.NextContinuationToken : undefined,
  };
}

export interface PrefixList {
  readonly prefixes: string[];
  /** True when `limit` was reached before the server's last page. */
  readonly truncated: boolean;
}

/** The sub-prefixes directly under `prefix`, following pages up to `limit` (the prefix picker). */
export async function listPrefixes(client: S3Client, bucket: string, prefix: string, options: { limit?: number; pageSize?: number; signal?: AbortSignal } = {}): Promise<PrefixList> {
  const limit = options.limit ?? 5000;
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await listPage(client, { bucket, prefix, pageSize: options.pageSize, continuationToken: token, signal: options.signal });
    prefixes.push(...page.prefixes);
    token = page.nextToken;
  } while (token && prefixes.length < limit);
  return { prefixes: prefixes.slice(0, limit), truncated: token !== undefined || prefixes.length > limit };
}
