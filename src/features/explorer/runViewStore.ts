// Remembers, per server and per experiment, the run filter and sort the user chose, plus the
// Experiments view's own name filter and "show deleted" toggle (workspaceState: the choice
// belongs to this workspace's work, not to every window).
import type * as vscode from 'vscode';

export interface RunView {
  /** MLflow filter expression, validated by the server when the runs load. */
  readonly filter?: string;
  /** One MLflow order_by clause, e.g. `metrics.rmse ASC`. */
  readonly orderBy?: string;
}

export interface ExperimentListView {
  readonly nameFilter?: string;
  readonly showDeleted?: boolean;
}

export class RunViewStore {
  private scope = '';

  constructor(private readonly memento: vscode.Memento) {}

  /** The server (or mlruns folder) the remembered choices belong to. */
  setScope(scope: string): void {
    this.scope = scope;
  }

  get(experimentId: string): RunView {
    return this.memento.get<RunView>(this.key(experimentId)) ?? {};
  }

  async set(experimentId: string, view: RunView): Promise<void> {
    const clean: RunView = { filter: view.filter?.trim() || undefined, orderBy: view.orderBy || undefined };
    await this.memento.update(this.key(experimentId), clean.filter || clean.orderBy ? clean : undefined);
  }

  isFiltered(experimentId: string): boolean {
    return !!this.get(experimentId).filter;
  }

  /** Experiments of this scope with a remembered filter or sort. */
  customizedExperiments(): string[] {
    const prefix = this.key('');
    return this.memento.keys().filter((k) => k.startsWith(prefix) && this.memento.get(k) !== undefined).map((k) => k.slice(prefix.length));
  }

  get experimentList(): ExperimentListView {
    return this.memento.get<ExperimentListView>(`mlwf.experimentList:${this.scope}`) ?? {};
  }

  async setExperimentList(view: ExperimentListView): Promise<void> {
    await this.memento.update(`mlwf.experimentList:${this.scope}`, view);
  }

  private key(experimentId: string): string {
    return `mlwf.runView:${this.scope}:${experimentId}`;
  }
}
