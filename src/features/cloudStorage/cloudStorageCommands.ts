// What the Cloud Storage view's rows can do: download an object (save dialog, progress with bytes
// and Cancel, nothing half-written left behind), delete it after a modal question that names it,
// delete a folder (every object under it, counted and sized in the question, with progress and Cancel),
// copy its public URL (site profile's style) or s3:// URI, refresh, retry, load more. Every command
// also works from the palette on the view's selection.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { deleteObject, downloadObject, storageError } from '../../core/cloudStorage';
import { formatBytes } from '../../core/formatBytes';
import { objectUrl, type UrlKind } from '../../core/upload/objectUrl';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import { readUploadSettings } from '../upload/uploadSettings';
import type { CloudStorageTreeProvider } from './cloudStorageTreeProvider';
import { deleteFolder } from './deleteFolder';
import { deleteErrorMessage, storageErrorMessage } from './storageMessages';
import { ErrorNode, FolderNode, LOAD_MORE_COMMAND, ObjectNode, RETRY_COMMAND, type StorageNode } from './storageNodes';
import { registerCommand } from '../../host/commands';

export class CloudStorageCommands {
  constructor(
    private readonly provider: CloudStorageTreeProvider,
    private readonly view: vscode.TreeView<StorageNode>,
    private readonly logger: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [
      registerCommand('mlwf.cloudStorage.refresh', (node?: StorageNode) => this.provider.refresh(node instanceof FolderNode ? node : undefined)),
      registerCommand(RETRY_COMMAND, (node?: ErrorNode) => (node instanceof ErrorNode ? node.owner.retry() : this.provider.refresh())),
      registerCommand(LOAD_MORE_COMMAND, (node?: FolderNode) => node instanceof FolderNode && node.loadMore()),
      registerCommand('mlwf.cloudStorage.download', (node?: StorageNode, target?: vscode.Uri) => this.download(node, target)),
      registerCommand('mlwf.cloudStorage.delete', (node?: StorageNode) => this.delete(node)),
      registerCommand('mlwf.cloudStorage.deleteFolder', (node?: StorageNode) => this.deleteFolder(node)),
      registerCommand('mlwf.cloudStorage.copyUrl', (node?: StorageNode) => this.copyUrl(node)),
      registerCommand('mlwf.cloudStorage.copyS3Uri', (node?: StorageNode) => this.copyS3Uri(node)),
    ];
  }

  /** The clicked row, else the view's selection (palette). */
  private target(node: StorageNode | undefined): StorageNode | undefined {
    return node ?? this.view.selection[0];
  }

  private objectTarget(node: StorageNode | undefined): ObjectNode | undefined {
    const t = this.target(node);
    if (t instanceof ObjectNode) return t;
    void vscode.window.showInformationMessage(vscode.l10n.t('Select an object in the Cloud Storage view first.'));
    return undefined;
  }

  async download(node?: StorageNode, chosen?: vscode.Uri): Promise<string | undefined> {
    const object = this.objectTarget(node);
    if (!object) return undefined;
    const client = await this.provider.client();
    if (!client) return undefined;
    const fileName = object.key.split('/').filter(Boolean).pop() ?? 'download';
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
    const target = chosen ?? (await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined, saveLabel: vscode.l10n.t('Download'), title: vscode.l10n.t('Download {0}', object.uri) }));
    if (!target) return undefined;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Choose a file on the machine the extension runs on.'));
      return undefined;
    }
    const file = target.fsPath;
    try {
      const bytes = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', object.uri), cancellable: true },
        async (progress, token) => {
          const abort = abortSignalFor(token);
          let lastPercent = 0;
          try {
            return await downloadObject(client, object, file, {
              signal: abort.signal,
              onProgress: ({ received, total }) => {
                const all = total ?? object.object.size;
                const percent = all > 0 ? (received / all) * 100 : 100;
                progress.report({ increment: percent - lastPercent, message: `${formatBytes(received)} / ${formatBytes(all)}` });
                lastPercent = percent;
              },
            });
          } finally {
            abort.dispose();
          }
        },
      );
      this.logger.info(`Downloaded ${object.uri} (${bytes} bytes) to ${file}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded {0} ({1}) to {2}.', object.name, formatBytes(bytes), path.basename(file)));
      return file;
    } catch (e) {
      const error = storageError(e);
      this.logger.warn(`Cloud Storage: download of ${object.uri} failed: ${error.kind}: ${error.detail}`);
      if (error.kind === 'cancelled') void vscode.window.showInformationMessage(vscode.l10n.t('The download was cancelled; no file was written.'));
      else this.showError(storageErrorMessage(error, object.uri), error.kind === 'credentials' || error.kind === 'accessDenied', () => this.download(object, target));
      return undefined;
    }
  }

  async delete(node?: StorageNode): Promise<boolean> {
    const object = this.objectTarget(node);
    if (!object) return false;
    const remove = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete {0} ({1})? This cannot be undone.', object.uri, formatBytes(object.object.size)),
      { modal: true },
      remove,
    );
    if (answer !== remove) return false;
    const client = await this.provider.client();
    if (!client) return false;
    try {
      await vscode.window.withProgress({ location: { viewId: 'mlwf.cloudStorage' } }, () => deleteObject(client, object));
      this.logger.info(`Deleted ${object.uri}`);
      this.provider.refresh(object.parent);
      return true;
    } catch (e) {
      const error = storageError(e);
      this.logger.warn(`Cloud Storage: delete of ${object.uri} failed: ${error.kind}: ${error.detail}`);
      this.showError(deleteErrorMessage(error, object.uri), error.kind === 'credentials' || error.kind === 'accessDenied', () => this.delete(object));
      return false;
    }
  }

  /** Delete Folder… on a folder row (or the selection): see deleteFolder.ts. */
  async deleteFolder(node?: StorageNode): Promise<number> {
    const t = this.target(node);
    if (!(t instanceof FolderNode) || t.isBucket) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a folder (not a bucket) in the Cloud Storage view first.'));
      return 0;
    }
    return deleteFolder(t, {
      provider: this.provider,
      logger: this.logger,
      showError: (message, keysWrong) => this.showError(message, keysWrong, () => this.deleteFolder(t)),
    });
  }

  /** The public URL (the site profile's style) or the s3:// URI, as the user picks. */
  async copyUrl(node?: StorageNode): Promise<string | undefined> {
    const object = this.objectTarget(node);
    if (!object) return undefined;
    const settings = readUploadSettings();
    const url = (kind: UrlKind) => objectUrl({ bucket: object.bucket, key: object.key, kind, profile: settings.profile, endpoint: settings.endpoint, addressingStyle: settings.addressingStyle });
    const items: Array<vscode.QuickPickItem & { url: string }> = [
      { label: vscode.l10n.t('Public URL'), description: url('public'), url: url('public') },
      { label: vscode.l10n.t('s3:// URI'), description: url('s3'), url: url('s3') },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Copy URL of {0}', object.name) });
    if (!picked) return undefined;
    await vscode.env.clipboard.writeText(picked.url);
    return picked.url;
  }

  async copyS3Uri(node?: StorageNode): Promise<string | undefined> {
    const t = this.target(node);
    if (!(t instanceof ObjectNode || t instanceof FolderNode)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a bucket, prefix or object in the Cloud Storage view first.'));
      return undefined;
    }
    await vscode.env.clipboard.writeText(t.uri);
    return t.uri;
  }

  private showError(message: string, keysWrong: boolean, again: () => unknown): void {
    const retry = vscode.l10n.t('Retry');
    const setKeys = vscode.l10n.t('Set Cloud Storage Keys…');
    void vscode.window.showErrorMessage(message, keysWrong ? setKeys : retry).then(async (picked) => {
      if (picked === retry) await again();
      if (picked === setKeys) await vscode.commands.executeCommand('mlwf.setS3Credentials');
    });
  }
}
