// "MLWF: Upload Model Package…" inside a real VS Code extension host against a real
// S3-compatible server (moto_server, started here): the guided steps answered through the
// window API, then the bytes on the server, the URL in info.yaml (comments kept) and the ACL.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { createBucket, listUnfinishedUploads, pendingUploads } from '../../src/core/upload';
import type { UploadSummary } from '../../src/features/upload/uploadCommand';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';
import { api, setSetting } from './inHost';

const BUCKET = 'host-upload';
type Win = Record<string, unknown>;

describe('Upload Model Package (real S3-compatible server)', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  const win = vscode.window as unknown as Win;
  const saved: Win = {};
  const asked: string[] = [];

  before(async function () {
    const bin = findMotoServer();
    if (!bin) {
      console.log(MOTO_MISSING);
      return this.skip();
    }
    await api();
    moto = await startMoto(bin);
    // The extension host is this process: the AWS chain finds these keys in the environment.
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    await setSetting('s3.endpoint', moto.endpoint);
    await setSetting('s3.region', 'us-east-1');
    await setSetting('siteProfile', 'generic');
    await setSetting('s3.partSizeMiB', 5);
    const client = await createS3Client({ settings: resolveS3Settings({ endpoint: moto.endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createBucket(client, BUCKET, 'us-east-1');
    client.destroy();
    for (const k of ['showQuickPick', 'showInputBox', 'showInformationMessage', 'showWarningMessage']) saved[k] = win[k];
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) win[k] = v;
    await setSetting('s3.endpoint', undefined);
    await setSetting('s3.region', undefined);
    await setSetting('siteProfile', undefined);
    await setSetting('s3.partSizeMiB', undefined);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await moto?.stop();
  });

  it('uploads from model.tar.gz in an export folder: bytes on the server, URL in info.yaml, info.yaml public', async () => {
    const folder = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'mlwf-host-upload-')), 'MLWFExportModel_20260101000000');
    await fs.mkdir(folder);
    const data = randomBytes(11 * 1024 * 1024 + 3);
    await fs.writeFile(path.join(folder, 'model.tar.gz'), data);
    const yaml = '# registration for ABCI Datasets\nName: Wine Model\nDistribution:\n  # the package\n  ContentURL:\n    - "<<FILL IN: the URL of model.tar.gz, filled in by the upload>>"\n';
    await fs.writeFile(path.join(folder, 'info.yaml'), yaml);

    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const list = await items;
      // The bucket, then the prefix picker's first "Use this prefix" (the model name), then the public URL.
      const picked = list.find((i) => i.label === BUCKET) ?? list.find((i) => (i as { action?: string }).action === 'use') ?? list.find((i) => (i as { urlKind?: string }).urlKind === 'public');
      asked.push(`pick: ${options?.title ?? ''} = ${picked?.label ?? ''}`);
      return picked;
    };
    win.showInputBox = async (options?: vscode.InputBoxOptions) => {
      asked.push(`input: ${options?.title ?? ''} = ${options?.value ?? ''}`);
      return options?.value;
    };
    win.showWarningMessage = async (message: string) => {
      asked.push(`warning: ${message}`);
      return undefined;
    };
    win.showInformationMessage = async (message: string, ...rest: unknown[]) => {
      asked.push(`info: ${message}`);
      const modal = typeof rest[0] === 'object' && (rest[0] as vscode.MessageOptions).modal;
      return modal ? rest[1] : undefined; // "Make Public" for the ACL question
    };

    const summary = (await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(path.join(folder, 'model.tar.gz')))) as UploadSummary | undefined;
    assert.ok(summary, `the command returns a summary; asked: ${asked.join(' | ')}`);
    assert.strictEqual(summary.packageUrl, `${moto!.endpoint}/${BUCKET}/Wine-Model/model.tar.gz`);
    assert.strictEqual(summary.infoYamlUrl, `${moto!.endpoint}/${BUCKET}/Wine-Model/info.yaml`);
    assert.ok(asked.some((a) => a.startsWith('pick:') && a.endsWith('Use this prefix: Wine-Model/')), `the prefix defaults to the model name; asked: ${asked.join(' | ')}`);

    const written = await fs.readFile(path.join(folder, 'info.yaml'), 'utf8');
    assert.strictEqual(written, yaml.replace('"<<FILL IN: the URL of model.tar.gz, filled in by the upload>>"', summary.packageUrl), 'only the placeholder changed');

    const client = await createS3Client({ settings: resolveS3Settings({ endpoint: moto!.endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { s3 } = await loadAwsSdk();
    const got = await client.send(new s3.GetObjectCommand({ Bucket: BUCKET, Key: 'Wine-Model/model.tar.gz' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data), 'the server holds the same bytes');
    const info = await client.send(new s3.GetObjectCommand({ Bucket: BUCKET, Key: 'Wine-Model/info.yaml' }));
    assert.strictEqual(await info.Body!.transformToString(), written, 'info.yaml uploaded after the URL was written');
    const acl = await client.send(new s3.GetObjectAclCommand({ Bucket: BUCKET, Key: 'Wine-Model/info.yaml' }));
    assert.ok(acl.Grants?.some((g) => g.Grantee?.URI?.endsWith('/global/AllUsers') && g.Permission === 'READ'), 'info.yaml is public-read');
    assert.deepStrictEqual(await pendingUploads(client, BUCKET, 'Wine-Model/model.tar.gz'), []);

    // "Prepare Registration E-mail" from the summary: the application text with the YAML's URL.
    const mail = await (await api()).uploadCommand.openRegistrationEmail(summary, path.join(folder, 'info.yaml'));
    assert.match(mail.getText(), /^# ABCI Datasets registration: Wine Model$/m);
    assert.ok(mail.getText().includes(`URL of the YAML file: ${summary.infoYamlUrl}`), mail.getText());
    assert.match(mail.getText(), /\]\(mailto:\?subject=ABCI%20Datasets/);
    assert.strictEqual(vscode.window.activeTextEditor?.document, mail, 'the e-mail opens in an editor');

    // Again: the object exists, the overwrite question is declined, nothing changes.
    asked.length = 0;
    const again = await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
    assert.strictEqual(again, undefined);
    assert.ok(asked.some((a) => a.startsWith('warning:') && a.includes('already exists')), asked.join(' | '));
    client.destroy();
  });

  it('Clean Up Unfinished Uploads… finds a left multipart upload and aborts it after the confirmation', async () => {
    const client = await createS3Client({ settings: resolveS3Settings({ endpoint: moto!.endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { s3 } = await loadAwsSdk();
    const left = await client.send(new s3.CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'left behind/model.tar.gz' }));
    const shown: string[] = [];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const list = await items;
      shown.push(...list.map((i) => `${i.label} ${i.detail ?? ''}`));
      return options?.canPickMany ? list.filter((i) => i.picked) : undefined;
    };
    win.showWarningMessage = async (message: string, ...rest: unknown[]) => {
      shown.push(`warning: ${message}`);
      return rest[1]; // "Abort Uploads"
    };
    const aborted = await vscode.commands.executeCommand('mlwf.cleanUpUnfinishedUploads', BUCKET);
    assert.strictEqual(aborted, 1, shown.join(' | '));
    assert.ok(shown.includes(`left behind/model.tar.gz ${left.UploadId}`), shown.join(' | '));
    assert.ok(shown.some((m) => m.startsWith('warning:') && m.includes('1')), 'asked before aborting');
    assert.deepStrictEqual(await listUnfinishedUploads(client, BUCKET), []);
    client.destroy();
  });
});
