// The one shape every row of the MLflow views has, whichever feature made it (experiments, runs,
// run details, artifacts, models, versions). A node renders itself and loads its own children,
// so features add node kinds without touching a central switch; the providers stay generic.
import type * as vscode from 'vscode';

export interface ExplorerNode {
  /** Stable across refreshes (e.g. `run:<id>`), so VS Code keeps expansion and selection. */
  readonly id: string;
  readonly parent: ExplorerNode | undefined;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  /** Loads the children; `signal` aborts when the view refreshes or the node collapses away. */
  getChildren(signal: AbortSignal): Promise<ExplorerNode[]>;
}
