// Decides which server, TLS options and fallback credentials the extension uses, from the
// user's settings and the extension host's environment. Plain Node so it is unit-tested; the
// host passes `vscode.workspace.getConfiguration('mlwf')` values and `process.env` in.
//
// Why the environment: researchers already export MLFLOW_TRACKING_* in their job scripts and
// shell profiles on the login node; the extension host started by Remote-SSH inherits them, so
// an empty setting should "just work" like the Python client does.

import { connectionFromEnv, type MlflowAuth } from '../mlflow/auth';

/** Credentials worth storing or offering: everything but "none". */
export type BasicOrTokenAuth = Exclude<MlflowAuth, { kind: 'none' }>;

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
  const fromEnv = connectionFromEnv(env); // the Python client's reading of MLFLOW_TRACKING_*
  const fromSettings = input.trackingUri.trim();
  const trackingUri = fromSettings || fromEnv.trackingUri || undefined;
  const source = fromSettings ? 'settings' : fromEnv.trackingUri ? 'environment' : 'none';
  const caCertPath = input.tlsCaCertPath.trim() || fromEnv.tls.caCertPath || undefined;

  const envAuthApplies =
    trackingUri !== undefined && (!fromEnv.trackingUri || serverKey(fromEnv.trackingUri) === serverKey(trackingUri));
  return {
    trackingUri,
    source,
    tls: { insecure: input.tlsInsecure || fromEnv.tls.insecure === true, caCertPath },
    timeoutMs: Math.max(1, input.requestTimeoutSeconds || 30) * 1000,
    environmentAuth: envAuthApplies && fromEnv.auth.kind !== 'none' ? fromEnv.auth : undefined,
  };
}
