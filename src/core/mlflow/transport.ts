/**
 * The fetch function the client uses, with TLS options applied and each attempt reported.
 *
 * Why undici's own fetch for TLS: Node's global fetch ignores `https.Agent` and has no option
 * for a CA bundle or for skipping verification; it only honours an undici `dispatcher`, and a
 * dispatcher from the npm `undici` package is not guaranteed to match the undici version built
 * into Node. Using the npm package's `fetch` together with its own `Agent` makes the
 * `connect: { ca }` / `rejectUnauthorized: false` options really apply.
 */
import { readFileSync } from 'node:fs';
import type { Agent, RequestInit as UndiciRequestInit } from 'undici';
import type { TlsOptions } from './auth';
import { MlflowError } from './errors';
import * as l10n from '@vscode/l10n';

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface RequestLogEvent {
  method: string;
  /** URL path + query of one attempt; credentials are never part of it (they are headers). */
  path: string;
  status?: number;
  durationMs: number;
  error?: string;
}

export type TlsConnectOptions = { rejectUnauthorized: false } | { ca: string } | undefined;

/** The socket options the TLS settings translate to (undefined = Node's defaults). */
export function tlsConnectOptions(tls: TlsOptions | undefined): TlsConnectOptions {
  if (tls?.insecure) {
    return { rejectUnauthorized: false };
  }
  if (tls?.caCertPath) {
    let ca: string;
    try {
      ca = readFileSync(tls.caCertPath, 'utf8');
    } catch (e) {
      throw new MlflowError({
        kind: 'network',
        userMessage: l10n.t('The CA certificate file for the MLflow server could not be read: check the configured path.'),
        cause: e,
      });
    }
    return { ca };
  }
  return undefined;
}

/**
 * undici is loaded on the first request that needs it: most users set no TLS option, and the
 * package is most of the extension's code (the bundle ships it as a separate file).
 */
type Undici = typeof import('undici');
let undiciModule: Undici | undefined;
const loadUndici = async (): Promise<Undici> =>
  // A plain require at first use: esbuild maps it to the separate dist/vendor/undici.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (undiciModule ??= require('undici') as Undici);

/** undici's fetch does not accept a Request built by Node's global fetch: pass url + init. */
function fetchThroughAgent(getAgent: () => Promise<Agent>): FetchLike {
  return async (input: Request) => {
    const [{ fetch: undiciFetch }, agent] = await Promise.all([loadUndici(), getAgent()]);
    const hasBody = input.method !== 'GET' && input.method !== 'HEAD';
    const init: UndiciRequestInit = {
      method: input.method,
      headers: [...input.headers],
      body: hasBody ? Buffer.from(await input.arrayBuffer()) : undefined,
      signal: input.signal,
      redirect: input.redirect,
      dispatcher: agent,
    };
    // undici's Response is structurally the web Response the rest of the code expects.
    return (await undiciFetch(input.url, init)) as unknown as Response;
  };
}

export interface TransportHandle {
  fetch: FetchLike;
  /** Closes pooled TLS sockets, if any were opened by a private agent. */
  close(): Promise<void>;
}

export function createTransport(
  tls: TlsOptions | undefined,
  onRequest?: (e: RequestLogEvent) => void,
): TransportHandle {
  const connect = tlsConnectOptions(tls);
  let agent: Promise<Agent> | undefined;
  const getAgent = () => (agent ??= loadUndici().then(({ Agent: UndiciAgent }) => new UndiciAgent({ connect })));
  const base: FetchLike = connect ? fetchThroughAgent(getAgent) : (input, init) => globalThis.fetch(input, init);

  const report = (event: RequestLogEvent) => {
    try {
      onRequest?.(event);
    } catch {
      // A failing log hook must never turn into a failed request.
    }
  };
  const logged: FetchLike = async (input, init) => {
    if (!onRequest) {
      return base(input, init);
    }
    const url = new URL(input.url);
    const event = { method: input.method, path: `${url.pathname}${url.search}` };
    const started = performance.now();
    try {
      const response = await base(input, init);
      report({ ...event, status: response.status, durationMs: performance.now() - started });
      return response;
    } catch (e) {
      const code = (e as { cause?: { code?: unknown } })?.cause?.code;
      const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      report({
        ...event,
        durationMs: performance.now() - started,
        error: typeof code === 'string' ? `${reason} (${code})` : reason,
      });
      throw e;
    }
  };
  return { fetch: logged, close: async () => (agent ? (await agent).close() : undefined) };
}
