// A model package named by URL is downloaded to a local file first: https:// and http:// through
// fetch, s3:// through the Cloud Storage client (SigV4 with the group's keys), which the caller
// supplies so this module stays free of settings and secrets. Either way the bytes stream to disk
// and a failed or cancelled download leaves no file (downloadToFile).
import type { S3Client } from '@aws-sdk/client-s3';
import { downloadToFile } from '../artifacts/downloadToFile';
import { loadAwsSdk } from '../s3/awsSdk';
import { parseS3Uri } from '../s3/s3Settings';
import * as l10n from '@vscode/l10n';

export class PackageUrlError extends Error {}

export interface PackageDownloadOptions {
  signal?: AbortSignal;
  onProgress?: (received: number, total?: number) => void;
  /** The S3 client for s3:// URLs; resolves undefined when no Cloud Storage keys are found. */
  s3?: () => Promise<S3Client | undefined>;
}

export function isPackageUrl(value: string): boolean {
  return /^(https?|s3):\/\//i.test(value.trim());
}

export async function downloadPackage(url: string, target: string, options: PackageDownloadOptions = {}): Promise<number> {
  const parsed = new URL(url.trim());
  const progress = { signal: options.signal, onProgress: (p: { received: number; total?: number }) => options.onProgress?.(p.received, p.total) };
  if (parsed.protocol === 's3:') return downloadFromS3(url.trim(), target, options, progress);
  if (!/^https?:$/.test(parsed.protocol)) throw new PackageUrlError(l10n.t('{0} is not an http(s):// or s3:// URL.', url));
  return downloadToFile(
    async ({ signal }) => {
      const response = await fetch(parsed, { signal });
      if (!response.ok || !response.body) throw new PackageUrlError(l10n.t('Downloading {0}{1} failed: HTTP {2}.', parsed.host, parsed.pathname, response.status));
      const length = Number(response.headers.get('content-length'));
      return { body: response.body, status: response.status, contentLength: Number.isFinite(length) && length > 0 ? length : undefined };
    },
    target,
    progress,
  );
}

async function downloadFromS3(url: string, target: string, options: PackageDownloadOptions, progress: Parameters<typeof downloadToFile>[2]): Promise<number> {
  const location = parseS3Uri(url);
  if (!location?.key) throw new PackageUrlError(l10n.t('{0} does not name an object (s3://BUCKET/KEY).', url));
  const s3 = await options.s3?.();
  if (!s3) {
    throw new PackageUrlError(l10n.t('No Cloud Storage keys were found for {0}: set them with "Set Cloud Storage Keys…", an AWS profile or the AWS_* environment variables.', url));
  }
  const { GetObjectCommand } = (await loadAwsSdk()).s3;
  return downloadToFile(
    async ({ signal }) => {
      let out;
      try {
        out = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
      } catch (e) {
        const name = (e as { name?: string }).name ?? '';
        if (name === 'AbortError' || signal?.aborted) throw e;
        const reason = name === 'NoSuchKey' ? 'there is no such object' : name === 'NoSuchBucket' ? 'there is no such bucket' : (e as Error).message || name;
        throw new PackageUrlError(l10n.t('Downloading {0} failed: {1}.', url, reason));
      }
      if (!out.Body) throw new PackageUrlError(l10n.t('Downloading {0} failed: the object has no body.', url));
      return { body: out.Body.transformToWebStream(), status: 200, contentLength: out.ContentLength };
    },
    target,
    progress,
  );
}
