// The Experiments view's data provider over any TrackingBackend (the REST client when
// connected; the mlruns file store later). Generic over ExplorerNode: nodes render themselves
// and load their own children; this class owns the root list (experiments, paged, filtered by
// name, with or without deleted ones), refreshes, and the AbortSignal of the current render.
import * as vscode from 'vscode';
import type { Experiment, Run } from '../../core/mlflow';
import { reportsProblems, type TrackingBackend } from '../../core/backend/trackingBackend';
import { readExplorerSettings, type ExplorerContext, type RunChildFactory } from './explorerContext';
import type { ExplorerNode } from '../tree/explorerNode';
import { ExperimentNode } from './experimentNode';
import { ErrorNode, InfoNode, LoadMoreNode, StoreProblemNode, type Pageable, type Retryable } from '../tree/messageNodes';
import type { RunNode } from './runNode';
import { RunViewStore } from './runViewStore';

export interface ExperimentsTreeOptions {
  /** The backend to read, or undefined while there is none (the view then shows its welcome). */
  getBackend(): TrackingBackend | undefined;
  /** Identifies the server or folder, so remembered filters do not leak between servers. */
  getScope(): string;
  memento: vscode.Memento;
  /** Hook for the artifacts feature: extra children of every run node. */
  runChildren?: RunChildFactory;
  /** Experiments per page of the root list (MLflow allows up to 50,000). */
  experimentsPageSize?: number;
}

interface Resettable {
  reset(): void;
}

function isResettable(node: unknown): node is Resettable {
  return typeof (node as Partial<Resettable>).reset === 'function';
}

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, Pageable, Retryable, vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changedEmitter.event;
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  /** Some node's children were just rendered (new runs may be shown: live updates look again). */
  readonly onDidLoadChildren = this.loadedEmitter.event;
  readonly runView: RunViewStore;
  private controller = new AbortController();
  private ctx: ExplorerContext | undefined;
  private experiments: Experiment[] = [];
  private readonly nodes = new Map<string, ExperimentNode>();
  private nextToken: string | undefined;
  private started = false;
  private wantMore = false;
  private error: unknown;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: ExperimentsTreeOptions) {
    this.runView = new RunViewStore(options.memento);
  }

  /** Everything again from the server (no argument), or one node's children. */
  refresh(node?: ExplorerNode): void {
    if (node) {
      if (isResettable(node)) node.reset();
      this.changedEmitter.fire(node);
      return;
    }
    this.controller.abort();
    this.controller = new AbortController();
    this.ctx = undefined;
    this.experiments = [];
    this.nodes.clear();
    this.started = false;
    this.wantMore = false;
    this.error = undefined;
    this.loading = undefined;
    this.changedEmitter.fire(undefined);
  }

  loadMore(): void {
    this.wantMore = true;
    this.changedEmitter.fire(undefined);
  }

  retry(): void {
    if (this.started) this.wantMore = true;
    this.error = undefined;
    this.changedEmitter.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  /** Tooltips of runs and experiments are built when hovered, not for every row of a page. */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
    const withTooltip = node as Partial<{ resolveTooltip(): vscode.MarkdownString }>;
    if (typeof withTooltip.resolveTooltip === 'function') item.tooltip = withTooltip.resolveTooltip();
    return item;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) {
      const children = await node.getChildren(this.controller.signal);
      this.loadedEmitter.fire();
      return children;
    }
    const ctx = this.context();
    if (!ctx) return [];
    await this.loadExperiments(ctx, this.controller.signal);
    const nodes: ExplorerNode[] = this.experiments.map((e) => this.experimentNode(ctx, e));
    nodes.push(...(await this.storeProblems(ctx.backend)));
    if (this.error !== undefined) nodes.push(new ErrorNode(undefined, this.error, this, vscode.l10n.t('experiments')));
    else if (this.nextToken !== undefined) nodes.push(new LoadMoreNode(undefined, this, this.experiments.length));
    else if (nodes.length === 0) nodes.push(new InfoNode(undefined, '/empty', vscode.l10n.t('No experiments.')));
    return nodes;
  }

  /** Experiments of a local store that cannot be read; a server has no such thing to report. */
  private async storeProblems(backend: TrackingBackend): Promise<ExplorerNode[]> {
    if (!reportsProblems(backend)) return [];
    const problems = await backend.problems().catch(() => []);
    return problems.filter((p) => p.kind === 'experiment').map((p) => new StoreProblemNode(undefined, p));
  }

  /** The backend of the current render (undefined when not connected). */
  get backend(): TrackingBackend | undefined {
    return this.context()?.backend;
  }

  /** The experiment nodes currently shown (for commands and Find Run). */
  get experimentNodes(): ExperimentNode[] {
    return [...this.nodes.values()];
  }

  /** Every run node the tree has made (nested ones too): what live updates keep current. */
  loadedRunNodes(): RunNode[] {
    const out: RunNode[] = [];
    const visit = (nodes: readonly RunNode[]) => {
      for (const n of nodes) {
        out.push(n);
        visit(n.loadedChildren);
      }
    };
    for (const e of this.nodes.values()) visit(e.loadedRunNodes);
    return out;
  }

  /** Makes `run` part of the tree (pinned if not on a loaded page) and returns its node. */
  async nodeForRun(run: Run): Promise<RunNode | undefined> {
    const ctx = this.context();
    if (!ctx) return undefined;
    await this.getChildren();
    let experimentNode = this.nodes.get(run.info.experiment_id);
    if (!experimentNode) {
      // Not on a loaded page or hidden by the name filter: show it anyway, it was asked for.
      const experiment = await ctx.backend.getExperiment(run.info.experiment_id, { signal: this.controller.signal });
      this.experiments.unshift(experiment);
      experimentNode = this.experimentNode(ctx, experiment);
      this.changedEmitter.fire(undefined);
    }
    const node = experimentNode.pin(run);
    this.changedEmitter.fire(experimentNode);
    return node;
  }

  private experimentNode(ctx: ExplorerContext, experiment: Experiment): ExperimentNode {
    let node = this.nodes.get(experiment.experiment_id);
    if (!node) {
      node = new ExperimentNode(ctx, experiment);
      this.nodes.set(experiment.experiment_id, node);
    }
    return node;
  }

  private context(): ExplorerContext | undefined {
    const backend = this.options.getBackend();
    if (!backend) return undefined;
    if (this.ctx?.backend !== backend) {
      this.runView.setScope(this.options.getScope());
      this.ctx = {
        backend,
        settings: readExplorerSettings(),
        runView: this.runView,
        runChildren: this.options.runChildren,
        changed: (node) => this.changedEmitter.fire(node),
      };
    }
    return this.ctx;
  }

  private async loadExperiments(ctx: ExplorerContext, signal: AbortSignal): Promise<void> {
    if (this.loading) return this.loading;
    if (this.started && !this.wantMore) return;
    this.wantMore = false;
    const list = this.runView.experimentList;
    const nameFilter = list.nameFilter?.trim();
    const loading: Promise<void> = ctx.backend
      .searchExperimentsPage(
        {
          viewType: list.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
          filter: nameFilter ? `name ILIKE '%${nameFilter.replace(/'/g, "\\'")}%'` : undefined,
          maxResults: this.options.experimentsPageSize ?? 1000,
          pageToken: this.nextToken,
        },
        { signal },
      )
      .then((page) => {
        if (signal.aborted) return;
        const known = new Set(this.experiments.map((e) => e.experiment_id));
        this.experiments.push(...page.experiments.filter((e) => !known.has(e.experiment_id)));
        this.nextToken = page.next_page_token || undefined;
        this.started = true;
        this.error = undefined;
      })
      .catch((error: unknown) => {
        if (!signal.aborted) this.error = error;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    this.loading = loading;
    return loading;
  }

  dispose(): void {
    this.controller.abort();
    this.changedEmitter.dispose();
    this.loadedEmitter.dispose();
  }
}
