/**
 * A tiny node:http MLflow stand-in with the same fault controls as the real test rig's admin
 * API (faults / requests), so the client's retry, cancel and timeout logic can be tested in
 * isolation and fast. Answers with canned JSON from `routes`; unknown paths get Flask's HTML 404.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Object → JSON; string/Buffer → as is. */
  body?: unknown;
}

export type StubRoute = (req: { method: string; path: string; query: URLSearchParams; body: string; headers: http.IncomingHttpHeaders }) => StubAnswer;

export interface StubFault {
  pathPrefix: string;
  /** status: the status with an HTML page (a proxy's or a crash's); mlflowError: with MLflow's error JSON. */
  mode: 'status' | 'mlflowError' | 'reset' | 'html' | 'delay';
  status?: number;
  count?: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface StubRequest {
  method: string;
  path: string;
  query: string;
  status?: number;
  hasAuthorization: boolean;
  headers: http.IncomingHttpHeaders;
}

export interface FlakyServer {
  /** Base URL with a path prefix, like the rig: http://127.0.0.1:N/mlflow/ */
  trackingUri: string;
  port: number;
  faults(fault: StubFault): void;
  clearFaults(): void;
  requests(): StubRequest[];
  /** Most requests open at the same time since the last clearRequests(). */
  maxConcurrent(): number;
  clearRequests(): void;
  stop(): Promise<void>;
}

const FLASK_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n';

export async function startFlakyServer(routes: Record<string, StubRoute>, prefix = '/mlflow'): Promise<FlakyServer> {
  const faults: StubFault[] = [];
  const log: StubRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let open = 0;
  let maxOpen = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const entry: StubRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      hasAuthorization: req.headers.authorization !== undefined,
      headers: req.headers,
    };
    log.push(entry);
    open++;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => open--);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, headers: Record<string, string>, payload: string | Buffer) => {
        entry.status = status;
        res.writeHead(status, headers);
        res.end(payload);
      };
      const path = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname;
      const fault = faults.find((f) => path.startsWith(f.pathPrefix) && (f.count === undefined || f.count > 0));
      if (fault) {
        if (fault.count !== undefined) fault.count--;
        switch (fault.mode) {
          case 'status':
            return send(fault.status ?? 503, { 'content-type': 'text/html', ...fault.headers }, `<html><body>${fault.status ?? 503}</body></html>`);
          case 'mlflowError':
            return send(fault.status ?? 500, { 'content-type': 'application/json', ...fault.headers }, JSON.stringify({ error_code: 'INTERNAL_ERROR', message: `Injected fault: HTTP ${fault.status ?? 500}` }));
          case 'html':
            return send(200, { 'content-type': 'text/html; charset=utf-8' }, '<!doctype html><html><title>Sign in</title></html>');
          case 'reset':
            return req.socket.destroy();
          case 'delay': {
            const timer = setTimeout(() => answer(), fault.delayMs ?? 5_000);
            res.on('close', () => clearTimeout(timer));
            return;
          }
        }
      }
      answer();

      function answer() {
        const route = routes[`${req.method} ${path}`];
        if (!route) return send(404, { 'content-type': 'text/html; charset=utf-8' }, FLASK_404);
        const out = route({ method: req.method ?? 'GET', path, query: url.searchParams, body, headers: req.headers });
        const payload = typeof out.body === 'string' || Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body ?? {});
        const isJson = !(typeof out.body === 'string' || Buffer.isBuffer(out.body));
        const length = { 'content-length': String(Buffer.byteLength(payload)) };
        send(out.status ?? 200, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...length, ...out.headers }, payload);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    trackingUri: `http://127.0.0.1:${port}${prefix}/`,
    port,
    faults: (fault) => faults.push({ ...fault }),
    clearFaults: () => void faults.splice(0),
    requests: () => [...log],
    maxConcurrent: () => maxOpen,
    clearRequests: () => {
      log.splice(0);
      maxOpen = open;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
