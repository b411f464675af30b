// Model files straight from S3-compatible Cloud Storage (what MLflow's client does for `s3://`
// sources): ListObjectsV2 under the model's prefix, ranged GetObject for resumes. A single-part
// object's ETag is its MD5, which the downloader checks.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../s3/awsSdk';
import type { Readable } from 'node:stream';
import type { FileSource, RemoteFile } from './fileSource';
import { checkRemotePath } from './remotePath';

export class S3Source implements FileSource {
  readonly route = 's3' as const;
  readonly location: string;
  private readonly prefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    key: string,
  ) {
    this.prefix = key.replace(/\/+$/, '');
    this.location = `s3://${bucket}/${this.prefix}`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const files: RemoteFile[] = [];
    const prefix = this.prefix ? `${this.prefix}/` : '';
    const { ListObjectsV2Command } = (await loadAwsSdk()).s3;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        if (key.endsWith('/')) continue; // a "folder" marker some tools create
        const etag = object.ETag?.replace(/"/g, '');
        files.push({
          path: checkRemotePath(key.slice(prefix.length), this.location),
          size: object.Size,
          md5: etag && /^[0-9a-f]{32}$/i.test(etag) ? etag.toLowerCase() : undefined,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return files;
  }

  async open(file: RemoteFile, start: number, signal?: AbortSignal): Promise<Readable> {
    const { GetObjectCommand } = (await loadAwsSdk()).s3;
    const out = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix ? `${this.prefix}/` : ''}${file.path}`, Range: start > 0 ? `bytes=${start}-` : undefined }),
      { abortSignal: signal },
    );
    return out.Body as Readable;
  }
}
