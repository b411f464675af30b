/**
 * A fault-injecting HTTP proxy for tests (loopback only), in front of nginx or the S3 server.
 * Each rule matches `METHOD path?query` and fails every Nth match, up to a limit:
 *   - `status` answers 503/500 (S3-style XML or MLflow-style JSON, whichever the upstream speaks);
 *   - `reset` destroys the client's connection before any answer;
 *   - `cut` forwards the headers and the first `cutAfter` body bytes, then destroys the connection
 *     (a transfer cut mid-file: Content-Length promises more than arrives);
 *   - `stall` forwards the headers and `cutAfter` bytes, then sends nothing more but keeps the
 *     connection open (a half-dead connection).
 * Requests are forwarded byte for byte with their Host header, so S3 signatures still verify.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  mode: 'status' | 'reset' | 'cut' | 'stall';
  match: RegExp;
  /** Inject on every Nth matching request (default 1 = every one). */
  every?: number;
  /** At most this many injections (default unlimited). */
  limit?: number;
  status?: number;
  /** `cut`: body bytes forwarded before the connection is dropped. */
  cutAfter?: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** `mode METHOD path` of every injected fault, in order. */
  injected: string[];
  /** Every request line seen, in order (faulted or not), with ` [bytes=N-]` when it asked for a Range. */
  seen: string[];
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstreamPort: number, rules: FaultRule[] = []): Promise<FaultProxy> {
  let active = rules.map((r) => ({ ...r, seenCount: 0, injectedCount: 0 }));
  const injected: string[] = [];
  const seen: string[] = [];

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, cutAfter?: number, stall = false) => {
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      if (cutAfter === undefined) return void ur.pipe(res);
      let sent = 0;
      ur.on('data', (chunk: Buffer) => {
        if (sent >= cutAfter) return;
        res.write(chunk.subarray(0, cutAfter - sent));
        sent += chunk.length;
        if (sent >= cutAfter) {
          ur.destroy();
          // Let the bytes already written leave before the connection dies (or, stalled, never ends).
          if (!stall) setTimeout(() => res.socket?.destroy(), 20);
        }
      });
      ur.on('end', () => {
        if (sent < cutAfter) res.end();
      });
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };

  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(req.headers.range ? `${line} [${req.headers.range}]` : line);
    for (const r of active) {
      if (!r.match.test(line)) continue;
      r.seenCount++;
      if (r.seenCount % (r.every ?? 1) !== 0 || r.injectedCount >= (r.limit ?? Infinity)) continue;
      r.injectedCount++;
      injected.push(`${r.mode} ${line}`);
      if (r.mode === 'reset') return void req.socket.destroy();
      if (r.mode === 'cut') return forward(req, res, r.cutAfter ?? 1000);
      if (r.mode === 'stall') return forward(req, res, r.cutAfter ?? 1000, true);
      const status = r.status ?? 503;
      req.resume();
      const s3 = /^(GET|HEAD|PUT) \/[^/]+\/?/.test(line) && !line.includes('/mlflow/');
      const body = s3
        ? `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${status === 503 ? 'SlowDown' : 'InternalError'}</Code><Message>injected</Message></Error>`
        : JSON.stringify({ error_code: status === 503 ? 'TEMPORARILY_UNAVAILABLE' : 'INTERNAL_ERROR', message: 'injected' });
      res.writeHead(status, { 'Content-Type': s3 ? 'application/xml' : 'application/json', 'Content-Length': Buffer.byteLength(body) });
      return void res.end(body);
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    injected,
    seen,
    setRules(next) {
      active = next.map((r) => ({ ...r, seenCount: 0, injectedCount: 0 }));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
