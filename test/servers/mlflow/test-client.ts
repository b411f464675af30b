/** A tiny client for the server's own tests (the product's client lives in src/core/mlflow). */

export interface ApiResult<T = Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  json: T;
  contentType: string;
}

export async function api(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/${path.replace(/^\//, '')}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  return { status: res.status, json: contentType.includes('json') ? JSON.parse(text) : { text }, contentType };
}

/** Every page of runs/search, following next_page_token (bounded). */
export async function allRunPages(
  baseUrl: string,
  request: Record<string, unknown>,
  maxPages = 1000,
): Promise<Array<Record<string, any>>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const runs = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const r = await api(baseUrl, 'POST', 'api/2.0/mlflow/runs/search', { ...request, page_token: token });
    if (r.status !== 200) throw new Error(`runs/search ${r.status}: ${JSON.stringify(r.json)}`);
    runs.push(...(r.json.runs ?? []));
    token = r.json.next_page_token;
    if (!token) return runs;
  }
  throw new Error('too many pages');
}

export function basicAuth(username: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
