/**
 * Credentials for an MLflow tracking server, chosen exactly as MLflow's Python client does:
 * Basic when both user name and password are set, otherwise a Bearer token, otherwise nothing.
 */

export type MlflowAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

export interface TlsOptions {
  /** Skip certificate verification (MLFLOW_TRACKING_INSECURE_TLS). */
  insecure?: boolean;
  /** PEM CA bundle used to verify the server (MLFLOW_TRACKING_SERVER_CERT_PATH). */
  caCertPath?: string;
}

export interface MlflowConnectionSettings {
  trackingUri?: string;
  auth: MlflowAuth;
  tls: TlsOptions;
}

export function authFromCredentials(creds: {
  username?: string;
  password?: string;
  token?: string;
}): MlflowAuth {
  if (creds.username && creds.password) {
    return { kind: 'basic', username: creds.username, password: creds.password };
  }
  if (creds.token) {
    return { kind: 'bearer', token: creds.token };
  }
  return { kind: 'none' };
}

/** Value of the Authorization header, or undefined when no credentials are configured. */
export function authorizationHeader(auth: MlflowAuth): string | undefined {
  switch (auth.kind) {
    case 'basic':
      // UTF-8, as browsers and nginx's htpasswd check treat non-ASCII passwords.
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
    case 'none':
      return undefined;
  }
}

/** Safe description for logs: never contains the password or token. */
export function describeAuth(auth: MlflowAuth): string {
  switch (auth.kind) {
    case 'basic':
      return `basic (user ${auth.username})`;
    case 'bearer':
      return 'bearer token';
    case 'none':
      return 'none';
  }
}

function envFlag(value: string | undefined): boolean {
  // MLflow's boolean env vars accept true/false and 1/0, case-insensitively.
  return value !== undefined && ['true', '1'].includes(value.trim().toLowerCase());
}

function envText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Read the same environment variables as the MLflow Python client. */
export function connectionFromEnv(env: NodeJS.ProcessEnv): MlflowConnectionSettings {
  const tls: TlsOptions = {};
  if (envFlag(env.MLFLOW_TRACKING_INSECURE_TLS)) {
    tls.insecure = true;
  }
  const caCertPath = envText(env.MLFLOW_TRACKING_SERVER_CERT_PATH);
  if (caCertPath) {
    tls.caCertPath = caCertPath;
  }
  return {
    trackingUri: envText(env.MLFLOW_TRACKING_URI),
    auth: authFromCredentials({
      // Passwords and tokens are used verbatim: spaces may be significant.
      username: envText(env.MLFLOW_TRACKING_USERNAME),
      password: env.MLFLOW_TRACKING_PASSWORD || undefined,
      token: env.MLFLOW_TRACKING_TOKEN || undefined,
    }),
    tls,
  };
}
