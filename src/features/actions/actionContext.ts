// What every write action shares: the writable client (a tracking server; a local mlruns folder
// is read-only here), a cancellable progress notification around the REST calls, and refusals
// shown as one sentence with the action that helps (Refresh, Sign In…, Show Log).
import * as vscode from 'vscode';
import { isMlflowError, writeRefusalOf, type MlflowClient, type Run } from '../../core/mlflow';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import type { ConnectionManager } from '../connection/connectionManager';
import type { ExperimentsTreeProvider } from '../explorer/experimentsTreeProvider';
import type { ModelsTreeProvider } from '../models/modelsTreeProvider';
import type { ExplorerNode } from '../tree/explorerNode';

export interface ActionDeps {
  readonly connection: ConnectionManager;
  readonly logger: Logger;
  readonly experiments: ExperimentsTreeProvider;
  readonly experimentsView: vscode.TreeView<ExplorerNode>;
  readonly models: ModelsTreeProvider;
  readonly modelsView: vscode.TreeView<ExplorerNode>;
  /** Open compare panels: a changed run is shown there too. */
  readonly comparePanels?: () => readonly { updateRun(run: Run): void }[];
}

/** The client to write with, or undefined after telling the user why there is none. */
export function writableClient(deps: ActionDeps): MlflowClient | undefined {
  const client = deps.connection.client;
  if (client) return client;
  if (deps.connection.state.kind === 'local') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('A local mlruns folder is read-only in MLWF: log to it with the MLflow client, or connect to a tracking server to change runs and models here.'),
    );
  } else {
    void vscode.window.showWarningMessage(vscode.l10n.t('Connect to an MLflow tracking server first.'), vscode.l10n.t('Connect…')).then((picked) => {
      if (picked) void vscode.commands.executeCommand('mlwf.connect');
    });
  }
  return undefined;
}

/** Runs `work` under a cancellable notification; a failure is shown and resolves undefined. */
export async function withActionProgress<T>(deps: ActionDeps, title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const bridge = abortSignalFor(token);
      try {
        return await work(bridge.signal, progress);
      } finally {
        bridge.dispose();
      }
    });
  } catch (error) {
    await showActionError(deps, error);
    return undefined;
  }
}

/** One sentence, the MLflow details to the log, and the action that fits the refusal. */
export async function showActionError(deps: ActionDeps, error: unknown): Promise<void> {
  if (isMlflowError(error) && error.kind === 'cancelled') return;
  const message = isMlflowError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  deps.logger.error(`write action failed: ${error instanceof Error ? error.message : String(error)}`);
  const refresh = vscode.l10n.t('Refresh');
  const signIn = vscode.l10n.t('Sign In…');
  const showLog = vscode.l10n.t('Show Log');
  const refusal = writeRefusalOf(error);
  const actions = refusal === 'gone' ? [refresh] : isMlflowError(error) && error.kind === 'auth' ? [signIn, showLog] : refusal === 'conflict' ? [] : [showLog];
  const picked = await vscode.window.showErrorMessage(message, ...actions);
  if (picked === refresh) {
    deps.experiments.refresh();
    deps.models.refresh();
  } else if (picked === signIn) {
    await vscode.commands.executeCommand('mlwf.signIn');
  } else if (picked === showLog) {
    deps.logger.show();
  }
}

/** The rows a command applies to: the selection when the clicked row is part of it. */
export function selectionOf<T>(node: unknown, selection: readonly unknown[] | undefined, is: (n: unknown) => n is T): T[] {
  const all = (selection ?? []).filter(is);
  if (is(node)) return all.includes(node) ? all : [node];
  return all;
}

/** Summary of a multi-item action: "Tagged 3 runs." or "Tagged 2 of 3 runs; 1 failed: …". */
export function summarize(done: number, total: number, failures: string[], what: { done: (n: number) => string; partly: (n: number, total: number) => string }): void {
  if (failures.length === 0) {
    void vscode.window.showInformationMessage(what.done(done));
    return;
  }
  void vscode.window.showWarningMessage(`${what.partly(done, total)} ${failures.slice(0, 3).join(' ')}`);
}
