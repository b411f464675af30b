// The lazy artifact tree of one run (or of one MLflow 3 logged model): one listing request per
// expanded folder (never the whole store up front; runs can hold thousands of files). Files
// carry an `mlwf-artifact:` URI as resourceUri, which gives them the file-icon theme's icon and
// lets them open in an editor.
import * as vscode from 'vscode';
import { formatBytes as formatSize } from '../../core/formatBytes';
import { artifactBaseName, artifactStoreUri, runsUri, safeArtifactSegments } from '../../core/artifacts/artifactPaths';
import { ARTIFACT_SCHEME, artifactAuthority, artifactUriPath, type ArtifactLocation } from '../../core/artifacts/artifactUri';
import { listOwnerArtifacts, type ArtifactOwner } from '../../core/backend/modelFiles';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { ExplorerNode } from '../tree/explorerNode';
import { messageNode, rowsOrErrorRows } from '../tree/statusNodes';
import { RETRY_NODE_COMMAND } from '../tree/nodeRefresh';

/** What every row of one run's (or logged model's) artifact tree shares. */
export interface ArtifactSource {
  readonly backend: TrackingBackend;
  readonly owner: ArtifactOwner;
  /** The owner's artifact root (`s3://…/artifacts`), learnt from the first listing: for "Copy Artifact URI". */
  rootUri?: string;
}

/** `mlwf-artifact://run/<id>/<path>`, or `mlwf-artifact://model/<m-id>/<path>` for a logged model. */
export function artifactUri(owner: ArtifactOwner | string, path: string): vscode.Uri {
  const o: ArtifactOwner = typeof owner === 'string' ? { runId: owner } : owner;
  const location: ArtifactLocation = o.modelId !== undefined ? { modelId: o.modelId, path } : { runId: o.runId, path };
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, authority: artifactAuthority(location), path: artifactUriPath(location) });
}

/** `runs:/ID/path`, or `models:/m-…/path` for a logged model's file: what MLflow's own APIs accept. */
export function mlflowUriOf(owner: ArtifactOwner, path: string): string {
  if (owner.modelId === undefined) return runsUri(owner.runId, path);
  const clean = safeArtifactSegments(path)?.join('/') ?? '';
  return clean ? `models:/${owner.modelId}/${clean}` : `models:/${owner.modelId}`;
}

/** A listing's size, or '' when the store did not give one. */
export function formatBytes(size: number | undefined): string {
  return size === undefined ? '' : formatSize(size);
}

export class ArtifactFolderNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly source: ArtifactSource,
    /** '' = the run's artifact root. */
    readonly path: string,
    private readonly label?: string,
    id?: string,
  ) {
    this.id = id ?? `${parent?.id ?? ''}/${path}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label ?? artifactBaseName(this.path), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    if (this.label !== undefined) {
      item.iconPath = new vscode.ThemeIcon('archive');
      item.contextValue = 'mlwf.artifactRoot';
    } else {
      item.iconPath = vscode.ThemeIcon.Folder;
      item.resourceUri = artifactUri(this.source.owner, this.path);
      item.contextValue = 'mlwf.artifactFolder';
    }
    return item;
  }

  getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    return rowsOrErrorRows(this, RETRY_NODE_COMMAND, async () => {
      const listing = await listOwnerArtifacts(this.source.backend, this.source.owner, this.path || undefined, { signal });
      if (listing.root_uri) this.source.rootUri = listing.root_uri;
      const prefix = this.path === '' ? '' : `${this.path}/`;
      // Server paths are user-controlled: skip anything outside this folder or with `..`.
      const entries = listing.files.filter((f) => f.path.startsWith(prefix) && f.path !== this.path && safeArtifactSegments(f.path) !== undefined);
      entries.sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
      if (entries.length === 0) return [messageNode(this, `${this.id}:empty`, vscode.l10n.t('No artifacts'))];
      return entries.map((f) =>
        f.is_dir ? new ArtifactFolderNode(this, this.source, f.path) : new ArtifactFileNode(this, this.source, f.path, f.file_size),
      );
    });
  }
}

export class ArtifactFileNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly source: ArtifactSource,
    readonly path: string,
    readonly size: number | undefined,
  ) {
    this.id = `${parent?.id ?? ''}/${path}`;
  }

  /** The file in its store (`s3://…/model/MLmodel`); `runs:/ID/path` when the server did not say. */
  artifactUriToCopy(): string {
    const root = this.source.rootUri;
    return root ? artifactStoreUri(root, this.path) : mlflowUriOf(this.source.owner, this.path);
  }

  get uri(): vscode.Uri {
    return artifactUri(this.source.owner, this.path);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(artifactBaseName(this.path), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.resourceUri = this.uri;
    item.iconPath = vscode.ThemeIcon.File;
    item.description = formatBytes(this.size);
    item.tooltip = `${this.path}${this.size !== undefined ? ` (${formatBytes(this.size)})` : ''}`;
    item.contextValue = 'mlwf.artifactFile';
    item.command = { command: 'mlwf.openArtifact', title: vscode.l10n.t('Open Artifact'), arguments: [this] };
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

/**
 * The "Artifacts" row to put under a run, a logged model (owner `{ modelId }`) or a model version
 * (with `path` = the version's folder inside its source run). Expanding it lists one folder level at a time.
 */
export function artifactRootNode(
  parent: ExplorerNode,
  backend: TrackingBackend,
  owner: ArtifactOwner | string,
  options: { path?: string; label?: string } = {},
): ExplorerNode {
  const o: ArtifactOwner = typeof owner === 'string' ? { runId: owner } : owner;
  return new ArtifactFolderNode(parent, { backend, owner: o }, options.path ?? '', options.label ?? vscode.l10n.t('Artifacts'), `${parent.id}/artifacts`);
}
