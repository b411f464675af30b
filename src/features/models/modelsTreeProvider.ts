// The Models view: registered models one page at a time ("Load more…"), each expanding to its
// versions, each version to its source run and files. Reloads whenever the connection changes.
// Children are cached per node so `reveal` (Find Model Version…) walks the same node objects
// VS Code already shows; refresh drops the cache and aborts loads still in flight.
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { isMlflowError, type MlflowError, type RegisteredModel } from '../../core/mlflow';
import type { ConnectionManager } from '../connection/connectionManager';
import type { ExplorerNode } from '../tree/explorerNode';
import { onDidRequestNodeRefresh } from '../tree/nodeRefresh';
import { ModelVersionNode, RegisteredModelNode } from './modelNodes';
import { errorNodes, loadMoreNode, messageNode } from '../tree/statusNodes';

export const LOAD_MORE_MODELS_COMMAND = 'mlwf.models.loadMore';

/** MLflow refuses registered-models/search with max_results above 1000. */
const MAX_PAGE_SIZE = 1000;

export function modelsPageSize(): number {
  const value = vscode.workspace.getConfiguration('mlwf').get<number>('modelsPageSize', 100);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(value)));
}

export class ModelsTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private models: RegisteredModel[] = [];
  private nextPageToken: string | undefined;
  private loadedFor: TrackingBackend | undefined;
  private loadError: MlflowError | undefined;
  private loading: Promise<void> | undefined;
  private controller = new AbortController();
  private readonly children = new Map<string, Promise<ExplorerNode[]>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly connection: ConnectionManager) {
    this.subscriptions = [
      connection.onDidChangeState(() => this.refresh()),
      onDidRequestNodeRefresh((node) => this.refresh(node)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mlwf.modelsPageSize') && this.refresh()),
    ];
  }

  get backend(): TrackingBackend | undefined {
    return this.connection.backend;
  }

  /** Reloads one node's children, or everything (new first page) when `node` is undefined. */
  refresh(node?: ExplorerNode): void {
    if (node) {
      for (const key of [...this.children.keys()]) if (key === node.id || key.startsWith(`${node.id}/`)) this.children.delete(key);
      this.changed.fire(node);
      return;
    }
    this.controller.abort();
    this.controller = new AbortController();
    this.children.clear();
    this.models = [];
    this.nextPageToken = undefined;
    this.loadedFor = undefined;
    this.loadError = undefined;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) {
      let cached = this.children.get(node.id);
      if (!cached) {
        cached = node.getChildren(this.controller.signal);
        this.children.set(node.id, cached);
        // A failed load is not kept: the next expansion tries again.
        cached.catch(() => this.children.delete(node.id));
      }
      return cached;
    }
    const backend = this.backend;
    if (!backend) return []; // the welcome view (package.json) explains how to connect
    if (this.loadedFor !== backend) await this.loadPage(backend, true);
    if (this.loadError) return errorNodes(undefined, 'models', this.loadError, 'mlwf.refreshModels');
    if (this.models.length === 0) return [messageNode(undefined, 'models:none', vscode.l10n.t('No registered models on this server'))];
    const nodes: ExplorerNode[] = [...this.rootNodes(backend)];
    if (this.nextPageToken) nodes.push(loadMoreNode(undefined, 'models:more', this.models.length, LOAD_MORE_MODELS_COMMAND));
    return nodes;
  }

  /** Appends the next page and redraws the root. */
  async loadMore(): Promise<void> {
    const backend = this.backend;
    if (!backend || !this.nextPageToken) return;
    await this.loadPage(backend, false);
    this.changed.fire(undefined);
  }

  /** The version's row, loading the model (even if beyond the pages shown) and its versions. */
  async findVersionNode(name: string, version: string): Promise<ModelVersionNode | undefined> {
    const backend = this.backend;
    if (!backend) return undefined;
    if (this.loadedFor !== backend) await this.loadPage(backend, true);
    let modelNode = this.rootNodes(backend).find((n): n is RegisteredModelNode => n instanceof RegisteredModelNode && n.model.name === name);
    if (!modelNode) {
      // Not on a loaded page: show it at the end so the reveal has a row to land on.
      this.models.push(await backend.getRegisteredModel(name, { signal: this.controller.signal }));
      this.rootCache = undefined;
      this.changed.fire(undefined);
      modelNode = this.rootNodes(backend).find((n): n is RegisteredModelNode => n instanceof RegisteredModelNode && n.model.name === name);
    }
    if (!modelNode) return undefined;
    const versions = await this.getChildren(modelNode);
    return versions.find((n): n is ModelVersionNode => n instanceof ModelVersionNode && n.version.version === version);
  }

  /**
   * After a write (alias, tag, description, new version): the model's fresh state replaces the
   * old one and only its rows are redrawn, its versions asked again; the list is not reloaded.
   */
  updateModel(model: RegisteredModel): void {
    const index = this.models.findIndex((m) => m.name === model.name);
    if (index >= 0) this.models[index] = model;
    else this.models.push(model);
    if (this.rootCache) {
      const { backend } = this.rootCache;
      const nodes = this.rootCache.nodes.filter((n) => n.model.name !== model.name);
      const fresh = new RegisteredModelNode(backend, model);
      this.rootCache = { backend, count: this.models.length, nodes: this.models.map((m) => (m.name === model.name ? fresh : nodes.find((n) => n.model.name === m.name) ?? new RegisteredModelNode(backend, m))) };
    }
    const id = `model:${model.name}`;
    for (const key of [...this.children.keys()]) if (key === id || key.startsWith(`${id}/`)) this.children.delete(key);
    this.changed.fire(undefined);
  }

  private rootCache: { backend: TrackingBackend; count: number; nodes: RegisteredModelNode[] } | undefined;

  /** Same node objects across redraws, so cached children and reveal keep working. */
  private rootNodes(backend: TrackingBackend): RegisteredModelNode[] {
    if (!this.rootCache || this.rootCache.backend !== backend || this.rootCache.count !== this.models.length) {
      const previous = new Map((this.rootCache?.backend === backend ? this.rootCache.nodes : []).map((n) => [n.model.name, n]));
      const nodes = this.models.map((m) => previous.get(m.name) ?? new RegisteredModelNode(backend, m));
      this.rootCache = { backend, count: this.models.length, nodes };
    }
    return this.rootCache.nodes;
  }

  private loadPage(backend: TrackingBackend, first: boolean): Promise<void> {
    if (this.loading) return this.loading;
    const signal = this.controller.signal;
    this.loading = (async () => {
      try {
        const page = await backend.searchRegisteredModelsPage(
          { maxResults: modelsPageSize(), pageToken: first ? undefined : this.nextPageToken, orderBy: ['name ASC'] },
          { signal },
        );
        if (signal.aborted) return;
        if (first) this.models = [];
        const known = new Set(this.models.map((m) => m.name));
        this.models.push(...page.registered_models.filter((m) => !known.has(m.name)));
        this.nextPageToken = page.next_page_token;
        this.loadError = undefined;
      } catch (error) {
        if (!isMlflowError(error)) throw error;
        if (signal.aborted) return;
        this.loadError = error;
      } finally {
        if (!signal.aborted) {
          this.loadedFor = backend;
          this.loading = undefined;
        }
      }
    })();
    return this.loading;
  }

  dispose(): void {
    this.controller.abort();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
