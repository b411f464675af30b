// Decides which server, TLS options and fallback credentials the extension uses, from the
// user's settings and the extension host's environment. Plain Node so it is unit-tested; the
// host passes `vscode.workspace.getConfiguration('mlwf')` values and `process.env` in.
//
// Why the environment: researchers already export MLFLOW_TRACKING_* in their job scripts and
// shell profiles on the login node; the extension host started by Remote-SSH inherits them, so
// an empty setting should "just work" like the Python client does.

export type BasicOrTokenAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export interface ConnectionSettingsInput {
  /** `mlwf.trackingUri`; empty means "use MLFLOW_TRACKING_URI". */
  readonly trackingUri: string;
  readonly tlsInsecure: boolean;
  readonly tlsCaCertPath: string;
  readonly requestTimeoutSeconds: number;
}

export interface ResolvedConnection {
  /** The server to talk to, or undefined when neither the setting nor the environment names one. */
  readonly trackingUri: string | undefined;
  readonly source: 'settings' | 'environment' | 'none';
  readonly tls: { readonly insecure: boolean; readonly caCertPath: string | undefined };
  readonly timeoutMs: number;
  /**
   * Credentials from MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN. Only offered for
   * the server the environment names (or any server when MLFLOW_TRACKING_URI is unset), so a
   * password meant for one server is never sent to another.
   */
  readonly environmentAuth: BasicOrTokenAuth | undefined;
}

const TRUE_VALUES = new Set(['true', '1', 'yes', 'on']);

/** Same key for `http://h:5000/mlflow/` and `http://H:5000/mlflow`: credentials are per server. */
export function serverKey(trackingUri: string): string {
  try {
    const url = new URL(trackingUri.trim());
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return trackingUri.trim().replace(/\/+$/, '');
  }
}

export function resolveConnection(input: ConnectionSettingsInput, env: NodeJS.ProcessEnv): ResolvedConnection {
  const fromSettings = input.trackingUri.trim();
  const fromEnv = (env.MLFLOW_TRACKING_URI ?? '').trim();
  const trackingUri = fromSettings || fromEnv || undefined;
  const source = fromSettings ? 'settings' : fromEnv ? 'environment' : 'none';

  const envInsecure = TRUE_VALUES.has((env.MLFLOW_TRACKING_INSECURE_TLS ?? '').trim().toLowerCase());
  const caCertPath = input.tlsCaCertPath.trim() || (env.MLFLOW_TRACKING_SERVER_CERT_PATH ?? '').trim() || undefined;

  const envAuthApplies = trackingUri !== undefined && (!fromEnv || serverKey(fromEnv) === serverKey(trackingUri));
  return {
    trackingUri,
    source,
    tls: { insecure: input.tlsInsecure || envInsecure, caCertPath },
    timeoutMs: Math.max(1, input.requestTimeoutSeconds || 30) * 1000,
    environmentAuth: envAuthApplies ? authFromEnvironment(env) : undefined,
  };
}

/** Basic when both user name and password are set, else a bearer token: the Python client's rule. */
export function authFromEnvironment(env: NodeJS.ProcessEnv): BasicOrTokenAuth | undefined {
  const username = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (username && password) return { kind: 'basic', username, password };
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return { kind: 'bearer', token };
  return undefined;
}
