// Wires the Cloud Storage view into VS Code; extension.ts calls this once. The view repaints from
// scratch when the Cloud Storage settings or the stored keys change.
import * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { S3CredentialStore } from '../../host/s3CredentialStore';
import { CloudStorageCommands } from './cloudStorageCommands';
import { CloudStorageTreeProvider } from './cloudStorageTreeProvider';
import { StorageFileSystemProvider } from './storageFileSystem';
import type { StorageNode } from './storageNodes';
import { publishSelectionContext } from '../tree/selectionContext';

export interface CloudStorageFeature {
  readonly provider: CloudStorageTreeProvider;
  readonly view: vscode.TreeView<StorageNode>;
  readonly commands: CloudStorageCommands;
}

export function registerCloudStorage(logger: Logger, secrets: vscode.SecretStorage): { feature: CloudStorageFeature; disposables: vscode.Disposable[] } {
  const provider = new CloudStorageTreeProvider(new S3CredentialStore(secrets), logger);
  const view = vscode.window.createTreeView('mlwf.cloudStorage', { treeDataProvider: provider, showCollapseAll: true });
  const commands = new CloudStorageCommands(provider, view, logger);
  return {
    feature: { provider, view, commands },
    disposables: [
      provider,
      view,
      // Delete on a selected object or folder (package.json keybindings).
      publishSelectionContext(view, provider, 'mlwf.cloudStorageSelection'),
      ...commands.register(),
      StorageFileSystemProvider.register(() => provider.client()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['mlwf.s3', 'mlwf.siteProfile', 'mlwf.cloudStorage', 'mlwf.requestTimeoutSeconds'].some((s) => e.affectsConfiguration(s))) provider.refresh();
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith('mlwf.s3.credentials:')) provider.refresh();
      }),
    ],
  };
}
