// The S3 client for the upload commands: keys from SecretStorage, else the AWS chain (or the
// profile chosen in `mlwf.s3.profile`); when none has keys, one sentence with "Set Cloud Storage
// Keys…" and "Choose Profile…".
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { createS3Client, hasS3Credentials } from '../../core/s3/s3Client';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { CHOOSE_PROFILE_COMMAND } from './chooseProfileCommand';
import { readUploadSettings, type UploadSettings } from './uploadSettings';

/** Runs "Set Cloud Storage Keys…" or "Choose Cloud Storage Profile…" for a picked action; true when something was chosen. */
export async function fixCredentials(picked: string | undefined): Promise<boolean> {
  if (picked === vscode.l10n.t('Set Cloud Storage Keys…')) return Boolean(await vscode.commands.executeCommand<boolean>('mlwf.setS3Credentials'));
  if (picked === vscode.l10n.t('Choose Profile…')) return (await vscode.commands.executeCommand<string | undefined>(CHOOSE_PROFILE_COMMAND)) !== undefined;
  return false;
}

/** The two ways to fix keys, as message buttons. */
export function credentialActions(): string[] {
  return [vscode.l10n.t('Set Cloud Storage Keys…'), vscode.l10n.t('Choose Profile…')];
}

export async function uploadClient(keys: S3CredentialStore, settings: UploadSettings): Promise<S3Client | undefined> {
  const stored = await keys.forSettings(settings.s3);
  if (await hasS3Credentials(settings.s3, stored)) return createS3Client({ settings: settings.s3, credentials: stored });
  const where = settings.s3.profile ? vscode.l10n.t('profile {0}', settings.s3.profile) : vscode.l10n.t('settings, environment or ~/.aws');
  const picked = await vscode.window.showErrorMessage(vscode.l10n.t('No Cloud Storage keys were found ({0}); set them or choose a profile to upload.', where), ...credentialActions());
  // Settings may have changed (a profile was picked): read them again.
  if (await fixCredentials(picked)) return uploadClient(keys, readUploadSettings());
  return undefined;
}
