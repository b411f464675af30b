// An export failure in the user's language, with the action that helps. The core's sentence
// (English, with paths and details) goes to the log.
import * as vscode from 'vscode';
import { isMlflowError } from '../../core/mlflow';
import type { ExportError } from '../../core/export';
import { describeMlflowError } from '../connection/connectionErrors';

export type ExportErrorAction = 'retry' | 'viaServer' | 'setKeys' | 'signIn' | 'openSetting' | 'showLog';

export function describeExportError(error: ExportError): string {
  const left = error.leftover
    ? vscode.l10n.t('its unfinished folder {0} could not be removed', error.leftover)
    : vscode.l10n.t('nothing was left behind');
  switch (error.kind) {
    case 'cancelled':
      return vscode.l10n.t('The export was cancelled and {0}.', left);
    case 'diskFull':
      return vscode.l10n.t('The disk is full, so the export stopped and {0}.', left);
    case 's3CredentialsMissing':
      return vscode.l10n.t('No Cloud Storage credentials were found for this model (AWS keys, a profile in ~/.aws, or mlwf.s3.profile), so the export stopped and {0}.', left);
    case 'unsafePath':
      return vscode.l10n.t('The artifact store listed a file path that would escape the export folder, so the export was stopped and {0}.', left);
    case 'responseTimeout':
      // The core's sentence names the file and the seconds; this one says what to change.
      return vscode.l10n.t('{0} Large files on a slow artifact store need longer: raise mlwf.export.responseTimeoutSeconds and retry.', error.userMessage);
    case 'integrity':
      return vscode.l10n.t('A downloaded file did not match the size or checksum the store gives, so the export stopped and {0}.', left);
    case 'mlflow': {
      const cause = error.cause;
      return isMlflowError(cause)
        ? vscode.l10n.t('The export stopped and {0}: {1}', left, describeMlflowError(cause))
        : vscode.l10n.t('The export stopped and {0}: {1}', left, error.userMessage);
    }
    default:
      return vscode.l10n.t('The export failed and {0}: {1}', left, error.userMessage);
  }
}

export function actionsFor(error: ExportError): ExportErrorAction[] {
  if (error.kind === 'cancelled') return [];
  if (error.kind === 's3CredentialsMissing') return ['viaServer', 'setKeys', 'showLog'];
  if (error.kind === 'responseTimeout') return ['openSetting', 'retry', 'showLog'];
  const cause = error.cause;
  if (isMlflowError(cause) && (cause.kind === 'auth' || cause.kind === 'forbidden')) return ['signIn', 'showLog'];
  return ['retry', 'showLog'];
}

export function actionLabel(action: ExportErrorAction): string {
  switch (action) {
    case 'retry':
      return vscode.l10n.t('Retry');
    case 'viaServer':
      return vscode.l10n.t('Download Through Server');
    case 'setKeys':
      return vscode.l10n.t('Set Cloud Storage Keys…');
    case 'signIn':
      return vscode.l10n.t('Sign In…');
    case 'openSetting':
      return vscode.l10n.t('Open Settings');
    case 'showLog':
      return vscode.l10n.t('Show Log');
  }
}
