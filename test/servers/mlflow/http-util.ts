/** Responses in MLflow/Flask's exact forms, page tokens, and request argument parsing. */
import type { ServerResponse } from 'node:http';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParam = (message: string) => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, { error_code: e.errorCode, message: e.message });
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// Werkzeug's default error pages, byte for byte.
export function sendHtml404(res: ServerResponse): void {
  sendText(
    res,
    404,
    'text/html; charset=utf-8',
    '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n',
  );
}

export function sendHtml405(res: ServerResponse): void {
  sendText(
    res,
    405,
    'text/html; charset=utf-8',
    '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n',
  );
}

/** MLflow's token: base64 of Python's json.dumps({"offset": n}). */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64');
}

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) {
    throw invalidParam('Invalid page token, could not base64-decode');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw invalidParam(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw invalidParam(`Invalid page token, parsed value=${decoded}`);
  }
  return offset;
}

/** One page of an already sorted list, plus the token for the next one. */
export function page<T>(items: T[], offset: number, maxResults: number): { items: T[]; nextPageToken?: string } {
  const slice = items.slice(offset, offset + maxResults);
  const end = offset + slice.length;
  return { items: slice, nextPageToken: end < items.length ? encodePageToken(end) : undefined };
}

/** Request arguments from the JSON body (POST) and the query string (GET), like MLflow's parser. */
export class RequestArgs {
  constructor(
    readonly query: URLSearchParams,
    readonly body: Record<string, unknown> | undefined,
  ) {}

  private raw(name: string): unknown {
    if (this.body && name in this.body) return this.body[name];
    const all = this.query.getAll(name);
    return all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
  }

  str(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? String(v[0]) : String(v);
  }

  strs(name: string): string[] {
    const v = this.raw(name);
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') {
      throw invalidParam(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
    }
    return v;
  }

  int(name: string, fallback: number, max?: number): number {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') return fallback;
    const n = typeof v === 'number' ? v : Number(v);
    const type = typeof v === 'number' ? 'int' : 'str';
    if (!Number.isInteger(n) || (max !== undefined && n > max)) {
      throw invalidParam(
        `Invalid value ${String(v)} for parameter '${name}' supplied. Hint: Value was of type '${Number.isInteger(n) ? 'int' : type}'. See the API docs for more information about request parameters.`,
      );
    }
    return n;
  }
}

/** Drops undefined fields and empty lists, as MLflow's protobuf JSON does. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}
