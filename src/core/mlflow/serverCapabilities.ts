/**
 * What the connected server can do, asked once per connection (the client memoises it): its
 * version (`GET version`, plain text on every release) and, on MLflow 3, `server-features`.
 * Routes are chosen from this answer — logged models or not — instead of probing per call.
 */
import type { CallOptions, MlflowHttp } from './http';
import { isMlflowError } from './errors';
import { asObject } from './normalize';

export interface ServerCapabilities {
  /** e.g. "2.14.3", "3.6.1.dev0"; undefined when the server (or a proxy) hides /version. */
  readonly mlflowVersion?: string;
  readonly major?: number;
  /** MLflow >= 3: logged models (`m-…`), `logged-models/*`, `outputs.model_outputs`. */
  readonly loggedModels: boolean;
  /** The raw `server-features` answer (MLflow 3), e.g. `{ workspaces_enabled: false }`. */
  readonly serverFeatures?: Readonly<Record<string, unknown>>;
}

/** "3.6.1.dev0" → 3; anything unparsable → undefined. */
export function majorVersionOf(version: string | undefined): number | undefined {
  const match = version ? /^(\d+)\./.exec(version.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

export function capabilitiesFromVersion(mlflowVersion: string | undefined, serverFeatures?: Record<string, unknown>): ServerCapabilities {
  const major = majorVersionOf(mlflowVersion);
  // Without a version, the presence of server-features (added in 3.x) decides.
  const loggedModels = major !== undefined ? major >= 3 : serverFeatures !== undefined;
  return { mlflowVersion, major, loggedModels, serverFeatures };
}

/** One line for the log: `MLflow 3.6.1.dev0 (logged models; features: workspaces_enabled=false)`. */
export function describeCapabilities(c: ServerCapabilities): string {
  const features = c.serverFeatures ? Object.entries(c.serverFeatures).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
  const parts = [c.loggedModels ? 'logged models' : 'no logged models', ...(features.length ? [`features: ${features.join(', ')}`] : [])];
  return `MLflow ${c.mlflowVersion ?? '(version unknown)'} (${parts.join('; ')})`;
}

export async function fetchCapabilities(http: MlflowHttp, version: () => Promise<string>, options: CallOptions = {}): Promise<ServerCapabilities> {
  const [mlflowVersion, serverFeatures] = await Promise.all([
    version().catch((e: unknown) => {
      if (isMlflowError(e) && e.kind === 'cancelled') throw e;
      return undefined;
    }),
    // 2.x has no such route (404); only an answer counts, any failure means "not there".
    http.getJson('api/2.0/mlflow/server-features', undefined, options).then(
      (raw) => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? asObject(raw) : undefined),
      (e: unknown) => {
        if (isMlflowError(e) && e.kind === 'cancelled') throw e;
        return undefined;
      },
    ),
  ]);
  return capabilitiesFromVersion(mlflowVersion, serverFeatures);
}
