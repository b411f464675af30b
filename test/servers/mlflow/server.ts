/**
 * An MLflow 2.14.3-compatible tracking server for tests: plain node:http, in-memory store,
 * answering in the shapes recorded from a real server (test/fixtures/mlflow-recorded/). A
 * scenario with `mlflowVersion: "3.6.1.dev0"` makes it answer as MLflow 3 (see mlflow3.ts,
 * checked against test/fixtures/mlflow-recorded-3.6/).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminState, applyFault, type FaultSpec } from './admin';
import type { GenerateParams } from './generate';
import { ApiError, RequestArgs, sendError, sendHtml404, sendHtml405, sendJson, sendText } from './http-util';
import { HANDLED, type Route } from './router';
import { mlflow3PrefixRoutes, mlflow3Routes, securityBlock } from './mlflow3';
import { artifactPrefixRoutes, artifactRoutes, serve } from './routes-artifacts';
import { registryRoutes } from './routes-registry';
import { trackingRoutes } from './routes-tracking';
import { loadScenarioFile, type LoadedScenario, type Scenario } from './scenario';
import { buildStore, type Store } from './store';

export interface MlflowServerOptions {
  /** Scenario name (under test/fixtures/scenarios), file path, or scenario object. */
  scenario?: string | object;
  /** Generated data added on top of the scenario. */
  generate?: GenerateParams;
  /** 0 (default) = a free port. */
  port?: number;
}

export interface MlflowServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const ROUTES: Record<string, Route> = { ...trackingRoutes, ...registryRoutes, ...artifactRoutes };
const ROUTES_3: Record<string, Route> = { ...ROUTES, ...mlflow3Routes };
const PREFIX_ROUTES_3: Record<string, Route> = { ...artifactPrefixRoutes, ...mlflow3PrefixRoutes(serve) };

// Real MLflow endpoints this server does not implement: wrong method is still a Flask 405.
const WRITE_ENDPOINTS = [
  'experiments/create', 'experiments/delete', 'experiments/restore', 'experiments/update', 'experiments/set-experiment-tag',
  'runs/create', 'runs/update', 'runs/delete', 'runs/restore', 'runs/log-metric', 'runs/log-parameter', 'runs/log-batch',
  'runs/log-model', 'runs/log-inputs', 'runs/set-tag', 'runs/delete-tag', 'registered-models/create',
  'registered-models/rename', 'registered-models/update', 'registered-models/delete', 'model-versions/create',
  'model-versions/update', 'model-versions/delete', 'model-versions/transition-stage',
].map((e) => `/api/2.0/mlflow/${e}`);

const INDEX_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>MLflow</title></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div><div id="modal"></div></body></html>';

export function resolveScenario(scenario: string | object | undefined, generate?: GenerateParams): LoadedScenario {
  const loaded: LoadedScenario =
    scenario === undefined ? { scenario: {}, baseDir: process.cwd() }
      : typeof scenario === 'string' ? loadScenarioFile(scenario)
        : { scenario: scenario as Scenario, baseDir: process.cwd() };
  if (generate) loaded.scenario = { ...loaded.scenario, generate: { ...loaded.scenario.generate, ...generate } };
  return loaded;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class MlflowApp {
  readonly admin = new AdminState();
  constructor(public store: Store) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/{2,}/g, '/'); // werkzeug merges slashes too
    if (path.startsWith('/__admin/')) return this.handleAdmin(req, res, path);

    const seen = { method: req.method ?? 'GET', path, query: url.search.replace(/^\?/, ''), status: 0, hasAuthorization: !!req.headers.authorization };
    const fault = this.admin.takeFault(path);
    res.on('finish', () => (seen.status = fault?.mode === 'reset' ? 0 : res.statusCode));
    this.admin.record(seen);
    if (fault && (await applyFault(fault, req, res))) return;
    const blocked = securityBlock(this.store, req);
    if (blocked) return sendText(res, 403, 'text/plain', blocked);

    try {
      const bodyText = await readBody(req);
      let body: Record<string, unknown> | undefined;
      if (bodyText.trim()) {
        try {
          body = JSON.parse(bodyText) as Record<string, unknown>;
        } catch {
          throw new ApiError(400, 'MALFORMED_REQUEST', 'Malformed request body: not valid JSON');
        }
      }
      if (this.handleStatic(req, res, path)) return;
      const [routes, prefixRoutes] = this.store.isMlflow3 ? [ROUTES_3, PREFIX_ROUTES_3] : [ROUTES, artifactPrefixRoutes];
      let route = this.store.missingRoutes.has(path) ? undefined : routes[path];
      let subPath = '';
      if (!route) {
        const prefix = Object.keys(prefixRoutes).find((p) => path.startsWith(p));
        if (prefix) [route, subPath] = [prefixRoutes[prefix], decodeURIComponent(path.slice(prefix.length))];
      }
      if (!route) {
        if (WRITE_ENDPOINTS.includes(path)) {
          if (req.method !== 'POST') return sendHtml405(res);
          throw new ApiError(501, 'NOT_IMPLEMENTED', `${path} is not implemented by the test server`);
        }
        return sendHtml404(res);
      }
      if (!route.methods.includes(req.method ?? 'GET')) return sendHtml405(res);
      const result = await route.handler({ store: this.store, args: new RequestArgs(url.searchParams, body), req, res, subPath });
      if (result !== HANDLED) sendJson(res, 200, result);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof ApiError) return sendError(res, e);
      sendError(res, new ApiError(500, 'INTERNAL_ERROR', String((e as Error)?.message ?? e)));
    }
  }

  private handleStatic(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/health') sendText(res, 200, 'text/html; charset=utf-8', 'OK');
    else if (path === '/version') sendText(res, 200, 'text/html; charset=utf-8', this.store.mlflowVersion);
    else if (path === '/') {
      res.setHeader('Content-Disposition', 'inline; filename=index.html');
      sendText(res, 200, 'text/html; charset=utf-8', INDEX_HTML);
    }
    else return false;
    return true;
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const text = await readBody(req);
      const body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
      const key = `${req.method} ${path}`;
      if (key === 'POST /__admin/faults') this.admin.addFault(body as unknown as FaultSpec);
      else if (key === 'DELETE /__admin/faults') this.admin.clearFaults();
      else if (key === 'GET /__admin/requests') return sendJson(res, 200, this.admin.seen);
      else if (key === 'DELETE /__admin/requests') this.admin.seen.length = 0;
      else if (key === 'POST /__admin/scenario') {
        const file = typeof body.scenarioFile === 'string' ? body.scenarioFile : undefined;
        this.store = buildStore(resolveScenario(file ?? body));
        return sendJson(res, 200, { experiments: this.store.experiments.length, runs: this.store.runs.length });
      } else return sendJson(res, 404, { error: `unknown admin endpoint ${key}` });
      sendJson(res, 200, {});
    } catch (e) {
      sendJson(res, 400, { error: String((e as Error)?.message ?? e) });
    }
  }
}

export async function startMlflowServer(opts: MlflowServerOptions = {}): Promise<MlflowServer> {
  const app = new MlflowApp(buildStore(resolveScenario(opts.scenario, opts.generate)));
  const server = createServer((req, res) => {
    app.handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
