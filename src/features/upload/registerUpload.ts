// Wires "Upload Model Package…", "Clean Up Unfinished Uploads…" and "Choose Cloud Storage Profile…" into VS Code; extension.ts calls this once.
import type * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { S3CredentialStore } from '../../host/s3CredentialStore';
import { registerChooseProfileCommand } from './chooseProfileCommand';
import { CleanUpCommand } from './cleanUpCommand';
import { UploadCommand } from './uploadCommand';

export function registerUpload(logger: Logger, secrets: vscode.SecretStorage): { command: UploadCommand; disposables: vscode.Disposable[] } {
  const keys = new S3CredentialStore(secrets);
  const command = new UploadCommand(logger, keys);
  return { command, disposables: [...command.register(), ...new CleanUpCommand(logger, keys).register(), registerChooseProfileCommand(keys, logger)] };
}
