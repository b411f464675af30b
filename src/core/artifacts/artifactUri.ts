// The `mlwf-artifact:` URIs the read-only FileSystemProvider serves. Layout:
//   mlwf-artifact://run/<runId>/<artifact path>
// The artifact path comes last so the editor sees the real file name (language, icon). The
// authority is constant: the file is always read through the current connection, which is what
// makes it work over Remote-SSH (the extension host, not the UI side, talks to MLflow).
import { safeArtifactSegments } from './artifactPaths';
import * as l10n from '@vscode/l10n';

export const ARTIFACT_SCHEME = 'mlwf-artifact';
export const RUN_AUTHORITY = 'run';

export interface ArtifactLocation {
  runId: string;
  /** '' for the run's artifact root. */
  path: string;
}

/** MLflow run ids are hex (32 chars on real servers); anything else cannot be a run. */
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The URI path (`/<runId>/<path>`) of an artifact; throws on unsafe paths. */
export function artifactUriPath(location: ArtifactLocation): string {
  if (!RUN_ID.test(location.runId)) throw new Error(l10n.t('"{0}" is not a run id.', location.runId));
  const segments = safeArtifactSegments(location.path);
  if (segments === undefined) throw new Error(l10n.t('The artifact path "{0}" is not a safe relative path.', location.path));
  return `/${[location.runId, ...segments].join('/')}`;
}

/**
 * The location a URI names, or undefined when it is not one of ours or tries to escape
 * (`..`, `.`, a bad run id). `uriPath` is the already-decoded path, as vscode.Uri#path gives it.
 */
export function parseArtifactUriPath(authority: string, uriPath: string): ArtifactLocation | undefined {
  if (authority !== RUN_AUTHORITY) return undefined;
  const segments = safeArtifactSegments(uriPath);
  if (segments === undefined || segments.length === 0) return undefined;
  const [runId, ...rest] = segments;
  if (!RUN_ID.test(runId!)) return undefined;
  return { runId: runId!, path: rest.join('/') };
}
