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

/**
 * Validate a URL typed by the user: returns one clear sentence when it cannot be used, or
 * undefined when it is fine (the convention of VS Code's `validateInput`). Only http(s) servers
 * can be browsed over REST; the local `mlruns/` file store is opened another way, so say so.
 */
export function validateTrackingUri(input: string): string | undefined {
  const text = input.trim();
  const example = 'for example http://host:5000/mlflow/';
  if (text === '') {
    return `Enter the MLflow tracking URL, ${example}.`;
  }
  if (/^(file:|\.{0,2}\/|~)/i.test(text) || /^[a-z]:\\/i.test(text)) {
    return 'This is a local path: open the mlruns folder as a local store instead of a tracking server URL.';
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return `The tracking URL must start with http:// or https://, ${example}.`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `This is not a valid URL, ${example}.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Only http:// and https:// tracking servers are supported (got ${url.protocol}//).`;
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses URLs with credentials, and a password in a setting would leak into files.
    return 'Remove the user name and password from the URL: you will be asked to sign in separately.';
  }
  if (url.search !== '' || url.hash !== '') {
    return `The tracking URL must not contain "?" or "#", ${example}.`;
  }
  return undefined;
}

/** Canonical form of a valid tracking URI: lower-case host, exactly one trailing `/`. */
export function normalizeTrackingUri(input: string): string {
  const url = new URL(input.trim());
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}/`;
}
