// Rows that are not MLflow entities: an error in place of children (with Retry, or Sign In on
// 401/403), the "Load more…" row of a paged list, and plain informational rows.
import * as vscode from 'vscode';
import { isMlflowError, needsSignIn } from '../../core/mlflow';
import { describeMlflowError } from '../connection/connectionErrors';
import type { ExplorerNode } from './explorerNode';

/** Something that can load its next page or try again after an error. */
export interface Retryable {
  retry(): void;
}

export interface Pageable {
  loadMore(): void;
}

export const RETRY_COMMAND = 'mlwf.explorer.retry';
export const LOAD_MORE_COMMAND = 'mlwf.explorer.loadMore';

export function isAuthError(error: unknown): boolean {
  return isMlflowError(error) && needsSignIn(error);
}

export function errorText(error: unknown): string {
  return isMlflowError(error) ? describeMlflowError(error) : error instanceof Error ? error.message : String(error);
}

export class ErrorNode implements ExplorerNode {
  readonly id: string;
  readonly needsSignIn: boolean;
  readonly message: string;

  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly error: unknown,
    readonly owner: Retryable,
    what: string,
  ) {
    this.id = `${parent?.id ?? ''}/error`;
    this.needsSignIn = isAuthError(error);
    this.message = vscode.l10n.t('Could not load {0}: {1}', what, errorText(error));
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = this.message; // plain string: VS Code shows it as text
    item.contextValue = this.needsSignIn ? 'mlwf.errorSignIn' : 'mlwf.error';
    item.description = this.needsSignIn ? vscode.l10n.t('Click to sign in') : vscode.l10n.t('Click to retry');
    item.command = this.needsSignIn
      ? { command: 'mlwf.signIn', title: vscode.l10n.t('Sign In…') }
      : { command: RETRY_COMMAND, title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

export class LoadMoreNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly owner: Pageable,
    readonly shown: number,
  ) {
    this.id = `${parent?.id ?? ''}/more`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    // The total is unknown without counting every run on the server (which is what paging avoids).
    item.description = vscode.l10n.t('{0} of ≥{1} shown', this.shown, this.shown + 1);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'mlwf.loadMore';
    item.command = { command: LOAD_MORE_COMMAND, title: vscode.l10n.t('Load more…'), arguments: [this] };
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

export class InfoNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly id: string,
    private readonly label: string,
    private readonly icon = 'info',
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'mlwf.info';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

/**
 * A part of a local store that cannot be read (e.g. a malformed meta.yaml): shown as its own
 * row so the user sees what is wrong, while everything readable still loads.
 */
export class StoreProblemNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly parent: ExplorerNode | undefined,
    private readonly problem: { readonly folder: string; readonly message: string },
  ) {
    this.id = `${parent?.id ?? ''}/problem:${problem.folder}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Unreadable experiment folder {0}', this.problem.folder), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.problem.message;
    item.tooltip = this.problem.message; // plain text: never rendered as Markdown
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.contextValue = 'mlwf.problem';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}
