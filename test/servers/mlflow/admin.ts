/**
 * The test-only admin API (`/__admin/...`, outside `/api` so it can never be mistaken for MLflow):
 * fault injection, a log of the requests seen, and replacing the scenario.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FaultMode = 'status' | 'reset' | 'html' | 'delay' | 'json';

export interface FaultSpec {
  /** Matches request paths as the server sees them (after nginx strips `/mlflow`). */
  pathPrefix: string;
  status?: number;
  /** How many matching requests fail; default 1. */
  count?: number;
  delayMs?: number;
  mode?: FaultMode;
  /** `json` mode: answer 200 with this body instead (e.g. a hostile artifact listing). */
  body?: unknown;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  /** 0 when the connection was reset. */
  status: number;
  /** Whether an Authorization header arrived; its value is never stored. */
  hasAuthorization: boolean;
}

const ERROR_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  503: 'TEMPORARILY_UNAVAILABLE',
};

/** What a site's single-sign-on page looks like when it intercepts an API call. */
export const LOGIN_PAGE_HTML =
  '<!doctype html>\n<html><head><title>Sign in</title></head><body><form method="post" action="/login">' +
  '<h1>Sign in</h1><input name="username"><input name="password" type="password"><button>Sign in</button>' +
  '</form></body></html>\n';

const MAX_LOG = 20000;

export class AdminState {
  private faults: Array<Required<FaultSpec>> = [];
  readonly seen: SeenRequest[] = [];

  addFault(f: FaultSpec): void {
    if (typeof f?.pathPrefix !== 'string') throw new Error('pathPrefix is required');
    this.faults.push({ status: 503, count: 1, delayMs: 0, mode: 'status', body: undefined, ...f });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes one use of the first fault matching this path, if any. */
  takeFault(path: string): Required<FaultSpec> | undefined {
    const f = this.faults.find((x) => x.count > 0 && path.startsWith(x.pathPrefix));
    if (!f) return undefined;
    f.count--;
    this.faults = this.faults.filter((x) => x.count > 0);
    return f;
  }

  record(r: SeenRequest): void {
    this.seen.push(r);
    if (this.seen.length > MAX_LOG) this.seen.splice(0, this.seen.length - MAX_LOG);
  }
}

/**
 * Applies a fault; returns true when the response is finished (or the socket gone), false when
 * the request should go on normally (after a delay).
 */
export async function applyFault(f: Required<FaultSpec>, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (f.mode) {
    case 'delay':
      await new Promise((r) => setTimeout(r, f.delayMs));
      return false;
    case 'reset':
      if (req.headers['x-mlwf-via-proxy']) {
        // Behind nginx a dropped upstream becomes a 502 page; ask nginx to drop the client instead.
        res.writeHead(200, { 'X-Accel-Redirect': '/__mlwf_reset', 'Content-Length': 0 });
        res.end();
      } else {
        req.socket.destroy();
      }
      return true;
    case 'json': {
      const text = JSON.stringify(f.body ?? {});
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    case 'html':
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(LOGIN_PAGE_HTML) });
      res.end(LOGIN_PAGE_HTML);
      return true;
    default: {
      if (f.delayMs > 0) await new Promise((r) => setTimeout(r, f.delayMs));
      const body = JSON.stringify({ error_code: ERROR_CODES[f.status] ?? 'INTERNAL_ERROR', message: `Injected fault: HTTP ${f.status}` });
      res.writeHead(f.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
  }
}
