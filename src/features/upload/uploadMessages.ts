// Localized sentences for upload errors and bucket-name problems (src/core keeps English only).
import * as vscode from 'vscode';
import type { BucketNameProblem, UploadError, UploadOperation } from '../../core/upload';

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

/** The refused operation in words, for the no-permission sentence. */
function operationWords(operation: UploadOperation | undefined, bucket: string): string {
  switch (operation) {
    case 'listBuckets':
      return vscode.l10n.t('list the buckets');
    case 'createBucket':
      return vscode.l10n.t('create the bucket "{0}"', bucket);
    case 'headBucket':
      return vscode.l10n.t('use the bucket "{0}"', bucket);
    case 'headObject':
      return vscode.l10n.t('read objects in the bucket "{0}"', bucket);
    case 'listUploads':
      return vscode.l10n.t('list unfinished uploads in the bucket "{0}"', bucket);
    case 'abortUpload':
      return vscode.l10n.t('abort uploads in the bucket "{0}"', bucket);
    case 'upload':
    case undefined:
      return vscode.l10n.t('write to the bucket "{0}"', bucket);
  }
}

/**
 * One sentence for an upload error. `endpoint` is the one in use, named when it cannot be
 * reached (the error's own, from the client, wins).
 */
export function uploadErrorMessage(e: UploadError, bucket: string, endpoint?: string): string {
  const b = e.bucket || bucket;
  switch (e.kind) {
    case 'cancelled':
      return vscode.l10n.t('The upload was cancelled; nothing was left on the server.');
    case 'noCredentials':
      return vscode.l10n.t('No Cloud Storage keys were found (settings, environment or ~/.aws); set them or choose a profile.');
    case 'credentials':
      return vscode.l10n.t('Cloud Storage rejected the keys ({0}): the access key ID or the secret is wrong; set the right keys or choose another profile.', e.code ?? 'SignatureDoesNotMatch');
    case 'accessDenied':
      return vscode.l10n.t('Your Cloud Storage keys have no permission to {0} (AccessDenied); ask the bucket owner or use keys of a group that may.', operationWords(e.operation, b));
    case 'noSuchBucket':
      return vscode.l10n.t('The bucket "{0}" does not exist.', b);
    case 'bucketTaken':
      return e.operation === 'headBucket'
        ? vscode.l10n.t('The bucket "{0}" exists but belongs to someone else (or your keys may not use it); choose another bucket.', b)
        : vscode.l10n.t('The bucket name "{0}" is already taken by another account; choose another name.', b);
    case 'unreachable':
      return vscode.l10n.t('The Cloud Storage endpoint {0} cannot be reached ({1}); check mlwf.s3.endpoint and that you are on an ABCI login node.', e.endpoint ?? endpoint ?? 'AWS S3', e.code ?? 'network error');
    case 'fileChanged':
      return vscode.l10n.t('model.tar.gz changed while it was being uploaded; upload it again when it is complete.');
    case 'sizeMismatch':
      return vscode.l10n.t('The server does not hold the full file after the upload; upload it again.');
    case 'badBucketName':
      return vscode.l10n.t('The bucket name is not valid: {0}', e.message);
    case 'failed':
      return vscode.l10n.t('The upload to "{0}" failed: {1}', b, e.message);
  }
}
