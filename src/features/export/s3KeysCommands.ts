// "MLWF: Set Cloud Storage Keys…" / "MLWF: Forget Cloud Storage Keys": keys for the configured
// endpoint, kept in SecretStorage, for login nodes without ~/.aws (the export reads s3:// model
// files with them; the upload will write with them).
import * as vscode from 'vscode';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { readExportSettings } from './exportSettings';
import { registerCommand } from '../../host/commands';

export function registerS3KeysCommands(store: S3CredentialStore): vscode.Disposable[] {
  return [
    registerCommand('mlwf.setS3Credentials', async () => {
      const endpoint = readExportSettings().s3.endpoint;
      const where = endpoint ?? 'AWS';
      const accessKeyId = await vscode.window.showInputBox({ title: vscode.l10n.t('Cloud Storage keys for {0}', where), prompt: vscode.l10n.t('Access key ID'), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the access key ID.')) });
      if (!accessKeyId) return false;
      const secretAccessKey = await vscode.window.showInputBox({ title: vscode.l10n.t('Cloud Storage keys for {0}', where), prompt: vscode.l10n.t('Secret access key'), password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter the secret access key.')) });
      if (!secretAccessKey) return false;
      await store.set(endpoint, { accessKeyId: accessKeyId.trim(), secretAccessKey });
      void vscode.window.showInformationMessage(vscode.l10n.t('Cloud Storage keys for {0} are kept in the secret storage.', where));
      return true;
    }),
    registerCommand('mlwf.forgetS3Credentials', async () => {
      const endpoint = readExportSettings().s3.endpoint;
      await store.delete(endpoint);
      void vscode.window.showInformationMessage(vscode.l10n.t('Cloud Storage keys for {0} were removed.', endpoint ?? 'AWS'));
    }),
  ];
}
