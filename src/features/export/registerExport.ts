// Wires "Export Model Version…" into VS Code; extension.ts calls this once.
import type * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import type { ConnectionManager } from '../connection/connectionManager';
import { ExportCommand } from './exportCommand';

export function registerExport(connection: ConnectionManager, logger: Logger): { command: ExportCommand; disposables: vscode.Disposable[] } {
  const command = new ExportCommand(connection, logger);
  return { command, disposables: command.register() };
}
