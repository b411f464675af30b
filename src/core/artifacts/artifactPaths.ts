// Pure helpers for artifact paths and the URIs the UI shows or copies. Artifact paths come from
// the server (user-controlled): everything that turns them into a file name, an editor URI or a
// download target goes through `safeArtifactPath`, so `..` can never escape a run or a folder.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

/** The path split into clean segments, or undefined when it is absolute-ish or escapes. */
export function safeArtifactSegments(artifactPath: string): string[] | undefined {
  if (artifactPath.includes('\0') || artifactPath.includes('\\')) return undefined;
  const segments = artifactPath.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  return segments;
}

/** `a//b/` → `a/b`; throws on `..`, `.`, backslashes or NUL (never silently "fixes" an escape). */
export function safeArtifactPath(artifactPath: string): string {
  const segments = safeArtifactSegments(artifactPath);
  if (segments === undefined) throw new Error(l10n.t('The artifact path "{0}" is not a safe relative path.', artifactPath));
  return segments.join('/');
}

/** Joins a folder and a child path ('' is the run's root). */
export function joinArtifactPath(folder: string, child: string): string {
  return [folder, child].filter((p) => p !== '').join('/');
}

/** The last segment: what a file is called (and how its icon and language are chosen). */
export function artifactBaseName(artifactPath: string): string {
  const segments = artifactPath.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? '';
}

/** Parent folder of a path ('' for top-level entries). */
export function artifactDirName(artifactPath: string): string {
  const segments = artifactPath.split('/').filter((s) => s !== '');
  return segments.slice(0, -1).join('/');
}

/**
 * Where a downloaded artifact may be written inside `targetDir`: resolves and checks that the
 * result stays inside (defence in depth on top of safeArtifactPath).
 */
export function resolveInside(targetDir: string, artifactPath: string): string {
  const relative = safeArtifactPath(artifactPath);
  const root = path.resolve(targetDir);
  const resolved = path.resolve(root, ...relative.split('/'));
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new Error(l10n.t('The artifact path "{0}" would leave {1}.', artifactPath, root));
  }
  return resolved;
}

/** The artifact's full store URI (`s3://…/artifacts/model/MLmodel`) from the run's artifact root. */
export function artifactStoreUri(rootUri: string, artifactPath: string): string {
  const relative = safeArtifactPath(artifactPath);
  return relative === '' ? rootUri : `${rootUri.replace(/\/+$/, '')}/${relative}`;
}

/** `runs:/ID/path`, the URI MLflow's own APIs accept for a run's artifact. */
export function runsUri(runId: string, artifactPath: string): string {
  return `runs:/${runId}/${safeArtifactPath(artifactPath)}`;
}

/** `models:/NAME/VERSION` (MLflow does not escape names; copied as the user would type it). */
export function modelVersionUri(name: string, version: string): string {
  return `models:/${name}/${version}`;
}

/** `models:/NAME@ALIAS`. */
export function modelAliasUri(name: string, alias: string): string {
  return `models:/${name}@${alias}`;
}

/**
 * Which folder of the source run holds a model version's files. A version's `source` is
 * `runs:/ID/sub/path`, or the run's artifact root plus a sub path (`mlflow-artifacts:/1/ID/artifacts/model`,
 * `s3://bucket/…/ID/artifacts/model`). Returns undefined when the source is not inside the run
 * (e.g. a model logged elsewhere): then the run's whole artifact tree is the best we can show.
 */
export function versionArtifactPath(source: string, runId: string, runArtifactRoot?: string): string | undefined {
  const runsPrefix = `runs:/${runId}/`;
  if (source.startsWith(runsPrefix)) return safeArtifactSegments(source.slice(runsPrefix.length))?.join('/');
  if (source === `runs:/${runId}`) return '';
  const roots = [runArtifactRoot, `/${runId}/artifacts`].filter((r): r is string => !!r);
  for (const root of roots) {
    const clean = root.replace(/\/+$/, '');
    const at = root === runArtifactRoot ? (source.startsWith(clean) ? 0 : -1) : source.indexOf(clean);
    if (at < 0) continue;
    const rest = source.slice(at + clean.length);
    if (rest !== '' && !rest.startsWith('/')) continue;
    return safeArtifactSegments(rest)?.join('/');
  }
  return undefined;
}

const TEXT_EXTENSIONS = new Set(
  'txt md markdown json jsonl yaml yml toml ini cfg conf csv tsv log py ipynb sh bash r sql xml html htm js ts css mlmodel gitignore env properties'.split(' '),
);
const IMAGE_EXTENSIONS = new Set('png jpg jpeg gif bmp webp svg ico'.split(' '));
/** Names MLflow writes without an extension that are text (MLmodel is YAML). */
const TEXT_NAMES = new Set(['MLmodel', 'Dockerfile', 'LICENSE', 'README', 'requirements', 'Makefile']);

export type ArtifactKind = 'text' | 'image' | 'binary';

/** How an artifact can be shown: text and images open in an editor; anything else is downloaded. */
export function artifactKind(artifactPath: string): ArtifactKind {
  const name = artifactBaseName(artifactPath);
  if (TEXT_NAMES.has(name)) return 'text';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (IMAGE_EXTENSIONS.has(ext)) return 'image';
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  return 'binary';
}

/** Above this many bytes even a text file is downloaded rather than opened (editors choke). */
export const OPEN_IN_EDITOR_MAX_BYTES = 20 * 1024 * 1024;

/** Whether the file should open in an editor (true) or be offered as "Download…" (false). */
export function opensInEditor(artifactPath: string, size: number | undefined): boolean {
  if (size !== undefined && size > OPEN_IN_EDITOR_MAX_BYTES) return false;
  return artifactKind(artifactPath) !== 'binary';
}
