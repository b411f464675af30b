// A status bar item that always says which MLflow server the window uses and whether it answers;
// clicking it does the one useful thing for that state (connect, sign in, retry).
import * as vscode from 'vscode';
import { describeServer } from '../../core/mlflow';
import type { ConnectionManager } from './connectionManager';
import type { ConnectionState } from './connectionState';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(manager: ConnectionManager) {
    this.item = vscode.window.createStatusBarItem('mlwf.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('MLflow Server');
    this.render(manager.state);
    this.subscription = manager.onDidChangeState((state) => this.render(state));
    this.item.show();
  }

  private render(state: ConnectionState): void {
    const { item } = this;
    item.backgroundColor = undefined;
    switch (state.kind) {
      case 'unconfigured':
        item.text = `$(plug) ${vscode.l10n.t('MLflow: not connected')}`;
        item.tooltip = vscode.l10n.t('No MLflow tracking server is configured. Click to connect.');
        item.command = 'mlwf.connect';
        break;
      case 'connecting':
        item.text = `$(sync~spin) MLflow: ${describeServer(state.trackingUri)}`;
        item.tooltip = vscode.l10n.t('Connecting to {0}…', state.trackingUri);
        item.command = undefined;
        break;
      case 'connected':
        item.text = `$(database) MLflow: ${describeServer(state.trackingUri)}`;
        item.tooltip = state.user
          ? vscode.l10n.t('Connected to {0} as {1}. Click to change the server.', state.trackingUri, state.user)
          : vscode.l10n.t('Connected to {0}. Click to change the server.', state.trackingUri);
        item.command = 'mlwf.connect';
        break;
      case 'local':
        item.text = `$(folder-library) ${vscode.l10n.t('MLflow: local mlruns')}`;
        item.tooltip = vscode.l10n.t('Browsing the local MLflow store {0}. Click to connect to a server instead.', state.root);
        item.command = 'mlwf.connect';
        break;
      case 'signInNeeded':
        item.text = `$(key) ${vscode.l10n.t('MLflow: sign in')}`;
        item.tooltip = vscode.l10n.t('{0} needs a user name and password. Click to sign in.', state.trackingUri);
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        item.command = 'mlwf.signIn';
        break;
      case 'unreachable':
        item.text = `$(warning) ${vscode.l10n.t('MLflow: unreachable')}`;
        item.tooltip = `${state.message}\n${vscode.l10n.t('Click to retry.')}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.command = 'mlwf.testConnection';
        break;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
