// Delete Folder… in the Cloud Storage view: list what is under the folder (every object at every
// level, and the unfinished multipart uploads ABCI keeps charging for), ask in a modal question
// that gives the count and size, then delete exactly that with progress and Cancel, and say how
// far a cancel or a refusal got. The work itself is src/core/cloudStorage/deleteFolder.ts.
import * as vscode from 'vscode';
import { deleteFolderContents, FOLDER_DELETE_LIMIT, listFolderContents, storageError, type FolderContents } from '../../core/cloudStorage';
import { formatBytes } from '../../core/formatBytes';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import type { CloudStorageTreeProvider } from './cloudStorageTreeProvider';
import { deleteErrorMessage, storageErrorMessage } from './storageMessages';
import type { FolderNode } from './storageNodes';

export interface DeleteFolderDeps {
  readonly provider: CloudStorageTreeProvider;
  readonly logger: Logger;
  /** An error notification with Retry (or Set Cloud Storage Keys… when the keys are the cause). */
  showError(message: string, keysWrong: boolean): void;
}

/** Returns how many objects were deleted and uploads aborted. */
export async function deleteFolder(folder: FolderNode, deps: DeleteFolderDeps): Promise<number> {
  const { provider, logger } = deps;
  const client = await provider.client();
  if (!client) return 0;
  let contents: FolderContents;
  try {
    contents = await vscode.window.withProgress({ location: { viewId: 'mlwf.cloudStorage' } }, () => listFolderContents(client, folder.bucket, folder.prefix));
  } catch (e) {
    const error = storageError(e);
    logger.warn(`Cloud Storage: listing ${folder.uri} for a delete failed: ${error.kind}: ${error.detail}`);
    deps.showError(storageErrorMessage(error, folder.uri), error.kind === 'credentials' || error.kind === 'accessDenied');
    return 0;
  }
  if (contents.truncated) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} holds more than {1} objects; delete it with a command-line tool (aws s3 rm --recursive).', folder.uri, FOLDER_DELETE_LIMIT));
    return 0;
  }
  const objects = contents.objects.length;
  const uploads = contents.uploads.length;
  if (objects === 0 && uploads === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no objects any more.', folder.uri));
    provider.refresh(folder.parent);
    return 0;
  }
  const remove = objects > 0 ? vscode.l10n.t('Delete') : vscode.l10n.t('Abort Uploads');
  if ((await vscode.window.showWarningMessage(question(folder.uri, contents), { modal: true }, remove)) !== remove) return 0;

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting {0}', folder.uri), cancellable: true },
    async (progress, token) => {
      const abort = abortSignalFor(token);
      try {
        return await deleteFolderContents(client, contents, {
          signal: abort.signal,
          onProgress: (deleted) => progress.report({ increment: 100 / objects, message: vscode.l10n.t('{0} of {1} objects', deleted, objects) }),
        });
      } finally {
        abort.dispose();
      }
    },
  );
  provider.refresh(folder.parent);
  const done = result.deleted.length;
  logger.info(`Deleted ${done} of ${objects} objects and aborted ${result.aborted} of ${uploads} unfinished uploads under ${folder.uri}`);
  if (result.error === undefined) {
    void vscode.window.showInformationMessage([deletedSentence(folder.uri, objects), abortedSentence(result.aborted)].filter(Boolean).join(' '));
    return done + result.aborted;
  }
  const error = storageError(result.error);
  logger.warn(`Cloud Storage: delete of ${folder.uri} stopped after ${done} of ${objects}: ${error.kind}: ${error.detail}`);
  if (error.kind === 'cancelled') void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: {0} of {1} objects in {2} were deleted, the rest are still there.', done, objects, folder.uri));
  else deps.showError(vscode.l10n.t('{0} of {1} objects in {2} were deleted, then: {3}', done, objects, folder.uri, deleteErrorMessage(error, folder.uri)), error.kind === 'credentials' || error.kind === 'accessDenied');
  return done + result.aborted;
}

/** The modal question: what goes, with its size, and the unfinished uploads that are aborted too. */
function question(uri: string, contents: FolderContents): string {
  const objects = contents.objects.length;
  const uploads = contents.uploads.length;
  if (objects === 0)
    return uploads === 1
      ? vscode.l10n.t('{0} holds no objects, but one unfinished upload that is charged for until aborted. Abort it?', uri)
      : vscode.l10n.t('{0} holds no objects, but {1} unfinished uploads that are charged for until aborted. Abort them?', uri, uploads);
  const size = formatBytes(contents.bytes);
  const first =
    objects === 1
      ? vscode.l10n.t('Delete {0} and the one object in it ({1})? This cannot be undone.', uri, size)
      : vscode.l10n.t('Delete {0} and the {1} objects in it ({2})? This cannot be undone.', uri, objects, size);
  if (uploads === 0) return first;
  return `${first} ${uploads === 1 ? vscode.l10n.t('The unfinished upload under it is aborted too.') : vscode.l10n.t('The {0} unfinished uploads under it are aborted too.', uploads)}`;
}

function deletedSentence(uri: string, objects: number): string {
  if (objects === 0) return '';
  return objects === 1 ? vscode.l10n.t('Deleted {0} and its one object.', uri) : vscode.l10n.t('Deleted {0} and its {1} objects.', uri, objects);
}

function abortedSentence(aborted: number): string {
  if (aborted === 0) return '';
  return aborted === 1 ? vscode.l10n.t('Aborted one unfinished upload.') : vscode.l10n.t('Aborted {0} unfinished uploads.', aborted);
}
