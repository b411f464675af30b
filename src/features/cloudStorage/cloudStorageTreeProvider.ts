// The Cloud Storage view's data provider: buckets of the configured endpoint at the top, each
// level listed when expanded. The S3 client (and with it the AWS SDK) is made on the first render
// of the view, never at activation, and again after a refresh (settings or keys changed). With no
// keys anywhere the view stays empty and its welcome content offers "Set Cloud Storage Keys…".
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { DEFAULT_PAGE_SIZE, listBucketEntries, storageError, type BucketEntry, type StorageErrorInfo } from '../../core/cloudStorage';
import { createS3Client, hasS3Credentials } from '../../core/s3/s3Client';
import type { Logger } from '../../host/logger';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { readUploadSettings, type UploadSettings } from '../upload/uploadSettings';
import { errorRows, FolderNode, InfoNode, type Retryable, type StorageContext, type StorageNode } from './storageNodes';

export const STATE_CONTEXT_KEY = 'mlwf.cloudStorageState';
export type CloudStorageState = 'unknown' | 'noKeys' | 'ready';

interface Session {
  readonly client: S3Client;
  readonly settings: UploadSettings;
  readonly ctx: StorageContext;
}

export class CloudStorageTreeProvider implements vscode.TreeDataProvider<StorageNode>, Retryable, vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<StorageNode | undefined>();
  readonly onDidChangeTreeData = this.changedEmitter.event;
  private controller = new AbortController();
  private session: Promise<Session | undefined> | undefined;
  private buckets: BucketEntry[] | undefined;
  private readonly bucketNodes = new Map<string, FolderNode>();
  private error: StorageErrorInfo | undefined;
  private stateValue: CloudStorageState = 'unknown';

  constructor(
    private readonly keys: S3CredentialStore,
    private readonly logger: Logger,
  ) {}

  get state(): CloudStorageState {
    return this.stateValue;
  }

  /** The settings the current render uses (for URLs), once the view has rendered. */
  async currentSettings(): Promise<UploadSettings | undefined> {
    return (await this.session)?.settings;
  }

  async client(): Promise<S3Client | undefined> {
    return (await this.openSession())?.client;
  }

  /** Everything again (no argument: new client, settings and keys), or one level. */
  refresh(node?: StorageNode): void {
    if (node) {
      if (node instanceof FolderNode) node.reset();
      this.changedEmitter.fire(node);
      return;
    }
    this.controller.abort();
    this.controller = new AbortController();
    const old = this.session;
    this.session = undefined;
    void old?.then((s) => s?.client.destroy());
    this.buckets = undefined;
    this.bucketNodes.clear();
    this.error = undefined;
    this.changedEmitter.fire(undefined);
  }

  /** The top level failed (no bucket list, or no client): everything again. */
  retry(): void {
    this.refresh();
  }

  getTreeItem(node: StorageNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: StorageNode): StorageNode | undefined {
    return node.parent;
  }

  async getChildren(node?: StorageNode): Promise<StorageNode[]> {
    if (node) return node.getChildren();
    const session = await this.openSession();
    if (!session) return this.error ? errorRows(undefined, this.error, readUploadSettings().s3.endpoint ?? 'AWS S3', this) : [];
    if (!this.buckets && !this.error) {
      try {
        this.buckets = await listBucketEntries(session.client, session.ctx.requestSignal());
      } catch (e) {
        this.error = session.ctx.classify(e);
        this.logger.warn(`Cloud Storage: listing buckets failed: ${this.error.kind}: ${this.error.detail}`);
      }
    }
    const where = session.settings.s3.endpoint ?? 'AWS S3';
    if (this.error) return errorRows(undefined, this.error, where, this);
    const buckets = this.buckets ?? [];
    if (buckets.length === 0) return [new InfoNode(undefined, 's3:#none', vscode.l10n.t('No buckets on {0}. The upload command can create one.', where))];
    return buckets.map((b) => {
      let n = this.bucketNodes.get(b.name);
      if (!n) {
        n = new FolderNode(session.ctx, undefined, b.name, '', b.created);
        this.bucketNodes.set(b.name, n);
      }
      return n;
    });
  }

  private openSession(): Promise<Session | undefined> {
    this.session ??= this.createSession().catch((e: unknown) => {
      this.error = storageError(e);
      return undefined;
    });
    return this.session;
  }

  private async createSession(): Promise<Session | undefined> {
    const settings = readUploadSettings();
    const stored = await this.keys.get(settings.s3.endpoint);
    if (!(await hasS3Credentials(settings.s3, stored))) {
      this.setState('noKeys');
      return undefined;
    }
    const client = await createS3Client({ settings: settings.s3, credentials: stored, maxAttempts: 2 });
    const config = vscode.workspace.getConfiguration('mlwf');
    const pageSize = Math.min(1000, Math.max(1, Math.floor(config.get<number>('cloudStorage.pageSize', DEFAULT_PAGE_SIZE))));
    const timeoutMs = Math.max(1, config.get<number>('requestTimeoutSeconds', 30)) * 1000;
    const controller = this.controller;
    const ctx: StorageContext = {
      client,
      pageSize,
      requestSignal: () => AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]),
      // An abort that is not a refresh is the request timeout: the endpoint did not answer.
      classify: (e) => {
        const info = storageError(e);
        return info.kind === 'cancelled' && !controller.signal.aborted ? { kind: 'unreachable', detail: vscode.l10n.t('no answer within {0} s', timeoutMs / 1000) } : info;
      },
      changed: (node) => this.changedEmitter.fire(node),
    };
    this.setState('ready');
    return { client, settings, ctx };
  }

  private setState(state: CloudStorageState): void {
    this.stateValue = state;
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, state);
  }

  dispose(): void {
    this.controller.abort();
    void this.session?.then((s) => s?.client.destroy());
    this.changedEmitter.dispose();
  }
}
