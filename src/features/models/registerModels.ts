// Wires the Models view and the artifact file system into VS Code; extension.ts calls this once.
import * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { ArtifactFileSystemProvider } from '../artifacts/artifactFileSystem';
import { downloadArtifact } from '../artifacts/artifactCommands';
import { registerArtifactCommands } from '../artifacts/artifactCommands';
import { registerNodeRefresh } from '../artifacts/nodeRefresh';
import type { ConnectionManager } from '../connection/connectionManager';
import type { ExplorerNode } from '../explorer/explorerNode';
import { registerModelCommands } from './modelCommands';
import { ModelsTreeProvider } from './modelsTreeProvider';

/** What the in-host tests reach through the extension API. */
export interface ModelsFeature {
  readonly models: ModelsTreeProvider;
  readonly modelsView: vscode.TreeView<ExplorerNode>;
  readonly downloadArtifact: typeof downloadArtifact;
}

export function registerModelsAndArtifacts(connection: ConnectionManager, logger: Logger): { feature: ModelsFeature; disposables: vscode.Disposable[] } {
  const provider = new ModelsTreeProvider(connection);
  const view = vscode.window.createTreeView('mlwf.models', { treeDataProvider: provider, showCollapseAll: true });
  return {
    feature: { models: provider, modelsView: view, downloadArtifact },
    disposables: [
      provider,
      view,
      ArtifactFileSystemProvider.register(() => connection.backend),
      ...registerNodeRefresh(),
      ...registerArtifactCommands(logger),
      ...registerModelCommands(provider, view),
    ],
  };
}
