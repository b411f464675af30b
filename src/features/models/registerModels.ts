// Wires the Models view into VS Code; extension.ts calls this once.
import * as vscode from 'vscode';
import { downloadArtifact } from '../artifacts/artifactCommands';
import type { ConnectionManager } from '../connection/connectionManager';
import type { ExplorerNode } from '../tree/explorerNode';
import { registerModelCommands } from './modelCommands';
import { ModelsTreeProvider } from './modelsTreeProvider';

/** What the in-host tests reach through the extension API. */
export interface ModelsFeature {
  readonly models: ModelsTreeProvider;
  readonly modelsView: vscode.TreeView<ExplorerNode>;
  readonly downloadArtifact: typeof downloadArtifact;
}

export function registerModels(connection: ConnectionManager): { feature: ModelsFeature; disposables: vscode.Disposable[] } {
  const provider = new ModelsTreeProvider(connection);
  const view = vscode.window.createTreeView('mlwf.models', { treeDataProvider: provider, showCollapseAll: true });
  return {
    feature: { models: provider, modelsView: view, downloadArtifact },
    disposables: [
      provider,
      view,
      ...registerModelCommands(provider, view),
    ],
  };
}
