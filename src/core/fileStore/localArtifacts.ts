/**
 * Artifacts of a run stored on the local file system, answered like the REST routes:
 * artifacts/list (one level, paths from the artifact root, folders without size) and
 * get-artifact (a web stream, optionally a byte range). Every path is checked to stay inside
 * the artifact root, symlinks included.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { ArtifactDownload, DownloadOptions } from '../mlflow/artifacts';
import { cancelledError, MlflowError } from '../mlflow/errors';
import type { ArtifactListing, FileInfo } from '../mlflow/types';
import { listEntries } from './storeFiles';
import { invalidArtifactPath, relativeArtifactPath, resolveInsideRoot } from './storePaths';
import * as l10n from '@vscode/l10n';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.yaml': 'text/plain', '.yml': 'text/plain', '.txt': 'text/plain',
  '.html': 'text/plain', '.csv': 'text/plain', '.md': 'text/plain',
};

function contentTypeOf(file: string): string {
  // MLmodel, requirements.txt… are text; HTML is served as text, as MLflow does, so it never renders.
  if (path.basename(file) === 'MLmodel') return 'text/plain';
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** One level below `relPath`; a missing folder or a file gives no entries (as MLflow answers). */
export async function listLocalArtifacts(root: string, rootUri: string, relPath: string | undefined): Promise<ArtifactListing> {
  const rel = relativeArtifactPath(relPath);
  const dir = await resolveInsideRoot(root, rel);
  const files: FileInfo[] = [];
  if (dir !== undefined) {
    for (const entry of await listEntries(dir)) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let real: string | undefined;
      try {
        real = await resolveInsideRoot(root, childRel);
      } catch {
        continue; // a symlink leading outside the artifacts is not shown at all
      }
      if (real === undefined) continue; // dangling symlink
      const stat = await fs.stat(real);
      files.push(stat.isDirectory() ? { path: childRel, is_dir: true } : { path: childRel, is_dir: false, file_size: stat.size });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root_uri: rootUri, files };
}

/** A file of the artifacts as a web stream, like the REST client's downloadRunArtifact. */
export async function downloadLocalArtifact(root: string, relPath: string, options: DownloadOptions = {}): Promise<ArtifactDownload> {
  const { range, signal } = options;
  if (signal?.aborted) throw cancelledError(undefined, signal.reason);
  const rel = relativeArtifactPath(relPath);
  if (rel === '') throw invalidArtifactPath(relPath);
  const file = await resolveInsideRoot(root, rel);
  if (file === undefined) {
    throw new MlflowError({ kind: 'notFound', userMessage: l10n.t('The artifact "{0}" does not exist in this run.', rel) });
  }
  const stat = await fs.stat(file);
  if (!stat.isFile()) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('The artifact "{0}" is a folder, not a file.', rel) });
  }
  const size = stat.size;
  const contentType = contentTypeOf(file);
  if (!range) {
    const body = Readable.toWeb(createReadStream(file, { signal })) as ReadableStream<Uint8Array>;
    return { body, status: 200, contentLength: size, contentType };
  }
  if (!(range.start >= 0) || !Number.isInteger(range.start) || (range.end !== undefined && range.end < range.start) || (range.start >= size && size > 0)) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('The requested byte range is not valid.') });
  }
  const end = Math.min(range.end ?? size - 1, size - 1);
  const length = Math.max(0, end - range.start + 1);
  const stream = length === 0 ? Readable.from([]) : createReadStream(file, { start: range.start, end, signal });
  return {
    body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
    status: 206,
    contentLength: length,
    contentRange: { start: range.start, end, total: size },
    contentType,
  };
}
