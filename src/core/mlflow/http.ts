/**
 * HTTP layer of the MLflow client: one ky instance per connection, retries for idempotent
 * calls only, a timeout per attempt and for reading the body, and every failure turned into an
 * MlflowError.
 *
 * ky is ESM-only while this project compiles as CommonJS (module Node16): its types are
 * imported with `resolution-mode: import` and the module itself is loaded with a dynamic
 * `import()` on first use. Node, tsx and esbuild (which inlines it) all handle that.
 */
import type { KyInstance, RetryOptions } from 'ky' with { 'resolution-mode': 'import' };
import { authorizationHeader, type MlflowAuth, type TlsOptions } from './auth';
import {
  cancelledError,
  errorFromResponse,
  isMlflowError,
  MlflowError,
  networkError,
  notJsonError,
  timeoutError,
} from './errors';
import { bulkGet, createBulkAgents, HeadersTimeoutError, type BulkAgents, type BulkResponse } from './bulkGet';
import { createTransport, tlsConnectOptions, type RequestLogEvent, type TransportHandle } from './transport';
import { joinTrackingUri } from './uri';

export type { RequestLogEvent } from './transport';

export interface RetrySettings {
  /** Extra attempts after the first one (default 3). */
  limit?: number;
  /** Exponential backoff: initialDelayMs * 2^(retry-1), capped at maxDelayMs. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Upper bound for a server's Retry-After (default 30 s). */
  maxRetryAfterMs?: number;
}

export interface MlflowHttpOptions {
  /** e.g. `http://host:8080/mlflow/`; the path prefix is kept. */
  trackingUri: string;
  auth: MlflowAuth;
  tls?: TlsOptions;
  /** Per attempt, until the answer is fully read (streams: until headers). Default 30000. */
  timeoutMs?: number;
  retry?: RetrySettings;
  /** Called once per HTTP attempt (retries included); never receives credentials. */
  onRequest?: (e: RequestLogEvent) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  json?: unknown;
  /** Safe to repeat: GET, or a read-only POST such as runs/search. */
  idempotent: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const RETRY_STATUS = [429, 500, 502, 503, 504];

/** True when a response body is MLflow's error JSON (`{"error_code": …}`); reads a clone. */
async function carriesMlflowError(response: Response): Promise<boolean> {
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return false;
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && typeof (body as { error_code?: unknown }).error_code === 'string';
  } catch {
    return false;
  }
}

export function buildUrl(trackingUri: string, path: string, query?: Query): string {
  const url = new URL(joinTrackingUri(trackingUri, path));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    // Repeated keys for lists (run_ids=a&run_ids=b), as MLflow's Flask handlers expect.
    for (const item of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, String(item));
    }
  }
  return url.toString();
}

function describeRequest(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method} ${parsed.pathname}${parsed.search}`;
}

export class MlflowHttp {
  readonly trackingUri: string;
  readonly timeoutMs: number;
  private readonly auth: MlflowAuth;
  private readonly retry: Required<RetrySettings> & { backoff: { initialDelayMs: number; maxDelayMs: number } };
  private readonly transport: TransportHandle;
  private readonly tls?: TlsOptions;
  private readonly onRequest?: (e: RequestLogEvent) => void;
  private bulkAgents?: BulkAgents;
  private kyPromise?: Promise<KyInstance>;

  constructor(options: MlflowHttpOptions) {
    this.trackingUri = options.trackingUri;
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = {
      limit: options.retry?.limit ?? 3,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 30_000,
      backoff: {
        initialDelayMs: options.retry?.backoff?.initialDelayMs ?? 500,
        maxDelayMs: options.retry?.backoff?.maxDelayMs ?? 8_000,
      },
    };
    this.transport = createTransport(options.tls, options.onRequest);
    this.tls = options.tls;
    this.onRequest = options.onRequest;
  }

  async getJson(path: string, query?: Query, options: CallOptions = {}): Promise<unknown> {
    return this.requestJson({ method: 'GET', path, query, idempotent: true, signal: options.signal });
  }

  async postJson(path: string, body: unknown, options: CallOptions & { idempotent: boolean }): Promise<unknown> {
    return this.requestJson({ method: 'POST', path, json: body, idempotent: options.idempotent, signal: options.signal });
  }

  /** MLflow's registry updates (registered-models/update, model-versions/update) are PATCH. */
  async patchJson(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.requestJson({ method: 'PATCH', path, json: body, idempotent: false, signal: options.signal });
  }

  /** MLflow reads a DELETE's arguments from a JSON body (only GET uses the query string). */
  async deleteJson(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.requestJson({ method: 'DELETE', path, json: body, idempotent: false, signal: options.signal });
  }

  /** Plain-text endpoints such as /version. */
  async getText(path: string, options: CallOptions = {}): Promise<string> {
    const { text } = await this.requestText({ method: 'GET', path, idempotent: true, signal: options.signal });
    return text;
  }

  /** A streamed GET (artifact download): the caller owns and must consume or cancel the body. */
  async getStream(path: string, query: Query | undefined, options: CallOptions & { headers?: Record<string, string> }): Promise<Response> {
    return this.send({ method: 'GET', path, query, idempotent: true, signal: options.signal, headers: options.headers });
  }

  /**
   * A streamed GET on Node's http client (see bulkGet.ts for why): resolves with a 2xx answer and
   * its body as a Node stream, or throws the same MlflowError the ky path gives. One attempt:
   * its caller (the export's downloader) retries and resumes with Range itself.
   */
  async getBulk(path: string, query: Query | undefined, options: CallOptions & { headers?: Record<string, string>; headersTimeoutMs?: number }): Promise<BulkResponse> {
    const url = buildUrl(this.trackingUri, path, query);
    const request = describeRequest('GET', url);
    const { signal } = options;
    const timeoutMs = options.headersTimeoutMs ?? this.timeoutMs;
    if (signal?.aborted) throw cancelledError(request, signal.reason);
    const authorization = authorizationHeader(this.auth);
    this.bulkAgents ??= createBulkAgents(tlsConnectOptions(this.tls));
    const started = performance.now();
    const report = (event: Partial<RequestLogEvent>) => {
      try {
        this.onRequest?.({ method: 'GET', path: request.slice(4), durationMs: performance.now() - started, ...event });
      } catch {
        // A failing log hook must never turn into a failed request.
      }
    };
    let response: BulkResponse;
    try {
      response = await bulkGet(url, {
        headers: { ...(authorization ? { authorization } : {}), ...options.headers },
        signal,
        timeoutMs,
        agents: this.bulkAgents,
      });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      report({ error: `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${typeof code === 'string' ? ` (${code})` : ''}` });
      if (signal?.aborted) throw cancelledError(request, e);
      if (e instanceof HeadersTimeoutError) throw timeoutError(timeoutMs, request, e);
      throw networkError(e, request);
    }
    report({ status: response.status });
    if (response.status >= 200 && response.status < 300) return response;
    let bodyText = '';
    try {
      // An error page or MLflow's error JSON: small, but never read more than 1 MiB of it.
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size > 1024 * 1024) break;
      }
      bodyText = Buffer.concat(chunks).toString('utf8');
    } catch {
      // The status alone still tells what happened.
    } finally {
      response.body.destroy();
    }
    const contentType = response.headers['content-type'];
    throw errorFromResponse({ status: response.status, contentType: contentType ?? null, bodyText, hadCredentials: this.auth.kind !== 'none', request });
  }

  async close(): Promise<void> {
    this.bulkAgents?.destroy();
    await this.transport.close();
  }

  private async requestJson(spec: RequestSpec): Promise<unknown> {
    const { text, contentType, status, request } = await this.requestText({
      ...spec,
      headers: { accept: 'application/json', ...spec.headers },
    });
    if (contentType !== null && /html/i.test(contentType)) {
      throw notJsonError(status, request());
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      // An empty (or blank) 2xx body means "nothing": MLflow answers {} for that, some proxies nothing.
      if (text.trim() === '') return {};
      throw notJsonError(status, request(), e);
    }
  }

  /**
   * Sends, then reads the whole body under the same timeout budget as the headers. `request`
   * describes the call for error messages; it is built only when one is needed.
   */
  private async requestText(spec: RequestSpec) {
    const bodyDeadline = new AbortController();
    const signal = spec.signal ? AbortSignal.any([spec.signal, bodyDeadline.signal]) : bodyDeadline.signal;
    const response = await this.send({ ...spec, signal }, spec.signal);
    const request = () => describeRequest(spec.method, response.url || buildUrl(this.trackingUri, spec.path, spec.query));
    const timer = setTimeout(() => bodyDeadline.abort(), this.timeoutMs);
    try {
      const text = await response.text();
      return { text, contentType: response.headers.get('content-type'), status: response.status, request };
    } catch (e) {
      if (spec.signal?.aborted) throw cancelledError(request(), e);
      if (bodyDeadline.signal.aborted) throw timeoutError(this.timeoutMs, request(), e);
      throw networkError(e, request());
    } finally {
      clearTimeout(timer);
    }
  }

  /** One logical call (with retries); resolves only with a 2xx Response. */
  private async send(spec: RequestSpec, userSignal: AbortSignal | undefined = spec.signal): Promise<Response> {
    const url = buildUrl(this.trackingUri, spec.path, spec.query);
    if (userSignal?.aborted) {
      throw cancelledError(describeRequest(spec.method, url), userSignal.reason);
    }
    const ky = await this.ky();
    try {
      return await ky(url, {
        method: spec.method,
        json: spec.json,
        // ky's merge treats `headers: undefined` as "no headers", which would drop the instance's
        // Authorization header (a 401 on /version behind the proxy): pass them only when given.
        ...(spec.headers ? { headers: spec.headers } : {}),
        signal: spec.signal,
        retry: this.retryOptions(spec, userSignal),
      });
    } catch (e) {
      throw await this.toMlflowError(e, describeRequest(spec.method, url), userSignal);
    }
  }

  private retryOptions(spec: RequestSpec, userSignal: AbortSignal | undefined): RetryOptions | number {
    if (!spec.idempotent || this.retry.limit <= 0) {
      return 0;
    }
    const { initialDelayMs, maxDelayMs } = this.retry.backoff;
    return {
      limit: this.retry.limit,
      methods: [spec.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'],
      statusCodes: RETRY_STATUS,
      afterStatusCodes: [429, 503],
      maxRetryAfter: this.retry.maxRetryAfterMs,
      backoffLimit: maxDelayMs,
      delay: (retryCount) => initialDelayMs * 2 ** (retryCount - 1),
      retryOnTimeout: false,
      shouldRetry: async ({ error }) => {
        if (userSignal?.aborted) return false;
        if (error.name === 'HTTPError') {
          // A 500 whose body is MLflow's own error JSON is the server's considered answer (e.g. a
          // missing artifact behind the proxy): asking again gives the same answer, seconds later.
          // A bare 500 (a proxy's page, a crash) may be transient and keeps ky's retry rules.
          const response = (error as { response?: Response }).response;
          if (response?.status === 500 && (await carriesMlflowError(response))) return false;
          return undefined; // ky checks RETRY_STATUS + Retry-After
        }
        // Connection refused / reset / DNS hiccup: fetch rejects with a TypeError.
        return error.name === 'TypeError';
      },
    };
  }

  private async toMlflowError(e: unknown, request: string, userSignal: AbortSignal | undefined): Promise<MlflowError> {
    if (isMlflowError(e)) return e;
    if (userSignal?.aborted) return cancelledError(request, e);
    const name = e instanceof Error ? e.name : '';
    if (name === 'TimeoutError') return timeoutError(this.timeoutMs, request, e);
    const response = (e as { response?: unknown }).response;
    if (name === 'HTTPError' && response instanceof Object && 'status' in response) {
      const res = response as Response;
      let bodyText = '';
      try {
        bodyText = await res.text();
      } catch {
        // The status alone still tells what happened.
      }
      return errorFromResponse({
        status: res.status,
        contentType: res.headers.get('content-type'),
        bodyText,
        hadCredentials: this.auth.kind !== 'none',
        request,
      });
    }
    return networkError(e, request);
  }

  private ky(): Promise<KyInstance> {
    const authorization = authorizationHeader(this.auth);
    this.kyPromise ??= import('ky').then(({ default: ky }) =>
      ky.create({
        timeout: this.timeoutMs,
        throwHttpErrors: true,
        headers: authorization ? { authorization } : {},
        hooks: {
          // The failed attempt's body is never read: release its connection before retrying.
          beforeRetry: [({ error }) => void (error as { response?: Response }).response?.body?.cancel().catch(() => undefined)],
        },
        fetch: (input, init) =>
          this.transport.fetch(input instanceof Request ? input : new Request(input, init), init),
      }),
    );
    return this.kyPromise;
  }
}
