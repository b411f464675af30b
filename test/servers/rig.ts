/**
 * The test rig: the test MLflow server behind a real nginx with Basic auth at `/mlflow/`, as on
 * ABCI. Tests talk to `trackingUri` with `username`/`password`; `admin` drives faults, inspects
 * requests and swaps scenarios on the running server.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { FaultSpec, SeenRequest } from './mlflow/admin';
import type { GenerateParams } from './mlflow/generate';
import { SCENARIO_DIR } from './mlflow/scenario';
import { startMlflowServer as startServer, type MlflowServerOptions } from './mlflow/server';
import { startNginx } from './nginx';

export type { FaultSpec, SeenRequest } from './mlflow/admin';
export type { GenerateParams } from './mlflow/generate';

export interface Rig {
  /** http://127.0.0.1:NGINX/mlflow/ (with trailing slash) */
  trackingUri: string;
  /** http://127.0.0.1:MLFLOW (no auth, no prefix) */
  directUrl: string;
  username: string;
  password: string;
  admin: {
    faults(f: FaultSpec): Promise<void>;
    clearFaults(): Promise<void>;
    requests(): Promise<SeenRequest[]>;
    clearRequests(): Promise<void>;
    loadScenario(s: unknown): Promise<void>;
  };
  stop(): Promise<void>;
}

export interface RigOptions {
  /** Scenario name under test/fixtures/scenarios (e.g. "recorded", "demo"), a path, or an object. */
  scenario?: string | object;
  username?: string;
  password?: string;
  generate?: GenerateParams;
  /** Fixed ports (the CLI's --port); 0/undefined = free ports. */
  nginxPort?: number;
  mlflowPort?: number;
}

export async function startMlflowServer(opts: MlflowServerOptions = {}): Promise<{ url: string; stop(): Promise<void> }> {
  return startServer(opts);
}

async function adminCall(directUrl: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${directUrl}/__admin/${route}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`admin ${method} ${route} failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A scenario given by name is sent as a file path so its `{file}` artifacts resolve. */
function scenarioPayload(s: unknown): unknown {
  if (typeof s !== 'string') return s;
  const p = s.endsWith('.json') || s.includes('/') ? path.resolve(s) : path.join(SCENARIO_DIR, `${s}.json`);
  return { scenarioFile: p };
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const username = opts.username ?? 'alice';
  const password = opts.password ?? randomBytes(12).toString('base64url');
  const server = await startServer({ scenario: opts.scenario ?? 'recorded', generate: opts.generate, port: opts.mlflowPort });
  let nginx;
  try {
    nginx = await startNginx({ upstreamPort: server.port, username, password, port: opts.nginxPort });
  } catch (e) {
    await server.stop();
    throw e;
  }
  const directUrl = server.url;
  let stopped = false;
  return {
    trackingUri: `http://127.0.0.1:${nginx.port}/mlflow/`,
    directUrl,
    username,
    password,
    admin: {
      faults: async (f) => void (await adminCall(directUrl, 'POST', 'faults', f)),
      clearFaults: async () => void (await adminCall(directUrl, 'DELETE', 'faults')),
      requests: async () => (await adminCall(directUrl, 'GET', 'requests')) as SeenRequest[],
      clearRequests: async () => void (await adminCall(directUrl, 'DELETE', 'requests')),
      loadScenario: async (s) => void (await adminCall(directUrl, 'POST', 'scenario', scenarioPayload(s))),
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await nginx.stop();
      await server.stop();
    },
  };
}
