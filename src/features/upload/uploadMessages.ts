// Localized sentences for upload errors and bucket-name problems (src/core keeps English only).
import * as vscode from 'vscode';
import type { BucketNameProblem, UploadError } from '../../core/upload';

export function bucketNameMessage(problem: BucketNameProblem): string {
  switch (problem) {
    case 'length':
      return vscode.l10n.t('A bucket name has 3 to 63 characters.');
    case 'characters':
      return vscode.l10n.t('A bucket name may only use lower-case letters, digits, hyphens and dots (no capitals, underscores or spaces).');
    case 'edges':
      return vscode.l10n.t('A bucket name starts and ends with a lower-case letter or a digit.');
    case 'adjacentDots':
      return vscode.l10n.t('A bucket name cannot have two dots in a row or a dot next to a hyphen.');
    case 'ipAddress':
      return vscode.l10n.t('A bucket name cannot look like an IP address.');
  }
}

export function uploadErrorMessage(e: UploadError, bucket: string): string {
  switch (e.kind) {
    case 'cancelled':
      return vscode.l10n.t('The upload was cancelled; nothing was left on the server.');
    case 'credentials':
      return vscode.l10n.t('The Cloud Storage keys were refused by the server; set the right keys or pick another profile.');
    case 'accessDenied':
      return vscode.l10n.t('You have no permission to write to the bucket "{0}".', bucket);
    case 'noSuchBucket':
      return vscode.l10n.t('The bucket "{0}" does not exist.', bucket);
    case 'bucketTaken':
      return vscode.l10n.t('The bucket name "{0}" is already taken by another account; choose another name.', bucket);
    case 'unreachable':
      return vscode.l10n.t('The Cloud Storage endpoint cannot be reached; check mlwf.s3.endpoint and that you are on an ABCI login node.');
    case 'fileChanged':
      return vscode.l10n.t('model.tar.gz changed while it was being uploaded; upload it again when it is complete.');
    case 'sizeMismatch':
      return vscode.l10n.t('The server does not hold the full file after the upload; upload it again.');
    case 'badBucketName':
      return vscode.l10n.t('The bucket name is not valid: {0}', e.message);
    case 'failed':
      return vscode.l10n.t('The upload to "{0}" failed: {1}', bucket, e.message);
  }
}
