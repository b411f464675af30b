// Registers the Experiments and Models views with a provider that shows no rows until the
// explorer is built on top of a live connection. An empty tree is what lets VS Code show the
// `viewsWelcome` content (connect / sign in / retry buttons) that package.json declares per
// connection state; the explorer replaces these providers.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection/connectionManager';

class EmptyTreeProvider implements vscode.TreeDataProvider<never> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}

export function registerPendingViews(connection: ConnectionManager): vscode.Disposable[] {
  const providers = [new EmptyTreeProvider(), new EmptyTreeProvider()];
  return [
    vscode.window.registerTreeDataProvider('mlwf.experiments', providers[0]),
    vscode.window.registerTreeDataProvider('mlwf.models', providers[1]),
    connection.onDidChangeState(() => providers.forEach((p) => p.refresh())),
  ];
}
