// The paged list of runs shared by an experiment (its top-level runs) and by a parent run (its
// children): loads the first page on expand, one more page per "Load more…", and turns a
// failure into one error row with Retry so the rows already shown stay visible.
import type { Run } from '../../core/mlflow';
import { isMlflowError } from '../../core/mlflow';
import type { ExplorerContext } from './explorerContext';
import type { ExplorerNode } from '../tree/explorerNode';
import { ErrorNode, LoadMoreNode, type Pageable, type Retryable } from '../tree/messageNodes';
import { RunPager, type RunPageFetcher } from './runPager';

export class PagedRuns implements Pageable, Retryable {
  private pager: RunPager | undefined;
  private wantMore = false;
  private error: unknown;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly ctx: ExplorerContext,
    private readonly owner: ExplorerNode,
    private readonly fetchPage: RunPageFetcher,
    private readonly what: string,
  ) {}

  get runs(): readonly Run[] {
    return this.pager?.runs ?? [];
  }

  has(runId: string): boolean {
    return this.pager?.has(runId) ?? false;
  }

  /** Forgets what was loaded: the next expand starts again from the first page. */
  reset(): void {
    this.pager = undefined;
    this.wantMore = false;
    this.error = undefined;
    this.loading = undefined;
  }

  loadMore(): void {
    this.wantMore = true;
    this.ctx.changed(this.owner);
  }

  retry(): void {
    // A failed first page starts over; a failed later page is asked for again.
    if (this.pager && !this.pager.isStarted) this.pager = undefined;
    if (this.pager?.isStarted) this.wantMore = true;
    this.error = undefined;
    this.ctx.changed(this.owner);
  }

  /** Loads what the current state asks for; concurrent callers share the same request. */
  async ensureLoaded(signal: AbortSignal): Promise<void> {
    if (this.loading) return this.loading;
    const pager = (this.pager ??= new RunPager(this.fetchPage));
    if (pager.isStarted && !this.wantMore) return;
    this.wantMore = false;
    this.error = undefined;
    const loading: Promise<void> = pager
      .loadNext(signal)
      .catch((error: unknown) => {
        if (isMlflowError(error) && error.kind === 'cancelled') {
          this.wantMore = pager.isStarted; // ask again on the next render
          if (!pager.isStarted && this.pager === pager) this.pager = undefined;
          throw error;
        }
        this.error = error;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    this.loading = loading;
    return loading;
  }

  /** Rows after the runs: an error (with Retry) or "Load more…" when the server has more. */
  trailingNodes(shown: number): ExplorerNode[] {
    if (this.error !== undefined) return [new ErrorNode(this.owner, this.error, this, this.what)];
    if (this.pager?.isStarted && this.pager.hasMore) return [new LoadMoreNode(this.owner, this, shown)];
    return [];
  }

  get failed(): boolean {
    return this.error !== undefined;
  }
}
