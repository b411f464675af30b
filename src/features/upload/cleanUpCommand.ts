// "MLWF: Clean Up Unfinished Uploads…": lists the multipart uploads pending in a bucket (ABCI
// charges for their parts until they are aborted) and aborts the ones the user picks.
import * as vscode from 'vscode';
import { abortUnfinishedUploads, listBuckets, listUnfinishedUploads, toUploadError, type UnfinishedUpload } from '../../core/upload';
import type { Logger } from '../../host/logger';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { uploadClient } from './uploadClient';
import { uploadErrorMessage } from './uploadMessages';
import { readUploadSettings } from './uploadSettings';
import { registerCommand } from '../../host/commands';

export class CleanUpCommand {
  constructor(
    private readonly logger: Logger,
    private readonly keys: S3CredentialStore,
  ) {}

  register(): vscode.Disposable[] {
    return [registerCommand('mlwf.cleanUpUnfinishedUploads', (bucket?: string) => this.run(bucket))];
  }

  /** Returns how many uploads were aborted (undefined when the user stopped). */
  async run(bucketArg?: string): Promise<number | undefined> {
    const client = await uploadClient(this.keys, readUploadSettings());
    if (!client) return undefined;
    let bucket = bucketArg ?? '';
    try {
      if (!bucket) {
        const picked = await vscode.window.showQuickPick(await listBuckets(client), { title: vscode.l10n.t('Clean Up Unfinished Uploads: bucket') });
        if (!picked) return undefined;
        bucket = picked;
      }
      const uploads = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for unfinished uploads in {0}…', bucket) }, () => listUnfinishedUploads(client, bucket));
      if (uploads.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No unfinished uploads in {0}.', bucket));
        return 0;
      }
      const items = uploads.map((u) => ({ label: u.key, description: u.initiated ? u.initiated.toLocaleString() : '', detail: u.uploadId, picked: true, upload: u }));
      const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Unfinished uploads in {0}: pick the ones to abort', bucket) });
      if (!chosen?.length) return undefined;
      const abort = vscode.l10n.t('Abort Uploads');
      const sure = await vscode.window.showWarningMessage(vscode.l10n.t('Abort {0} unfinished upload(s) in {1}? Their uploaded parts are deleted.', String(chosen.length), bucket), { modal: true }, abort);
      if (sure !== abort) return undefined;
      const done = await abortUnfinishedUploads(client, bucket, chosen.map((c): UnfinishedUpload => c.upload));
      this.logger.info(`Aborted ${done} unfinished upload(s) in ${bucket}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Aborted {0} unfinished upload(s) in {1}.', String(done), bucket));
      return done;
    } catch (e) {
      const error = toUploadError(e, bucket);
      this.logger.warn(`Clean-up failed: ${error.kind}: ${error.message}`);
      void vscode.window.showErrorMessage(uploadErrorMessage(error, bucket));
      return undefined;
    } finally {
      client.destroy();
    }
  }
}
