// Rows for MLflow 3 logged models (`m-…`) and MLflow 2 model folders, shown under a model version
// (its logged model) and under a run (the run's **Models** node). A logged model expands to its
// own files (not the run's: they live in `…/models/m-…/artifacts`), its params and its metrics.
import * as vscode from 'vscode';
import { modelsOfRun, type ArtifactOwner } from '../../core/backend/modelFiles';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { LoggedModel, Run } from '../../core/mlflow';
import { elideMiddle } from '../../core/text/elideMiddle';
import { ArtifactFolderNode, artifactRootNode } from '../artifacts/artifactNodes';
import type { ExplorerNode } from '../tree/explorerNode';
import { RETRY_NODE_COMMAND } from '../tree/nodeRefresh';
import { messageNode, rowsOrErrorRows } from '../tree/statusNodes';
import { escapeMarkdown } from './modelFormat';

/** `LOGGED_MODEL_READY` → `READY`. */
export function loggedModelStatus(model: LoggedModel): string {
  return model.info.status.replace(/^LOGGED_MODEL_/, '') || '?';
}

/** One key = value row (params and metrics of a logged model): server text only as plain text. */
class ValueNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode,
    readonly id: string,
    private readonly label: string,
    private readonly contextValue: string,
    private readonly description?: string,
    /** The row whole (its label may show the key shortened). */
    private readonly tooltip = label,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.tooltip = this.tooltip;
    item.description = this.description;
    item.contextValue = this.contextValue;
    return item;
  }
  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

class ValuesSectionNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    private readonly kind: 'params' | 'metrics',
    private readonly model: LoggedModel,
  ) {
    this.id = `${parent.id}/${kind}`;
  }
  private get count(): number {
    return this.kind === 'params' ? this.model.data.params.length : this.model.data.metrics.length;
  }
  getTreeItem(): vscode.TreeItem {
    const label = this.kind === 'params' ? vscode.l10n.t('Parameters') : vscode.l10n.t('Metrics');
    const item = new vscode.TreeItem(label, this.count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = String(this.count);
    item.iconPath = new vscode.ThemeIcon(this.kind === 'params' ? 'symbol-parameter' : 'graph-line');
    item.contextValue = `mlwf.loggedModel.${this.kind}`;
    return item;
  }
  async getChildren(): Promise<ExplorerNode[]> {
    const byKey = <T extends { key: string }>(a: T, b: T) => a.key.localeCompare(b.key);
    if (this.kind === 'params') {
      return [...this.model.data.params].sort(byKey).map((p) => new ValueNode(this, `${this.id}/${p.key}`, `${elideMiddle(p.key)} = ${p.value}`, 'mlwf.param', undefined, `${p.key} = ${p.value}`));
    }
    return [...this.model.data.metrics]
      .sort(byKey)
      .map((m, i) => new ValueNode(this, `${this.id}/${m.key}#${i}`, `${elideMiddle(m.key)} = ${m.value}`, 'mlwf.metric', m.dataset_name ? `${vscode.l10n.t('step {0}', m.step)} · ${m.dataset_name}` : vscode.l10n.t('step {0}', m.step), `${m.key} = ${m.value}`));
  }
}

/** A logged model: name, `m-… · READY`; expands to Artifacts (its own files), Parameters, Metrics. */
export class LoggedModelNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    readonly backend: TrackingBackend,
    readonly model: LoggedModel,
    /** Under a version the row reads "Logged model"; under a run, the model's name. */
    private readonly label?: string,
  ) {
    this.id = `${parent.id}/lm:${model.info.model_id}`;
  }

  get modelId(): string {
    return this.model.info.model_id;
  }

  /** `models:/m-…`: what export, the container recipe and MLflow's own loaders accept. */
  get modelUri(): string {
    return `models:/${this.modelId}`;
  }

  get owner(): ArtifactOwner {
    return { modelId: this.modelId, runId: this.model.info.source_run_id };
  }

  /** "Copy Artifact URI": where MLflow keeps the files. */
  artifactUriToCopy(): string {
    return this.model.info.artifact_uri || this.modelUri;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label ?? (this.model.info.name || this.modelId), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${this.modelId} · ${loggedModelStatus(this.model)}`;
    const md = new vscode.MarkdownString(
      [
        `**${escapeMarkdown(this.model.info.name || this.modelId)}**`,
        vscode.l10n.t('Logged model: {0}', escapeMarkdown(this.modelId)),
        vscode.l10n.t('Status: {0}', escapeMarkdown(this.model.info.status)),
        ...(this.model.info.source_run_id ? [vscode.l10n.t('Run ID: {0}', escapeMarkdown(this.model.info.source_run_id))] : []),
        vscode.l10n.t('Source: {0}', escapeMarkdown(this.model.info.artifact_uri)),
      ].join('\n\n'),
    );
    md.isTrusted = false;
    md.supportHtml = false;
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(this.model.info.status === 'LOGGED_MODEL_READY' ? 'symbol-class' : 'warning');
    item.contextValue = 'mlwf.loggedModel';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [
      artifactRootNode(this, this.backend, this.owner),
      new ValuesSectionNode(this, 'params', this.model),
      new ValuesSectionNode(this, 'metrics', this.model),
    ];
  }
}

/** A run's **Models** node: what the run logged, found when it is expanded (a few requests). */
export class RunModelsNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    private readonly backend: TrackingBackend,
    private readonly run: Run,
  ) {
    this.id = `${parent.id}/models`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Models'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'mlwf.runModels';
    return item;
  }

  getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    return rowsOrErrorRows(this, RETRY_NODE_COMMAND, async () => {
      const { loggedModels, folders } = await modelsOfRun(this.backend, this.run, { signal });
      const rows: ExplorerNode[] = [
        ...loggedModels.map((m) => new LoggedModelNode(this, this.backend, m)),
        // MLflow 2: the model is a folder of the run's artifacts (`runs:/ID/model`).
        ...folders.map((f) => new ArtifactFolderNode(this, { backend: this.backend, owner: { runId: this.run.info.run_id } }, f, f, `${this.id}/folder:${f}`)),
      ];
      return rows.length ? rows : [messageNode(this, `${this.id}:none`, vscode.l10n.t('No models logged by this run'))];
    });
  }
}
