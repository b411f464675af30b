// The runs the user asked to be told about ("Watch Run"), per server or store, kept in the
// workspace state so a reload keeps watching. A run leaves the list once its end was announced.
// The `mlwf.watchedRunIds` context key lets the row menu offer Watch or Stop Watching.
import * as vscode from 'vscode';
import type { LiveTarget } from '../../core/live';

export interface WatchedRun extends LiveTarget {
  readonly name: string;
}

const STATE_KEY = 'mlwf.live.watchedRuns';
export const WATCHED_CONTEXT_KEY = 'mlwf.watchedRunIds';

type Stored = Record<string, WatchedRun[]>;

const isWatched = (v: unknown): v is WatchedRun =>
  typeof v === 'object' && v !== null && typeof (v as WatchedRun).runId === 'string' && typeof (v as WatchedRun).experimentId === 'string' && typeof (v as WatchedRun).name === 'string';

export class WatchedRuns {
  private scope = '';
  private runs = new Map<string, WatchedRun>();

  constructor(private readonly memento: vscode.Memento) {}

  setScope(scope: string): void {
    if (scope === this.scope && this.runs.size > 0) return;
    this.scope = scope;
    const stored = this.memento.get<Stored>(STATE_KEY, {})[scope];
    this.runs = new Map((Array.isArray(stored) ? stored.filter(isWatched) : []).map((w) => [w.runId, w]));
    this.publish();
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  get all(): WatchedRun[] {
    return [...this.runs.values()];
  }

  add(run: WatchedRun): void {
    this.runs.set(run.runId, run);
    this.save();
  }

  delete(runId: string): boolean {
    const had = this.runs.delete(runId);
    if (had) this.save();
    return had;
  }

  private save(): void {
    const stored = { ...this.memento.get<Stored>(STATE_KEY, {}) };
    if (this.runs.size > 0) stored[this.scope] = this.all;
    else delete stored[this.scope];
    void this.memento.update(STATE_KEY, stored);
    this.publish();
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', WATCHED_CONTEXT_KEY, [...this.runs.keys()]);
  }
}
