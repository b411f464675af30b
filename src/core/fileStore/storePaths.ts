/**
 * Where a file store lives and where its artifacts are: tracking URIs (`file:` / plain paths),
 * the `mlruns/` folder of a workspace, a run's artifact root, and artifact paths that must never
 * leave that root (paths come from users and from files other people wrote).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlflowError } from '../mlflow/errors';
import { isDirectory, listEntries } from './storeFiles';
import * as l10n from '@vscode/l10n';

/** Folders next to experiments that are not experiments. */
export const RESERVED_FOLDERS = new Set(['.trash', 'models']);

/**
 * The local folder of a `file:` tracking URI or a plain path; undefined for other schemes
 * (http, databricks…) so callers can tell "use the REST client" from "use the file store".
 */
export function fileStoreRootFromUri(uri: string): string | undefined {
  const trimmed = uri.trim();
  if (trimmed === '') return undefined;
  if (/^file:\/\//i.test(trimmed)) {
    try {
      // file:///abs and file://localhost/abs (percent-decoded).
      return path.normalize(fileURLToPath(trimmed));
    } catch {
      return undefined; // file://otherhost/… is not a local folder
    }
  }
  if (/^file:/i.test(trimmed)) {
    // "file:relative/mlruns": Python's urllib keeps it relative, WHATWG URLs would not.
    const rest = decodeURIComponent(trimmed.slice(5));
    return rest === '' ? undefined : path.normalize(rest);
  }
  // MLflow reads the bare words "databricks" / "databricks-uc" as a remote workspace, not a folder.
  if (/^databricks(-uc)?$/i.test(trimmed)) return undefined;
  // A scheme of two letters or more (http:, s3:…) is a URI; one letter is a Windows drive.
  if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed)) return undefined;
  return path.normalize(trimmed);
}

async function hasExperimentMeta(dir: string): Promise<boolean> {
  for (const entry of await listEntries(dir)) {
    if (!entry.isDirectory() || RESERVED_FOLDERS.has(entry.name)) continue;
    try {
      await fs.access(path.join(dir, entry.name, 'meta.yaml'));
      return true;
    } catch {
      // not an experiment folder: keep looking
    }
  }
  return false;
}

/**
 * `<workspaceFolder>/mlruns` when it looks like a file store (one experiment folder with a
 * meta.yaml inside is enough: MLflow always creates experiment 0), else undefined. An empty
 * `mlruns/` is not offered, so a stray folder does not turn into an empty tree.
 */
export async function findMlrunsRoot(workspaceFolder: string): Promise<string | undefined> {
  const candidate = path.join(workspaceFolder, 'mlruns');
  if (!(await isDirectory(candidate))) return undefined;
  return (await hasExperimentMeta(candidate)) ? candidate : undefined;
}

/**
 * A URI from a meta.yaml (artifact_uri, artifact_location) as a local path; undefined for
 * remote schemes. Relative paths are relative to the folder holding `mlruns/`, which is where
 * MLflow was run from when it wrote them.
 */
export function localPathOfStoreUri(uri: string, storeRoot: string): string | undefined {
  const local = fileStoreRootFromUri(uri);
  if (local === undefined) return undefined;
  return path.isAbsolute(local) ? local : path.resolve(path.dirname(storeRoot), local);
}

export function invalidArtifactPath(p: string): MlflowError {
  return new MlflowError({
    kind: 'invalidParameter',
    userMessage: l10n.t('The artifact path "{0}" is not valid: it must be a relative path inside the run\'s artifacts.', p),
  });
}

/** Normalised relative artifact path ('' for the root); rejects absolute paths and '..'. */
export function relativeArtifactPath(p: string | undefined): string {
  if (p === undefined || p === '' || p === '/') return '';
  if (p.startsWith('/') || p.includes('\\') || p.includes('\0') || /^[a-z]:/i.test(p)) throw invalidArtifactPath(p);
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) throw invalidArtifactPath(p);
  return segments.join('/');
}

/**
 * Resolves `rel` below `root` following symlinks, and refuses the result unless it is still
 * inside the (real) root: a symlink in someone's artifacts must not expose other files.
 * Returns undefined when the path does not exist.
 */
export async function resolveInsideRoot(root: string, rel: string): Promise<string | undefined> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return undefined;
  }
  let real: string;
  try {
    real = await fs.realpath(path.join(realRoot, ...(rel === '' ? [] : rel.split('/'))));
  } catch {
    return undefined;
  }
  const inside = real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
  if (!inside) throw invalidArtifactPath(rel);
  return real;
}
