// A model package named by URL is downloaded to a local file first. https:// and http:// go
// through fetch; s3:// needs the Cloud Storage client (SigV4, the group's credentials), which
// this module does not have, so it says so instead of guessing.
import { downloadToFile } from '../artifacts/downloadToFile';

export class PackageUrlError extends Error {}

export function isPackageUrl(value: string): boolean {
  return /^(https?|s3):\/\//i.test(value.trim());
}

export async function downloadPackage(url: string, target: string, options: { signal?: AbortSignal; onProgress?: (received: number, total?: number) => void } = {}): Promise<number> {
  const parsed = new URL(url.trim());
  if (parsed.protocol === 's3:') {
    throw new PackageUrlError('s3:// packages cannot be downloaded here yet: download it with `aws s3 cp` and choose the local file, or use its https:// URL.');
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new PackageUrlError(`${url} is not an http(s):// or s3:// URL.`);
  return downloadToFile(
    async ({ signal }) => {
      const response = await fetch(parsed, { signal });
      if (!response.ok || !response.body) throw new PackageUrlError(`Downloading ${parsed.host}${parsed.pathname} failed: HTTP ${response.status}.`);
      const length = Number(response.headers.get('content-length'));
      return { body: response.body, status: response.status, contentLength: Number.isFinite(length) && length > 0 ? length : undefined };
    },
    target,
    { signal: options.signal, onProgress: (p) => options.onProgress?.(p.received, p.total) },
  );
}
