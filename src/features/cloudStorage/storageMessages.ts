// Localized sentences for what the Cloud Storage view can meet (src/core keeps kinds only).
import * as vscode from 'vscode';
import type { StorageErrorInfo } from '../../core/cloudStorage';

export function storageErrorMessage(error: StorageErrorInfo, where: string): string {
  switch (error.kind) {
    case 'cancelled':
      return vscode.l10n.t('Cancelled.');
    case 'credentials':
      return vscode.l10n.t('The Cloud Storage keys were refused by the server; set the right keys or pick another profile.');
    case 'accessDenied':
      return vscode.l10n.t('You have no permission to read {0} (403).', where);
    case 'noSuchBucket':
      return vscode.l10n.t('The bucket of {0} does not exist (any more).', where);
    case 'notFound':
      return vscode.l10n.t('{0} does not exist (any more).', where);
    case 'unreachable':
      return vscode.l10n.t('The Cloud Storage endpoint cannot be reached ({0}); check mlwf.s3.endpoint and that you are on an ABCI login node.', error.detail);
    case 'failed':
      return vscode.l10n.t('Cloud Storage answered with an error for {0}: {1}', where, error.detail);
  }
}

/** A refused delete names the delete (the view's own sentence speaks of reading). */
export function deleteErrorMessage(error: StorageErrorInfo, where: string): string {
  return error.kind === 'accessDenied' ? vscode.l10n.t('You have no permission to delete {0} (403).', where) : storageErrorMessage(error, where);
}
