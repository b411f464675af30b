/**
 * Tracking-URI handling, mirroring MLflow's Python client: the tracking URI may carry a path
 * prefix (`http://host:8080/mlflow/` behind a reverse proxy), which must be kept, and the API
 * path is appended after stripping trailing slashes so that no `//` ever appears.
 */

/** Join a tracking URI and an API path (`api/2.0/mlflow/...` or `/api/2.0/...`). */
export function joinTrackingUri(trackingUri: string, apiPath: string): string {
  const base = trackingUri.trim().replace(/\/+$/, '');
  const path = apiPath.replace(/^\/+/, '');
  return path === '' ? `${base}/` : `${base}/${path}`;
}

/** Short, credential-free label for the UI and logs: `host:port/prefix`. */
export function describeServer(trackingUri: string): string {
  let url: URL;
  try {
    url = new URL(trackingUri.trim());
  } catch {
    return trackingUri.trim();
  }
  // url.host already omits the default port; username/password are deliberately left out.
  const prefix = url.pathname.replace(/\/+$/, '');
  return `${url.host}${prefix}`;
}

/** Why a typed URL cannot be used as a tracking server; the UI words each in the user's language. */
export type TrackingUriProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'localPath' }
  | { readonly kind: 'noScheme' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'unsupportedScheme'; readonly scheme: string }
  | { readonly kind: 'credentialsInUrl' }
  | { readonly kind: 'queryOrFragment' };

/**
 * What is wrong with a URL typed by the user, or undefined when it is fine. Only http(s) servers
 * can be browsed over REST; the local `mlruns/` file store is opened another way, so say so.
 */
export function trackingUriProblem(input: string): TrackingUriProblem | undefined {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  if (/^(file:|\.{0,2}\/|~)/i.test(text) || /^[a-z]:\\/i.test(text)) return { kind: 'localPath' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { kind: 'noScheme' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'unsupportedScheme', scheme: url.protocol };
  // fetch refuses URLs with credentials, and a password in a setting would leak into files.
  if (url.username !== '' || url.password !== '') return { kind: 'credentialsInUrl' };
  if (url.search !== '' || url.hash !== '') return { kind: 'queryOrFragment' };
  return undefined;
}

/**
 * The problem as one English sentence (logs, CLI, tests), or undefined when the URL is fine:
 * the convention of VS Code's `validateInput`. The extension's UI localises the problem instead.
 */
export function validateTrackingUri(input: string): string | undefined {
  const problem = trackingUriProblem(input);
  const example = 'for example http://host:5000/mlflow/';
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'empty':
      return `Enter the MLflow tracking URL, ${example}.`;
    case 'localPath':
      return 'This is a local path: open the mlruns folder as a local store instead of a tracking server URL.';
    case 'noScheme':
      return `The tracking URL must start with http:// or https://, ${example}.`;
    case 'invalid':
      return `This is not a valid URL, ${example}.`;
    case 'unsupportedScheme':
      return `Only http:// and https:// tracking servers are supported (got ${problem.scheme}//).`;
    case 'credentialsInUrl':
      return 'Remove the user name and password from the URL: you will be asked to sign in separately.';
    case 'queryOrFragment':
      return `The tracking URL must not contain "?" or "#", ${example}.`;
  }
}

/** Canonical form of a valid tracking URI: lower-case host, exactly one trailing `/`. */
export function normalizeTrackingUri(input: string): string {
  const url = new URL(input.trim());
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}/`;
}
