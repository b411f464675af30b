// "MLWF: Upload Model Package…": from an export folder (or its model.tar.gz / info.yaml) to a
// bucket, guided step by step — bucket (listed or created), prefix, overwrite question, the
// multipart upload with bytes/rate/ETA and Cancel, the URL written into info.yaml, info.yaml
// uploaded (public-read if the user agrees) and a summary with the URLs.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/formatBytes';
import { parseInfoYaml } from '../../core/infoYaml';
import { checkBucketAccess, checkBucketName, createBucket, headObject, listBuckets, objectUrl, registrationEmail, toUploadError, uploadFile, withContentUrl, type UploadError, type UrlKind } from '../../core/upload';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { pickPrefix } from './prefixPicker';
import { credentialActions, fixCredentials, uploadClient } from './uploadClient';
import { bucketNameMessage, uploadErrorMessage } from './uploadMessages';
import { readUploadSettings, type UploadSettings } from './uploadSettings';
import { registerCommand } from '../../host/commands';

export interface UploadSummary {
  readonly packageUrl: string;
  readonly infoYamlUrl: string;
}

const PACKAGE = 'model.tar.gz';
const INFO_YAML = 'info.yaml';

/** The export folder for a clicked folder, model.tar.gz or info.yaml. */
export async function packageFolder(uri: vscode.Uri): Promise<string> {
  const stat = await fs.stat(uri.fsPath);
  return stat.isDirectory() ? uri.fsPath : path.dirname(uri.fsPath);
}

/** The model's name from info.yaml (else the folder name), as a key prefix with safe characters. */
async function defaultPrefix(folder: string): Promise<string> {
  let name = '';
  try {
    const doc = parseInfoYaml(await fs.readFile(path.join(folder, INFO_YAML), 'utf8')).doc?.toJS() as { Name?: unknown } | undefined;
    if (typeof doc?.Name === 'string' && !doc.Name.includes('<<')) name = doc.Name;
  } catch {
    // no readable info.yaml: the folder name will do
  }
  if (!name) name = path.basename(folder).replace(/^MLWFExportModel_/, '');
  return name.trim().replace(/[^\w.\-!*'()]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

function rateText(bytesPerSecond: number, etaSeconds: number | undefined): string {
  const eta = etaSeconds === undefined ? '…' : etaSeconds >= 60 ? `${Math.floor(etaSeconds / 60)}m ${Math.round(etaSeconds % 60)}s` : `${Math.round(etaSeconds)}s`;
  return vscode.l10n.t('{0}/s, {1} left', formatBytes(Math.round(bytesPerSecond)), eta);
}

export class UploadCommand {
  constructor(
    private readonly logger: Logger,
    private readonly keys: S3CredentialStore,
  ) {}

  register(): vscode.Disposable[] {
    return [registerCommand('mlwf.uploadModelPackage', (uri?: vscode.Uri) => this.run(uri))];
  }

  async run(uri?: vscode.Uri): Promise<UploadSummary | undefined> {
    let folder: string;
    if (uri) folder = await packageFolder(uri);
    else {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Upload This Package'), title: vscode.l10n.t('Choose an export folder (MLWFExportModel_…)') });
      if (!picked?.[0]) return undefined;
      folder = picked[0].fsPath;
    }
    const packageFile = path.join(folder, PACKAGE);
    const size = await fs.stat(packageFile).then((s) => s.size, () => undefined);
    if (size === undefined) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} has no model.tar.gz; export the model version first.', path.basename(folder)));
      return undefined;
    }
    const settings = readUploadSettings();
    const client = await uploadClient(this.keys, settings);
    if (!client) return undefined;
    let bucket = '';
    try {
      const chosen = await this.pickBucket(client, settings);
      if (!chosen) return undefined;
      bucket = chosen;
      const prefix = await pickPrefix(client, bucket, await defaultPrefix(folder));
      if (prefix === undefined) return undefined;
      const base = prefix.trim().replace(/^\/+|\/+$/g, '');
      const key = `${base}/${PACKAGE}`;
      const existing = await headObject(client, bucket, key);
      if (existing) {
        const overwrite = vscode.l10n.t('Overwrite');
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t('s3://{0}/{1} already exists ({2}). Overwrite it?', bucket, key, formatBytes(existing.size)), { modal: true }, overwrite);
        if (answer !== overwrite) return undefined;
      }
      const kind = await this.pickUrlKind(settings, bucket, key);
      if (!kind) return undefined;
      const uploaded = await this.uploadWithProgress(client, settings, bucket, key, packageFile);
      if (!uploaded) return undefined;
      const packageUrl = objectUrl({ bucket, key, kind, profile: settings.profile, endpoint: settings.endpoint, addressingStyle: settings.addressingStyle });
      await this.writeContentUrl(path.join(folder, INFO_YAML), packageUrl);
      const infoKey = `${base}/${INFO_YAML}`;
      const makePublic = vscode.l10n.t('Make Public');
      const keepPrivate = vscode.l10n.t('Keep Private');
      const acl = await vscode.window.showInformationMessage(
        vscode.l10n.t('Upload info.yaml as public-read? ABCI Datasets needs the YAML to be readable by anyone.'),
        { modal: true },
        makePublic,
        keepPrivate,
      );
      if (acl === undefined) return undefined;
      await uploadFile({ client, bucket, key: infoKey, file: path.join(folder, INFO_YAML), contentType: 'application/yaml', acl: acl === makePublic ? 'public-read' : 'private', partSize: settings.partSizeBytes, queueSize: settings.parallelism });
      const infoYamlUrl = objectUrl({ bucket, key: infoKey, kind: 'public', profile: settings.profile, endpoint: settings.endpoint, addressingStyle: settings.addressingStyle });
      this.logger.info(`Uploaded ${packageFile} to s3://${bucket}/${key} (${size} bytes); info.yaml to s3://${bucket}/${infoKey}`);
      this.showSummary({ packageUrl, infoYamlUrl }, path.join(folder, INFO_YAML));
      return { packageUrl, infoYamlUrl };
    } catch (e) {
      this.showError(toUploadError(e, { bucket, endpoint: settings.s3.endpoint }), bucket, uri, settings);
      return undefined;
    } finally {
      client.destroy();
    }
  }

  /**
   * A listed bucket (checked with HeadBucket) or a new one. A bucket that is someone else's —
   * listed but refused, or a new name already taken — is said so and another one asked for.
   */
  private async pickBucket(client: S3Client, settings: UploadSettings): Promise<string | undefined> {
    const buckets = await listBuckets(client);
    const create = vscode.l10n.t('$(add) Create a Bucket…');
    const taken = new Set<string>();
    for (;;) {
      const picked = await vscode.window.showQuickPick([{ label: create, alwaysShow: true }, ...buckets.filter((b) => !taken.has(b)).map((b) => ({ label: b }))], {
        title: vscode.l10n.t('Upload Model Package: bucket'),
        placeHolder: vscode.l10n.t('Pick a bucket or create one'),
      });
      if (!picked) return undefined;
      const chosen = picked.label === create ? await this.createNewBucket(client, settings, taken) : picked.label;
      if (!chosen) return undefined;
      try {
        await checkBucketAccess(client, chosen);
        return chosen;
      } catch (e) {
        const error = toUploadError(e, { bucket: chosen, endpoint: settings.s3.endpoint });
        if (error.kind !== 'bucketTaken') throw error;
        taken.add(chosen);
        this.logger.warn(`Upload: ${error.message}`);
        void vscode.window.showWarningMessage(uploadErrorMessage(error, chosen, settings.s3.endpoint));
      }
    }
  }

  /** Asks for a new bucket's name until one is created; names found taken are refused in the box. */
  private async createNewBucket(client: S3Client, settings: UploadSettings, taken: Set<string>): Promise<string | undefined> {
    let value = '';
    for (;;) {
      const name = await vscode.window.showInputBox({
        title: vscode.l10n.t('New bucket name'),
        prompt: vscode.l10n.t('3 to 63 lower-case letters, digits and hyphens; unique on the whole server.'),
        value,
        validateInput: (v) => {
          if (taken.has(v.trim())) return vscode.l10n.t('The bucket name "{0}" is already taken by another account; choose another name.', v.trim());
          const bad = checkBucketName(v.trim());
          return bad ? bucketNameMessage(bad.problem) : undefined;
        },
      });
      if (!name) return undefined;
      value = name.trim();
      try {
        await createBucket(client, value, settings.s3.region);
        return value;
      } catch (e) {
        const error = toUploadError(e, { bucket: value, endpoint: settings.s3.endpoint });
        if (error.kind !== 'bucketTaken') throw error;
        taken.add(value);
        this.logger.warn(`Upload: ${error.message}`);
        void vscode.window.showWarningMessage(uploadErrorMessage(error, value, settings.s3.endpoint));
      }
    }
  }

  private async pickUrlKind(settings: UploadSettings, bucket: string, key: string): Promise<UrlKind | undefined> {
    const url = (kind: UrlKind) => objectUrl({ bucket, key, kind, profile: settings.profile, endpoint: settings.endpoint, addressingStyle: settings.addressingStyle });
    const items: Array<vscode.QuickPickItem & { urlKind: UrlKind }> = [
      { label: vscode.l10n.t('Public URL'), description: url('public'), urlKind: 'public' },
      { label: vscode.l10n.t('s3:// URI'), description: url('s3'), urlKind: 's3' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Which URL goes into info.yaml (Distribution.ContentURL)?') });
    return picked?.urlKind;
  }

  private async uploadWithProgress(client: S3Client, settings: UploadSettings, bucket: string, key: string, file: string): Promise<boolean> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Uploading model.tar.gz to {0}', bucket), cancellable: true },
      async (progress, token) => {
        const abort = abortSignalFor(token);
        const started = Date.now();
        let lastPercent = 0;
        try {
          await uploadFile({
            client, bucket, key, file,
            partSize: settings.partSizeBytes,
            queueSize: settings.parallelism,
            contentType: 'application/gzip',
            signal: abort.signal,
            onProgress: ({ loaded, total }) => {
              const seconds = (Date.now() - started) / 1000;
              const rate = seconds > 0 ? loaded / seconds : 0;
              const percent = total > 0 ? (loaded / total) * 100 : 100;
              progress.report({ increment: percent - lastPercent, message: `${formatBytes(loaded)} / ${formatBytes(total)} · ${rateText(rate, rate > 0 ? (total - loaded) / rate : undefined)}` });
              lastPercent = percent;
            },
          });
          return true;
        } catch (e) {
          const error = toUploadError(e, bucket);
          if (error.kind === 'cancelled') {
            void vscode.window.showInformationMessage(uploadErrorMessage(error, bucket));
            return false;
          }
          throw error;
        } finally {
          abort.dispose();
        }
      },
    );
  }

  /** The URL into Distribution.ContentURL as a minimal edit, through the editor so Undo works. */
  private async writeContentUrl(infoYamlPath: string, url: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(infoYamlPath));
    const text = doc.getText();
    const next = withContentUrl(text, url);
    if (next === text) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), next);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
  }

  private showSummary(summary: UploadSummary, infoYamlPath: string): void {
    const copyPackage = vscode.l10n.t('Copy Package URL');
    const copyYaml = vscode.l10n.t('Copy info.yaml URL');
    const email = vscode.l10n.t('Prepare Registration E-mail');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Uploaded. Package: {0} — info.yaml: {1}', summary.packageUrl, summary.infoYamlUrl), copyPackage, copyYaml, email)
      .then(async (picked) => {
        if (picked === copyPackage) await vscode.env.clipboard.writeText(summary.packageUrl);
        if (picked === copyYaml) await vscode.env.clipboard.writeText(summary.infoYamlUrl);
        if (picked === email) await this.openRegistrationEmail(summary, infoYamlPath);
      });
  }

  /** A new document with the ABCI Datasets application filled in and a mailto: link. */
  async openRegistrationEmail(summary: UploadSummary, infoYamlPath: string): Promise<vscode.TextDocument> {
    const doc = parseInfoYaml(await fs.readFile(infoYamlPath, 'utf8')).doc?.toJS() as { Name?: unknown; Creator?: { ContactPoint?: { Email?: unknown } } } | undefined;
    const str = (v: unknown) => (typeof v === 'string' && !v.includes('<<') ? v : undefined);
    const mail = registrationEmail({ datasetName: str(doc?.Name) ?? path.basename(path.dirname(infoYamlPath)), yamlUrl: summary.infoYamlUrl, email: str(doc?.Creator?.ContactPoint?.Email) });
    const content = [`<!-- ${vscode.l10n.t('Fill in the [bracketed] blanks, then send it as the ABCI user guide says (Publishing Datasets).')} -->`, '', `# ${mail.subject}`, '', mail.body, `[${vscode.l10n.t('Open in your mail program')}](${mail.mailto})`, ''].join('\n');
    const opened = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(opened, { preview: false });
    return opened;
  }

  /** One sentence and the action that fixes it: keys, profile, settings, another bucket, or Retry. */
  private showError(error: UploadError, bucket: string, uri: vscode.Uri | undefined, settings: UploadSettings): void {
    this.logger.warn(`Upload failed: ${error.kind}: ${error.message}`);
    const message = uploadErrorMessage(error, bucket, settings.s3.endpoint);
    if (error.kind === 'cancelled') return void vscode.window.showInformationMessage(message);
    const retry = vscode.l10n.t('Retry');
    const showLog = vscode.l10n.t('Show Log');
    const openSettings = vscode.l10n.t('Open Settings');
    const otherBucket = vscode.l10n.t('Choose Another Bucket…');
    const actions =
      error.kind === 'credentials' || error.kind === 'noCredentials'
        ? credentialActions()
        : error.kind === 'accessDenied'
          ? [credentialActions()[1]!, showLog]
          : error.kind === 'unreachable'
            ? [openSettings, retry]
            : error.kind === 'bucketTaken' || error.kind === 'noSuchBucket'
              ? [otherBucket]
              : [retry, showLog];
    void vscode.window.showErrorMessage(message, ...actions).then(async (picked) => {
      if (picked === retry || picked === otherBucket) await this.run(uri);
      else if (picked === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', 'mlwf.s3');
      else if (picked === showLog) this.logger.show();
      else if (await fixCredentials(picked)) await this.run(uri);
    });
  }
}
