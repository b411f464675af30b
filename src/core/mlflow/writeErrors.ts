/**
 * What a refused write means to the user. The read path's sentences ("not allowed to do this",
 * "the URL is wrong") mislead after a write: a 403 from MLflow's auth app or a 403/405 from a
 * proxy that only lets GETs through both mean "this server lets you read only" (the auth app's
 * plain-text "Permission denied" says it is this account's rights); a 404 means
 * someone else deleted the thing meanwhile; RESOURCE_ALREADY_EXISTS is a name conflict.
 */
import * as l10n from '@vscode/l10n';
import { isMlflowError, isPermissionDenied, MlflowError } from './errors';

/** Set on the errors below so the UI can offer the right action (refresh, pick another name). */
export type WriteRefusal = 'readOnly' | 'gone' | 'conflict';

const REFUSAL = new WeakMap<MlflowError, WriteRefusal>();

export function writeRefusalOf(e: unknown): WriteRefusal | undefined {
  return isMlflowError(e) ? REFUSAL.get(e) : undefined;
}

function refused(e: MlflowError, refusal: WriteRefusal, userMessage: string): MlflowError {
  const error = new MlflowError({
    kind: e.kind,
    status: e.status,
    errorCode: e.errorCode,
    serverMessage: e.serverMessage,
    request: e.request,
    securityBlock: e.securityBlock,
    userMessage,
    cause: e,
  });
  REFUSAL.set(error, refusal);
  return error;
}

/** Rewrites a failed write's error into the sentence it deserves; anything else is returned as is. */
export function asWriteError(e: unknown): unknown {
  if (!isMlflowError(e)) return e;
  if (e.kind === 'forbidden' && !e.securityBlock) {
    return refused(
      e,
      'readOnly',
      isPermissionDenied(e)
        ? l10n.t('This MLflow server lets you read only: your account has no permission to change this (HTTP 403). Ask the server administrator for edit rights.')
        : l10n.t('This MLflow server lets you read only: it refused the change (HTTP 403). Ask the server administrator for write access.'),
    );
  }
  // A proxy that allows only GET answers 405 with its own page (no MLflow JSON).
  if (e.status === 405 && e.errorCode === undefined) {
    return refused(e, 'readOnly', l10n.t('This MLflow server lets you read only: its proxy refused the change (HTTP 405). Ask the server administrator for write access.'));
  }
  if (e.kind === 'notFound' && e.errorCode !== undefined) {
    return refused(
      e,
      'gone',
      l10n.t('It no longer exists on the MLflow server (someone may have deleted it meanwhile): refresh the view. ({0})', e.serverMessage ?? e.errorCode),
    );
  }
  if (e.errorCode === 'RESOURCE_ALREADY_EXISTS') {
    return refused(e, 'conflict', l10n.t('That name is already taken on the MLflow server: choose another one. ({0})', e.serverMessage ?? e.errorCode));
  }
  return e;
}

/** Runs one write and turns its failure into a write error. */
export async function writing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw asWriteError(e);
  }
}

/** A conflict found before writing (a name taken, a text changed on the server meanwhile). */
export function conflictError(userMessage: string): MlflowError {
  const error = new MlflowError({ kind: 'invalidParameter', errorCode: 'RESOURCE_ALREADY_EXISTS', userMessage });
  REFUSAL.set(error, 'conflict');
  return error;
}
