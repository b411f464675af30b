// Wires "Upload Model Package…" into VS Code; extension.ts calls this once.
import type * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { S3CredentialStore } from '../../host/s3CredentialStore';
import { UploadCommand } from './uploadCommand';

export function registerUpload(logger: Logger, secrets: vscode.SecretStorage): { command: UploadCommand; disposables: vscode.Disposable[] } {
  const command = new UploadCommand(logger, new S3CredentialStore(secrets));
  return { command, disposables: command.register() };
}
