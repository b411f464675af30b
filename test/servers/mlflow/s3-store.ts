/**
 * Runs whose artifact root is `s3://…`: the server reads the bucket with credentials of its own,
 * as a real MLflow server does with boto3 (MLFLOW_S3_ENDPOINT_URL + AWS keys in its
 * environment). That is what `artifacts/list` and the `get-artifact` routes answer from, so a
 * client without S3 keys can still list and download (the "server-side route").
 * Configured by the scenario's `s3: { endpoint, region?, accessKeyId?, secretAccessKey? }`.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { guessMimeType } from './artifacts';
import { ApiError } from './http-util';

export interface ServerS3Config {
  endpoint: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export function parseS3(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]!.replace(/\/+$/, '') } : undefined;
}

export class ServerS3 {
  private readonly s3: S3Client;
  constructor(config: ServerS3Config) {
    this.s3 = new S3Client({
      endpoint: config.endpoint,
      region: config.region ?? 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: config.accessKeyId ?? 'test', secretAccessKey: config.secretAccessKey ?? 'test' },
    });
  }

  /** One level below `s3://bucket/key` like S3ArtifactRepository.list_artifacts (Delimiter '/'). */
  async list(uri: string): Promise<Array<{ name: string; isDir: boolean; size?: number }>> {
    const { bucket, key } = parseS3(uri)!;
    const prefix = key ? `${key}/` : '';
    const out: Array<{ name: string; isDir: boolean; size?: number }> = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) out.push({ name: p.Prefix!.slice(prefix.length).replace(/\/$/, ''), isDir: true });
      for (const o of page.Contents ?? []) if (o.Key !== prefix) out.push({ name: o.Key!.slice(prefix.length), isDir: false, size: o.Size });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Streams one object like Flask's send_file (attachment, Range → 206). */
  async send(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    const { bucket, key } = parseS3(uri)!;
    const range = typeof req.headers.range === 'string' && /^bytes=\d*-\d*$/.test(req.headers.range) ? req.headers.range : undefined;
    let out;
    try {
      out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
    } catch (e) {
      if (e instanceof NoSuchKey) throw new ApiError(500, 'INTERNAL_ERROR', `An error occurred (404) when calling the HeadObject operation: Not Found`);
      throw e;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': guessMimeType(key),
      'Content-Disposition': `attachment; filename=${key.split('/').pop()}`,
      'Accept-Ranges': 'bytes',
    };
    if (out.ContentLength !== undefined) headers['Content-Length'] = out.ContentLength;
    if (out.ContentRange) headers['Content-Range'] = out.ContentRange;
    res.writeHead(out.ContentRange ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    (out.Body as Readable).pipe(res);
  }
}
