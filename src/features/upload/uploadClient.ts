// The S3 client for the upload commands: keys from SecretStorage, else the AWS chain; when
// neither has keys, one sentence with "Set Cloud Storage Keys…".
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { createS3Client, hasS3Credentials } from '../../core/s3/s3Client';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import type { UploadSettings } from './uploadSettings';

export async function uploadClient(keys: S3CredentialStore, settings: UploadSettings): Promise<S3Client | undefined> {
  const stored = await keys.get(settings.s3.endpoint);
  if (await hasS3Credentials(settings.s3, stored)) return createS3Client({ settings: settings.s3, credentials: stored });
  const setKeys = vscode.l10n.t('Set Cloud Storage Keys…');
  const picked = await vscode.window.showErrorMessage(vscode.l10n.t('No Cloud Storage keys were found (settings, environment or ~/.aws); set them to upload.'), setKeys);
  if (picked === setKeys && (await vscode.commands.executeCommand<boolean>('mlwf.setS3Credentials'))) return uploadClient(keys, settings);
  return undefined;
}
