// Composition root: builds the services and registers the features. Keep it short; behaviour
// lives in src/features/* and src/host/*.
import * as vscode from 'vscode';
import { affectsConnection, readConnectionSettings } from './host/connectionSettings';
import { CredentialStore } from './host/credentialStore';
import { Logger } from './host/logger';
import { ConnectCommands } from './features/connection/connectCommands';
import { ConnectionManager } from './features/connection/connectionManager';
import { ConnectionStatusBar } from './features/connection/connectionStatusBar';
import { registerPendingViews } from './features/views/pendingViews';

/** What `activate` returns: used by the in-host integration tests, not a public API. */
export interface MlwfExtensionApi {
  readonly connection: ConnectionManager;
  readonly commands: ConnectCommands;
  readonly credentials: CredentialStore;
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): MlwfExtensionApi {
  const logger = new Logger();
  const credentials = new CredentialStore(context.secrets);
  const connection = new ConnectionManager(credentials, logger, () => readConnectionSettings());
  const commands = new ConnectCommands(connection, credentials, logger);

  context.subscriptions.push(
    logger,
    connection,
    new ConnectionStatusBar(connection),
    ...commands.register(),
    ...registerPendingViews(connection),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) void connection.refresh();
    }),
    context.secrets.onDidChange(() => void connection.refresh()),
  );

  logger.info(`MLWF ${String(context.extension.packageJSON.version)} activated (VS Code ${vscode.version}, remote: ${vscode.env.remoteName ?? 'none'}).`);
  // Probe in the background: activation must not wait for the network.
  void connection.refresh();
  return { connection, commands, credentials, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
