// Rows of the Models view: a registered model, one of its versions, the version's source run.
// A version's children are its source run (a link into the Experiments view), its logged model
// (MLflow 3: id, status, params, metrics) and its files, from where MLflow says they are: the
// logged model's own root on MLflow 3, the run folder it was registered from on MLflow 2.
import * as vscode from 'vscode';
import { loggedModelsBackend, versionFiles } from '../../core/backend/modelFiles';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { ModelVersion, RegisteredModel } from '../../core/mlflow';
import { artifactRootNode } from '../artifacts/artifactNodes';
import { LoggedModelNode } from './loggedModelNodes';
import { RETRY_NODE_COMMAND } from '../tree/nodeRefresh';
import type { ExplorerNode } from '../tree/explorerNode';
import { aliasesOf, modelDescription, modelTooltip, sortVersionsNewestFirst, versionDescription, versionTooltip } from './modelFormat';
import { messageNode, rowsOrErrorRows } from '../tree/statusNodes';

export const REVEAL_RUN_COMMAND = 'mlwf.revealRun';


/** MLflow's filter grammar quotes strings with ' and escapes nothing else we need. */
export function nameFilter(name: string): string {
  return `name = '${name.replace(/'/g, "\\'")}'`;
}

/** All versions of one model, newest first (a registry rarely holds more than a few hundred). */
export async function loadVersions(backend: TrackingBackend, name: string, signal?: AbortSignal): Promise<ModelVersion[]> {
  const versions: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await backend.searchModelVersionsPage({ filter: nameFilter(name), maxResults: 1000, pageToken }, { signal });
    versions.push(...page.model_versions.filter((v) => v.name === name));
    pageToken = page.next_page_token;
  } while (pageToken);
  return sortVersionsNewestFirst(versions);
}

export class RegisteredModelNode implements ExplorerNode {
  readonly id: string;
  readonly parent = undefined;
  constructor(
    readonly backend: TrackingBackend,
    readonly model: RegisteredModel,
  ) {
    this.id = `model:${model.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.model.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = modelDescription(this.model);
    item.tooltip = modelTooltip(this.model);
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = this.model.aliases.length ? 'mlwf.registeredModel mlwf.hasAlias' : 'mlwf.registeredModel';
    return item;
  }

  getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    return rowsOrErrorRows(this, RETRY_NODE_COMMAND, async () => {
      const versions = await loadVersions(this.backend, this.model.name, signal);
      if (versions.length === 0) return [messageNode(this, `${this.id}:none`, vscode.l10n.t('No versions'))];
      return versions.map((v) => new ModelVersionNode(this, v));
    });
  }
}

export class ModelVersionNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: RegisteredModelNode,
    readonly version: ModelVersion,
  ) {
    this.id = `${parent.id}/v${version.version}`;
  }

  get aliases(): string[] {
    return aliasesOf(this.parent.model, this.version.version);
  }

  /** "Copy Artifact URI" of a version: where its files are (`source`). */
  artifactUriToCopy(): string {
    return this.version.source;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Version {0}', this.version.version), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = versionDescription(this.version, this.aliases);
    item.tooltip = versionTooltip(this.version, this.aliases);
    item.iconPath = new vscode.ThemeIcon(this.aliases.length ? 'tag' : 'versions');
    item.contextValue = this.aliases.length ? 'mlwf.modelVersion mlwf.hasAlias' : 'mlwf.modelVersion';
    return item;
  }

  getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    return rowsOrErrorRows(this, RETRY_NODE_COMMAND, async () => {
      const backend = this.parent.backend;
      const runId = this.version.run_id;
      const files = await versionFiles(backend, this.version, { signal });
      const rows: ExplorerNode[] = runId ? [new SourceRunNode(this, runId)] : [];
      if (!files) return [...rows, messageNode(this, `${this.id}:norun`, vscode.l10n.t('Not logged from a run: no files to show'))];
      if (files.owner.modelId !== undefined) {
        const model = await loggedModelsBackend(backend)?.getLoggedModel(files.owner.modelId, { signal });
        if (model) rows.push(new LoggedModelNode(this, backend, model, vscode.l10n.t('Logged model')));
      }
      rows.push(artifactRootNode(this, backend, files.owner, { path: files.path }));
      return rows;
    });
  }
}

export class SourceRunNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    readonly runId: string,
  ) {
    this.id = `${parent.id}/run`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Source run'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.runId;
    item.iconPath = new vscode.ThemeIcon('debug-start');
    item.tooltip = vscode.l10n.t('Show run {0} in the Experiments view', this.runId);
    item.contextValue = 'mlwf.sourceRun';
    item.command = { command: REVEAL_RUN_COMMAND, title: vscode.l10n.t('Reveal Run'), arguments: [this.runId] };
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}
