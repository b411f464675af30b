// The `mlwf-artifact:` URIs the read-only FileSystemProvider serves. Layout:
//   mlwf-artifact://run/<runId>/<artifact path>
//   mlwf-artifact://model/<m-id>/<artifact path>     (an MLflow 3 logged model's files)
// The artifact path comes last so the editor sees the real file name (language, icon). The
// authority is constant: the file is always read through the current connection, which is what
// makes it work over Remote-SSH (the extension host, not the UI side, talks to MLflow).
import { safeArtifactSegments } from './artifactPaths';
import * as l10n from '@vscode/l10n';

export const ARTIFACT_SCHEME = 'mlwf-artifact';
export const RUN_AUTHORITY = 'run';
export const MODEL_AUTHORITY = 'model';

/** A run's file, or (with `modelId`) a logged model's; `path` is '' for the root. */
export type ArtifactLocation = { runId: string; path: string; modelId?: undefined } | { modelId: string; path: string; runId?: undefined };

const MODEL_ID = /^m-[A-Za-z0-9]{1,64}$/;

/** MLflow run ids are hex (32 chars on real servers); anything else cannot be a run. */
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The URI path (`/<runId>/<path>`) of an artifact; throws on unsafe paths. */
export function artifactUriPath(location: ArtifactLocation): string {
  const id = location.modelId ?? location.runId;
  if (location.modelId !== undefined ? !MODEL_ID.test(id) : !RUN_ID.test(id)) throw new Error(l10n.t('"{0}" is not a run id.', id));
  const segments = safeArtifactSegments(location.path);
  if (segments === undefined) throw new Error(l10n.t('The artifact path "{0}" is not a safe relative path.', location.path));
  return `/${[id, ...segments].join('/')}`;
}

/** The URI authority of a location: `run` or `model`. */
export function artifactAuthority(location: ArtifactLocation): string {
  return location.modelId !== undefined ? MODEL_AUTHORITY : RUN_AUTHORITY;
}

/**
 * The location a URI names, or undefined when it is not one of ours or tries to escape
 * (`..`, `.`, a bad run id). `uriPath` is the already-decoded path, as vscode.Uri#path gives it.
 */
export function parseArtifactUriPath(authority: string, uriPath: string): ArtifactLocation | undefined {
  if (authority !== RUN_AUTHORITY && authority !== MODEL_AUTHORITY) return undefined;
  const segments = safeArtifactSegments(uriPath);
  if (segments === undefined || segments.length === 0) return undefined;
  const [id, ...rest] = segments;
  if (authority === MODEL_AUTHORITY) return MODEL_ID.test(id!) ? { modelId: id!, path: rest.join('/') } : undefined;
  if (!RUN_ID.test(id!)) return undefined;
  return { runId: id!, path: rest.join('/') };
}
