// Part of the tree kit (src/features/tree/) that every MLWF tree view shares.
// Rows that are not data: an error with what to do about it, "Load more…", a plain message.
// A failed load shows as one row with the message (full text in the tooltip) and the action
// that fixes it, instead of an empty tree the user cannot interpret.
import * as vscode from 'vscode';
import { isMlflowError, needsSignIn, type MlflowError } from '../../core/mlflow';
import { describeMlflowError } from '../connection/connectionErrors';
import type { ExplorerNode } from './explorerNode';

class LeafNode implements ExplorerNode {
  constructor(
    readonly id: string,
    readonly parent: ExplorerNode | undefined,
    private readonly item: () => vscode.TreeItem,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = this.item();
    item.id = this.id;
    return item;
  }
  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

/** The error row (click = retry), plus a "Sign In…" row when the server wants credentials. */
export function errorNodes(parent: ExplorerNode | undefined, idPrefix: string, error: MlflowError, retryCommand: string): ExplorerNode[] {
  const message = describeMlflowError(error);
  const nodes: ExplorerNode[] = [
    new LeafNode(`${idPrefix}:error`, parent, () => {
      const item = new vscode.TreeItem(vscode.l10n.t('Could not load: {0}', message));
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = `${message}\n${error.userMessage}`;
      item.contextValue = 'mlwf.error';
      item.command = { command: retryCommand, title: vscode.l10n.t('Retry'), arguments: [parent] };
      item.description = vscode.l10n.t('click to retry');
      return item;
    }),
  ];
  if (needsSignIn(error)) {
    nodes.push(
      new LeafNode(`${idPrefix}:signIn`, parent, () => {
        const item = new vscode.TreeItem(vscode.l10n.t('Sign In…'));
        item.iconPath = new vscode.ThemeIcon('key');
        item.command = { command: 'mlwf.signIn', title: vscode.l10n.t('Sign In…') };
        return item;
      }),
    );
  }
  return nodes;
}

export function loadMoreNode(parent: ExplorerNode | undefined, id: string, shown: number, command: string): ExplorerNode {
  return new LeafNode(id, parent, () => {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
    item.description = vscode.l10n.t('{0} shown', shown);
    item.iconPath = new vscode.ThemeIcon('more');
    item.contextValue = 'mlwf.loadMore';
    item.command = { command, title: vscode.l10n.t('Load more…'), arguments: [parent] };
    return item;
  });
}

export function messageNode(parent: ExplorerNode | undefined, id: string, message: string, icon = 'info'): ExplorerNode {
  return new LeafNode(id, parent, () => {
    const item = new vscode.TreeItem(message);
    item.iconPath = new vscode.ThemeIcon(icon);
    return item;
  });
}

/**
 * A node's children from `load`, or, when MLflow refuses, the error rows with Retry (and Sign In);
 * nothing when the load was cancelled by a refresh (the new render asks again).
 */
export async function rowsOrErrorRows(parent: ExplorerNode, retryCommand: string, load: () => Promise<ExplorerNode[]>): Promise<ExplorerNode[]> {
  try {
    return await load();
  } catch (error) {
    if (!isMlflowError(error)) throw error;
    if (error.kind === 'cancelled') return [];
    return errorNodes(parent, parent.id, error, retryCommand);
  }
}
