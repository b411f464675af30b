// Streams one artifact to a local file. Writes to `<target>.part` and renames at the end, so a
// cancelled or failed download never leaves a half file under the name the user chose (and an
// existing file there is only replaced once the new one is complete).
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { ArtifactDownload, DownloadOptions } from '../mlflow/artifacts';
import * as l10n from '@vscode/l10n';

export type FetchArtifact = (options: DownloadOptions) => Promise<ArtifactDownload>;

export interface DownloadProgress {
  received: number;
  /** From Content-Length, when the server sends it. */
  total?: number;
}

export interface DownloadToFileOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

/** Downloads to `target`; resolves with the byte count. On any failure nothing is left behind. */
export async function downloadToFile(fetchArtifact: FetchArtifact, target: string, options: DownloadToFileOptions = {}): Promise<number> {
  const { signal, onProgress } = options;
  const partial = `${target}.part`;
  let received = 0;
  try {
    const download = await fetchArtifact({ signal });
    const total = download.contentLength;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.byteLength;
        onProgress?.({ received, total });
        callback(null, chunk);
      },
    });
    const source = Readable.fromWeb(download.body as unknown as NodeWebReadableStream<Uint8Array>);
    await pipeline(source, counter, createWriteStream(partial), { signal });
    if (total !== undefined && received !== total) {
      throw new Error(l10n.t('The download ended after {0} of {1} bytes.', received, total));
    }
    await rename(partial, target);
    return received;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
