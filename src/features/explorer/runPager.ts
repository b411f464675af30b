// One page of runs at a time, for an experiment or for a parent's child runs. Nothing here
// fetches everything: the tree asks for the next page only when the user clicks "Load more…",
// which is what keeps a 100,000-run experiment as cheap as a 100-run one. No vscode import.
import type { Run } from '../../core/mlflow';

export type RunPageFetcher = (pageToken: string | undefined, signal: AbortSignal) => Promise<{ runs: Run[]; next_page_token?: string }>;

export class RunPager {
  private readonly loaded: Run[] = [];
  private readonly seen = new Set<string>();
  private token: string | undefined;
  private started = false;

  constructor(private readonly fetchPage: RunPageFetcher) {}

  get runs(): readonly Run[] {
    return this.loaded;
  }

  get hasMore(): boolean {
    return !this.started || this.token !== undefined;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Fetches the next page (the first one on the first call) and appends it. */
  async loadNext(signal: AbortSignal): Promise<void> {
    if (this.started && this.token === undefined) return;
    const page = await this.fetchPage(this.token, signal);
    this.started = true;
    this.token = page.next_page_token || undefined;
    // Runs logged between two pages can shift the offsets: never show one run twice.
    for (const run of page.runs) {
      if (this.seen.has(run.info.run_id)) continue;
      this.seen.add(run.info.run_id);
      this.loaded.push(run);
    }
  }

  has(runId: string): boolean {
    return this.seen.has(runId);
  }
}

export const PARENT_RUN_TAG = 'mlflow.parentRunId';
export const NOTE_TAG = 'mlflow.note.content';

export function tagValue(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

/**
 * Which loaded runs belong at the experiment's top level. Children appear under their parent.
 * Without a filter every child's parent is in the same experiment, so children are always left
 * out; with a filter a matching child whose parent did not match would vanish, so it is left
 * out only when its parent is among the loaded runs.
 */
export function topLevelRuns(runs: readonly Run[], filterActive: boolean, isLoaded: (runId: string) => boolean): Run[] {
  return runs.filter((run) => {
    const parent = tagValue(run, PARENT_RUN_TAG);
    if (!parent) return true;
    return filterActive && !isLoaded(parent);
  });
}

/** MLflow filter for the children of one run (values are quoted, quotes escaped). */
export function childRunsFilter(parentRunId: string): string {
  return `tags.${PARENT_RUN_TAG} = '${parentRunId.replace(/'/g, "\\'")}'`;
}

/** `metrics.rmse`, or `metrics.\`val loss\`` for keys MLflow's parser would split. */
export function orderByKey(kind: 'metrics' | 'params' | 'tags' | 'attributes', key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${kind}.${key}` : `${kind}.\`${key.replace(/`/g, '')}\``;
}

export const DEFAULT_RUN_ORDER = 'attributes.start_time DESC';

export function runOrder(sort: string | undefined): string[] {
  return sort && sort !== DEFAULT_RUN_ORDER ? [sort, DEFAULT_RUN_ORDER] : [DEFAULT_RUN_ORDER];
}
