/**
 * GET for large bodies (a model export's files) on Node's own http/https client.
 *
 * Why not fetch (ky) here: a body through fetch is a web stream, and every network chunk costs
 * a few promise hops in undici's fetch, ReadableStream and Readable.fromWeb. MLflow's
 * mlflow-artifacts route sends a binary file line by line, so a 1 GiB file arrives in ~500,000
 * chunks of a few hundred bytes to a few KiB: fetch spent ~13 s of CPU per GiB on them, taken from
 * the compression running alongside. Node's http hands each chunk to one 'data' event of a
 * plain Readable (see docs/features/export.md for the measurements). JSON calls stay on ky (its
 * retries and timeouts suit small answers); this is only for streamed downloads, which the
 * export's downloader retries and resumes itself.
 *
 * Kept from the ky path: the Authorization header (dropped on a redirect to another origin, as
 * fetch does), the tracking URI's path prefix (the caller builds the URL), the TLS settings
 * (CA file, insecure), the per-attempt timeout until the headers arrive, cancellation through
 * an AbortSignal (also while the body is read), and no content coding (identity, so a proxy's
 * gzip can never turn the byte counts and ranges into something else).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { TlsConnectOptions } from './transport';

export interface BulkResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as a Node stream; destroyed if the signal aborts while it is read. */
  body: http.IncomingMessage;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface BulkGetOptions {
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Until the response headers arrive (the body's pace is the caller's business). */
  timeoutMs: number;
  agents: BulkAgents;
}

export interface BulkAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** Keep-alive agents (one export fetches many files from one server); TLS options as configured. */
export function createBulkAgents(connect: TlsConnectOptions): BulkAgents {
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true, ...connect }),
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
  return agents;
}

/** The error a timeout before the headers gives (the caller maps it to a timeout MlflowError). */
export class HeadersTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response headers within ${timeoutMs} ms`);
    this.name = 'HeadersTimeoutError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

function once(url: URL, options: BulkGetOptions, headers: Record<string, string>): Promise<http.IncomingMessage> {
  const { signal, timeoutMs, agents } = options;
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, { method: 'GET', headers, agent: secure ? agents.https : agents.http });
    const timer = setTimeout(() => request.destroy(new HeadersTimeoutError(timeoutMs)), timeoutMs);
    const onAbort = () => request.destroy(abortReason(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
    };
    // Kept for the request's life: a socket error during the body is emitted here as well (the
    // body reports it to its reader); without a listener it would be an uncaught 'error'.
    request.on('error', (error) => {
      settle();
      signal?.removeEventListener('abort', onAbort);
      reject(error); // no-op once the response has resolved the promise
    });
    request.once('response', (response) => {
      settle();
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        response.destroy();
        reject(abortReason(signal));
        return;
      }
      // Cancel while the body is read: the stream errors with the abort, the socket is closed.
      const onBodyAbort = () => response.destroy(abortReason(signal!));
      signal?.addEventListener('abort', onBodyAbort, { once: true });
      response.once('close', () => signal?.removeEventListener('abort', onBodyAbort));
      resolve(response);
    });
    request.end();
  });
}

/** One GET (redirects followed, at most 5); resolves with any status, the caller decides. */
export async function bulkGet(url: string, options: BulkGetOptions): Promise<BulkResponse> {
  let target = new URL(url);
  let headers: Record<string, string> = { 'accept-encoding': 'identity', ...options.headers };
  for (let hop = 0; ; hop++) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const response = await once(target, options, headers);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined || hop >= MAX_REDIRECTS) {
      return { status: response.statusCode ?? 0, headers: response.headers, body: response, url: target.toString() };
    }
    response.resume(); // the redirect's own body is not wanted; this frees the socket
    const next = new URL(location, target);
    if (next.origin !== target.origin) {
      // Credentials are for the tracking server only, as fetch does on a cross-origin redirect.
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    }
    target = next;
  }
}
