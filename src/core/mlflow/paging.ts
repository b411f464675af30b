/**
 * Generic paging over MLflow's `next_page_token`: every search answers a token while more
 * results remain, and the client passes it back as `page_token`.
 */
import { cancelledError, MlflowError } from './errors';
import type { Paged } from './types';
import * as l10n from '@vscode/l10n';

export type PageFetcher<P extends Paged> = (pageToken: string | undefined) => Promise<P>;

/** Yields whole pages (useful to render incrementally) until the last one. */
export async function* iteratePages<P extends Paged>(fetchPage: PageFetcher<P>, signal?: AbortSignal): AsyncGenerator<P> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    if (signal?.aborted) throw cancelledError(undefined, signal.reason);
    const page = await fetchPage(token);
    yield page;
    token = page.next_page_token || undefined;
    if (token !== undefined) {
      // A server that hands back a token it already gave would make us loop forever.
      if (seen.has(token)) {
        throw new MlflowError({
          kind: 'server',
          userMessage: l10n.t('The MLflow server returned the same page twice, so the listing was stopped.'),
        });
      }
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Yields items one by one across all pages. */
export async function* iterateItems<P extends Paged, T>(
  fetchPage: PageFetcher<P>,
  itemsOf: (page: P) => T[],
  signal?: AbortSignal,
): AsyncGenerator<T> {
  for await (const page of iteratePages(fetchPage, signal)) {
    yield* itemsOf(page);
  }
}

/** Collects an async iterable, stopping early after `limit` items when given. */
export async function collect<T>(items: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const all: T[] = [];
  if (limit <= 0) return all;
  for await (const item of items) {
    all.push(item);
    if (all.length >= limit) break;
  }
  return all;
}
