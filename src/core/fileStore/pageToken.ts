/**
 * Offset paging for in-memory result lists. Tokens are opaque to callers (base64 JSON, like
 * MLflow's own) and carry a fingerprint of the query, so a token reused with another filter
 * is refused instead of silently skipping results.
 */
import { createHash } from 'node:crypto';
import { MlflowError } from '../mlflow/errors';
import type { Paged } from '../mlflow/types';

export function queryFingerprint(query: unknown): string {
  return createHash('sha1').update(JSON.stringify(query)).digest('base64url').slice(0, 12);
}

function invalid(userMessage: string): MlflowError {
  return new MlflowError({ kind: 'invalidParameter', userMessage });
}

export function checkedMaxResults(value: number | undefined, fallback: number, maximum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > maximum) {
    throw invalid(`max_results must be an integer between 1 and ${maximum} (got ${value}).`);
  }
  return value;
}

function decodeOffset(token: string | undefined, fingerprint: string): number {
  if (token === undefined || token === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const o = parsed as { offset?: unknown; query?: unknown } | undefined;
  if (!o || typeof o.offset !== 'number' || !Number.isInteger(o.offset) || o.offset < 0) {
    throw invalid('The page token is not valid: start the listing again.');
  }
  if (o.query !== fingerprint) {
    throw invalid('The page token belongs to another search: start the listing again.');
  }
  return o.offset;
}

/** One page of `items` and the token for the next one (absent on the last page). */
export function pageOf<T>(items: readonly T[], maxResults: number, token: string | undefined, fingerprint: string): { items: T[] } & Paged {
  const offset = decodeOffset(token, fingerprint);
  const end = offset + maxResults;
  const next = end < items.length ? Buffer.from(JSON.stringify({ offset: end, query: fingerprint })).toString('base64url') : undefined;
  return { items: items.slice(offset, end), next_page_token: next };
}
