// Wires "Export Model Version…" and the Cloud Storage keys commands into VS Code; extension.ts calls this once.
import type * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { S3CredentialStore } from '../../host/s3CredentialStore';
import type { ConnectionManager } from '../connection/connectionManager';
import { ExportCommand } from './exportCommand';
import { registerS3KeysCommands } from './s3KeysCommands';

export function registerExport(connection: ConnectionManager, logger: Logger, secrets: vscode.SecretStorage): { command: ExportCommand; disposables: vscode.Disposable[] } {
  const keys = new S3CredentialStore(secrets);
  const command = new ExportCommand(connection, logger, keys);
  return { command, disposables: [...command.register(), ...registerS3KeysCommands(keys)] };
}
