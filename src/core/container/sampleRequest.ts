// "Send Sample Request": the model's input example as the JSON MLflow's scoring server takes at
// POST /invocations, and its answer as predictions. Plain fetch: the server is the user's own,
// on a compute node or localhost, with no auth.
import * as l10n from '@vscode/l10n';

export class ScoringError extends Error {}

const WRAPPERS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

/**
 * The request body for an input example as MLflow saved it: a pandas example is `{columns, data}`
 * (split orient) → `dataframe_split`; a newer serving example is already wrapped; a list of
 * records → `dataframe_records`; anything else goes as `inputs`.
 */
export function requestBodyFor(example: unknown): Record<string, unknown> {
  if (example && typeof example === 'object' && !Array.isArray(example)) {
    const record = example as Record<string, unknown>;
    if (WRAPPERS.some((k) => k in record)) return record;
    if (Array.isArray(record.data) && (Array.isArray(record.columns) || record.columns === undefined)) return { dataframe_split: record };
  }
  if (Array.isArray(example) && example.every((r) => r && typeof r === 'object' && !Array.isArray(r))) return { dataframe_records: example };
  return { inputs: example };
}

export interface ScoringResult {
  readonly predictions: unknown;
  readonly status: number;
  readonly durationMs: number;
}

/** `http://host:port` (with or without a trailing path) → its /invocations URL. */
export function invocationsUrl(base: string): string {
  const url = new URL(base.trim());
  if (!/^https?:$/.test(url.protocol)) throw new ScoringError(l10n.t('{0} is not an http:// address.', base));
  if (!url.pathname.endsWith('/invocations')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/invocations`;
  return url.toString();
}

export async function sendScoringRequest(base: string, body: string, signal?: AbortSignal): Promise<ScoringResult> {
  const url = invocationsUrl(base);
  try {
    JSON.parse(body);
  } catch (err) {
    throw new ScoringError(l10n.t('The request is not valid JSON: {0}', (err as Error).message));
  }
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: signal ?? AbortSignal.timeout(120_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code;
    if (code === 'ECONNREFUSED') throw new ScoringError(l10n.t('Nothing is listening at {0}: is the model being served (MLWF: Serve Model)?', new URL(url).host));
    // A server that is stopping (or a kept-alive connection to one that has gone) resets the socket
    // instead of refusing it: say so rather than undici's bare "fetch failed".
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') throw new ScoringError(l10n.t('The server at {0} closed the connection: is the model still being served (MLWF: Serve Model)?', new URL(url).host));
    if (code === 'ENOTFOUND') throw new ScoringError(l10n.t('The host {0} is unknown.', new URL(url).hostname));
    throw new ScoringError(l10n.t('The request to {0} failed: {1}', url, (err as Error).message));
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ScoringError(l10n.t('The server answered {0} with something other than JSON: {1}', response.status, text.slice(0, 200)));
  }
  if (!response.ok) {
    const message = (json as { message?: unknown }).message;
    throw new ScoringError(l10n.t('The model server answered {0}: {1}', response.status, typeof message === 'string' ? message.split('\n')[0] : text.slice(0, 200)));
  }
  const predictions = json && typeof json === 'object' && 'predictions' in json ? (json as { predictions: unknown }).predictions : json;
  return { predictions, status: response.status, durationMs: Date.now() - started };
}
