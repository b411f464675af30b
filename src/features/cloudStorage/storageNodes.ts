// The rows of the Cloud Storage view: buckets → prefixes ("folders") → objects, a "Load more…"
// row when a level has more than one page, and an error row (click = retry, plus the action that
// fixes it) in place of a level that could not be listed. Keys and server text are shown as plain
// text (tooltips are strings, never Markdown).
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { childName, listPage, type StorageErrorInfo, type StorageObject } from '../../core/cloudStorage';
import { opensInEditor } from '../../core/artifacts/artifactPaths';
import { formatBytes } from '../../core/formatBytes';
import { storageErrorMessage } from './storageMessages';
import { storageObjectUri } from './storageFileSystem';
import { formatDate, objectDescription } from './storageFormat';

export const RETRY_COMMAND = 'mlwf.cloudStorage.retry';
export const LOAD_MORE_COMMAND = 'mlwf.cloudStorage.loadMore';

/** What every level needs to list: the client of the current render and how to repaint a node. */
export interface StorageContext {
  readonly client: S3Client;
  readonly pageSize: number;
  /** A signal for one request: aborted by a refresh or after the request timeout. */
  requestSignal(): AbortSignal;
  /** The error's kind and detail (a timeout counts as unreachable, not as cancelled). */
  classify(error: unknown): StorageErrorInfo;
  changed(node: StorageNode | undefined): void;
}

export interface StorageNode {
  readonly id: string;
  readonly parent: StorageNode | undefined;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<StorageNode[]>;
}

/** A level that can be listed again after an error. */
export interface Retryable {
  retry(): void;
}

const s3Uri = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/** A bucket (prefix "") or a prefix in it: lists its level page by page, remembers what it has. */
export class FolderNode implements StorageNode, Retryable {
  readonly id: string;
  private prefixes: string[] = [];
  private objects: StorageObject[] = [];
  private readonly folders = new Map<string, FolderNode>();
  private nextToken: string | undefined;
  private started = false;
  private wantMore = false;
  private error: StorageErrorInfo | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly ctx: StorageContext,
    readonly parent: FolderNode | undefined,
    readonly bucket: string,
    /** "" for the bucket itself, else ending in "/". */
    readonly prefix: string,
    private readonly created?: Date,
  ) {
    this.id = `s3:${bucket}/${prefix}`;
  }

  get isBucket(): boolean {
    return this.prefix === '';
  }

  get uri(): string {
    return s3Uri(this.bucket, this.prefix);
  }

  getTreeItem(): vscode.TreeItem {
    const label = this.isBucket ? this.bucket : childName(this.parent?.prefix ?? '', this.prefix).replace(/\/$/, '');
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.isBucket ? 'database' : 'folder');
    item.contextValue = this.isBucket ? 'mlwf.s3Bucket' : 'mlwf.s3Prefix';
    item.tooltip = this.isBucket && this.created ? `${this.uri}\n${vscode.l10n.t('Created: {0}', formatDate(this.created))}` : this.uri;
    return item;
  }

  /** Forgets what was listed: the next expansion asks the server again. */
  reset(): void {
    this.prefixes = [];
    this.objects = [];
    this.folders.clear();
    this.nextToken = undefined;
    this.started = false;
    this.wantMore = false;
    this.error = undefined;
    this.loading = undefined;
  }

  loadMore(): void {
    this.wantMore = true;
    this.ctx.changed(this);
  }

  retry(): void {
    if (this.started) this.wantMore = true;
    this.error = undefined;
    this.ctx.changed(this);
  }

  async getChildren(): Promise<StorageNode[]> {
    if (!this.error && (!this.started || this.wantMore)) await this.load();
    const rows: StorageNode[] = [
      ...this.prefixes.map((p) => this.folder(p)),
      ...this.objects.map((o) => new ObjectNode(this, o)),
    ];
    if (this.error) rows.push(...errorRows(this, this.error, this.uri, this));
    else if (this.nextToken) rows.push(new LoadMoreNode(this, rows.length));
    else if (rows.length === 0) rows.push(new InfoNode(this, `${this.id}#empty`, this.isBucket ? vscode.l10n.t('This bucket is empty.') : vscode.l10n.t('No objects under this prefix.')));
    return rows;
  }

  private folder(prefix: string): FolderNode {
    let node = this.folders.get(prefix);
    if (!node) {
      node = new FolderNode(this.ctx, this, this.bucket, prefix);
      this.folders.set(prefix, node);
    }
    return node;
  }

  private load(): Promise<void> {
    if (this.loading) return this.loading;
    this.wantMore = false;
    const loading: Promise<void> = listPage(this.ctx.client, {
      bucket: this.bucket,
      prefix: this.prefix,
      pageSize: this.ctx.pageSize,
      continuationToken: this.started ? this.nextToken : undefined,
      signal: this.ctx.requestSignal(),
    })
      .then((page) => {
        if (this.loading !== loading) return; // reset meanwhile
        const known = new Set(this.prefixes);
        this.prefixes.push(...page.prefixes.filter((p) => !known.has(p)));
        this.objects.push(...page.objects);
        this.nextToken = page.nextToken;
        this.started = true;
      })
      .catch((e: unknown) => {
        if (this.loading === loading) this.error = this.ctx.classify(e);
      })
      .finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    this.loading = loading;
    return loading;
  }
}

export class ObjectNode implements StorageNode {
  readonly id: string;

  constructor(
    readonly parent: FolderNode,
    readonly object: StorageObject,
  ) {
    this.id = `s3:${parent.bucket}/${object.key}`;
  }

  get bucket(): string {
    return this.parent.bucket;
  }

  get key(): string {
    return this.object.key;
  }

  get uri(): string {
    return s3Uri(this.bucket, this.key);
  }

  get name(): string {
    return childName(this.parent.prefix, this.key);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = objectDescription(this.object);
    item.iconPath = vscode.ThemeIcon.File;
    item.resourceUri = storageObjectUri(this.bucket, this.key); // the file-type icon comes from its name
    item.contextValue = 'mlwf.s3Object';
    // Text and images open in a read-only editor (mlwf-s3: file system); anything else is downloaded.
    if (opensInEditor(this.key, this.object.size)) item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [storageObjectUri(this.bucket, this.key)] };
    item.tooltip = [
      this.uri,
      vscode.l10n.t('Size: {0} ({1} bytes)', formatBytes(this.object.size), this.object.size.toLocaleString('en-US')),
      vscode.l10n.t('Last modified: {0}', this.object.lastModified ? this.object.lastModified.toISOString() : '—'),
      vscode.l10n.t('ETag: {0}', this.object.etag ?? '—'),
    ].join('\n');
    return item;
  }

  async getChildren(): Promise<StorageNode[]> {
    return [];
  }
}

export class LoadMoreNode implements StorageNode {
  readonly id: string;

  constructor(
    readonly parent: FolderNode,
    private readonly shown: number,
  ) {
    this.id = `${parent.id}#more`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('{0} shown', this.shown);
    item.iconPath = new vscode.ThemeIcon('more');
    item.contextValue = 'mlwf.s3LoadMore';
    item.command = { command: LOAD_MORE_COMMAND, title: vscode.l10n.t('Load more…'), arguments: [this.parent] };
    return item;
  }

  async getChildren(): Promise<StorageNode[]> {
    return [];
  }
}

export class InfoNode implements StorageNode {
  constructor(
    readonly parent: StorageNode | undefined,
    readonly id: string,
    private readonly label: string,
    private readonly icon = 'info',
    private readonly command?: vscode.Command,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.contextValue = this.command ? 'mlwf.s3Action' : 'mlwf.s3Info';
    return item;
  }

  async getChildren(): Promise<StorageNode[]> {
    return [];
  }
}

export class ErrorNode implements StorageNode {
  readonly id: string;
  readonly message: string;

  constructor(
    readonly parent: StorageNode | undefined,
    readonly error: StorageErrorInfo,
    where: string,
    readonly owner: Retryable,
  ) {
    this.id = `${parent?.id ?? 's3:'}#error`;
    this.message = storageErrorMessage(error, where);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = `${this.message}\n${this.error.detail}`;
    item.description = vscode.l10n.t('click to retry');
    item.contextValue = 'mlwf.s3Error';
    item.command = { command: RETRY_COMMAND, title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }

  async getChildren(): Promise<StorageNode[]> {
    return [];
  }
}

/** The error row, then the rows that fix the cause: new keys (or another profile) for a refusal, the settings for an unreachable endpoint. */
export function errorRows(parent: StorageNode | undefined, error: StorageErrorInfo, where: string, owner: Retryable): StorageNode[] {
  const rows: StorageNode[] = [new ErrorNode(parent, error, where, owner)];
  const base = parent?.id ?? 's3:';
  if (error.kind === 'credentials' || error.kind === 'accessDenied') {
    rows.push(new InfoNode(parent, `${base}#keys`, vscode.l10n.t('Set Cloud Storage Keys…'), 'key', { command: 'mlwf.setS3Credentials', title: vscode.l10n.t('Set Cloud Storage Keys…') }));
  }
  // Refused keys often mean the wrong ~/.aws profile (one per ABCI group): offer the picker too, as the upload does.
  if (error.kind === 'credentials') {
    rows.push(new InfoNode(parent, `${base}#profile`, vscode.l10n.t('Choose Profile…'), 'account', { command: 'mlwf.chooseS3Profile', title: vscode.l10n.t('Choose Profile…') }));
  }
  if (error.kind === 'unreachable') {
    rows.push(new InfoNode(parent, `${base}#settings`, vscode.l10n.t('Open Cloud Storage Settings'), 'settings-gear', { command: 'workbench.action.openSettings', title: vscode.l10n.t('Open Cloud Storage Settings'), arguments: ['mlwf.s3'] }));
  }
  return rows;
}
