// "MLWF: Upload Model Package…" inside a real VS Code extension host against a real
// S3-compatible server (moto_server, started here): the guided steps answered through the
// window API, then the bytes on the server, the URL in info.yaml (comments kept) and the ACL.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { createBucket, listUnfinishedUploads, pendingUploads } from '../../src/core/upload';
import type { UploadSummary } from '../../src/features/upload/uploadCommand';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';
import { startMotoWithAuth, type AuthMoto } from '../servers/motoAuth';
import { api, labelOf, setSetting } from './inHost';

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

    const summary = (await (await api()).commandResult('mlwf.uploadModelPackage', vscode.Uri.file(path.join(folder, 'model.tar.gz')))) as UploadSummary | undefined;
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

// Keys and profiles through the real commands, against a moto of its own with signature checks
// on (auth mode is global to a moto process).
describe('Upload Model Package: wrong keys and the profile picker (moto with signature checks)', function () {
  this.timeout(120_000);
  let auth: AuthMoto | undefined;
  const win = vscode.window as unknown as Win;
  const saved: Win = {};
  const savedEnv = { ...process.env };
  let tmp = '';

  before(async function () {
    const bin = findMotoServer();
    if (!bin) {
      console.log(MOTO_MISSING);
      return this.skip();
    }
    await api();
    auth = await startMotoWithAuth({ bin, otherAccountBuckets: ['host-taken'] });
    const admin = await createS3Client({ settings: resolveS3Settings({ endpoint: auth.endpoint, region: 'us-east-1' }, {}), credentials: auth.admin });
    await createBucket(admin, 'host-auth', 'us-east-1');
    admin.destroy();
    await setSetting('s3.endpoint', auth.endpoint);
    await setSetting('s3.region', 'us-east-1');
    await setSetting('siteProfile', 'generic');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mlwf-host-keys-'));
    for (const k of ['showQuickPick', 'showInputBox', 'showErrorMessage', 'showInformationMessage', 'showWarningMessage']) saved[k] = win[k];
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) win[k] = v;
    await vscode.commands.executeCommand('mlwf.forgetS3Credentials');
    for (const k of ['s3.endpoint', 's3.region', 'siteProfile', 's3.profile']) await setSetting(k, undefined);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    await auth?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('a wrong secret typed into Set Cloud Storage Keys… gives the one-sentence message with Set Keys… and Choose Profile…; nothing pending', async () => {
    const user = await auth!.createUser('host-user', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const typed = [user.accessKeyId, 'not-the-secret'];
    win.showInputBox = async () => typed.shift();
    win.showInformationMessage = async () => undefined;
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.setS3Credentials'), true, 'keys stored');
    assert.deepStrictEqual(typed, [], 'both input boxes were answered');

    const folder = await fs.mkdtemp(path.join(tmp, 'MLWFExportModel_'));
    await fs.writeFile(path.join(folder, 'model.tar.gz'), randomBytes(1024));
    await fs.writeFile(path.join(folder, 'info.yaml'), 'Name: Wine Model\n');
    const errors: Array<{ message: string; actions: string[] }> = [];
    win.showErrorMessage = async (message: string, ...actions: string[]) => {
      errors.push({ message, actions });
      return undefined;
    };
    win.showQuickPick = async () => assert.fail('no bucket is offered when the keys are refused');
    const result = await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
    assert.strictEqual(result, undefined);
    assert.strictEqual(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0]!.message, /^Cloud Storage rejected the keys \(SignatureDoesNotMatch\): the access key ID or the secret is wrong; set the right keys or choose another profile\.$/);
    assert.deepStrictEqual(errors[0]!.actions, ['Set Cloud Storage Keys…', 'Choose Profile…']);

    const admin = await createS3Client({ settings: resolveS3Settings({ endpoint: auth!.endpoint, region: 'us-east-1' }, {}), credentials: auth!.admin });
    assert.deepStrictEqual(await listUnfinishedUploads(admin, 'host-auth'), []);
    admin.destroy();
  });

  it('the Cloud Storage view shows the refused keys as one error row with Set Cloud Storage Keys… and Choose Profile…', async () => {
    const user = await auth!.createUser('host-viewer', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const typed = [user.accessKeyId, 'not-the-secret'];
    win.showInputBox = async () => typed.shift();
    win.showInformationMessage = async () => undefined;
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.setS3Credentials'), true, 'keys stored');
    win.showInputBox = saved.showInputBox;
    const feature = (await api()).cloudStorage;
    feature.provider.refresh();
    const shown = (await feature.provider.getChildren(undefined)).map((n) => n.getTreeItem());
    assert.deepStrictEqual(
      shown.map((i) => [labelOf(i), i.contextValue, i.command?.command]),
      [
        ['The Cloud Storage keys were refused by the server; set the right keys or pick another profile.', 'mlwf.s3Error', 'mlwf.cloudStorage.retry'],
        ['Set Cloud Storage Keys…', 'mlwf.s3Action', 'mlwf.setS3Credentials'],
        ['Choose Profile…', 'mlwf.s3Action', 'mlwf.chooseS3Profile'],
      ],
    );
  });

  it('a bucket name of another account: said so, and the name box asks again and refuses that name', async () => {
    // host-taken belongs to a second account (created in before()); this user may create buckets.
    const user = await auth!.createUser('host-creator', [{ Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:CreateBucket'], Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::host-mine', 'arn:aws:s3:::host-mine/*'] }]);
    const typedKeys = [user.accessKeyId, user.secretAccessKey];
    win.showInputBox = async () => typedKeys.shift();
    win.showInformationMessage = async () => undefined;
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.setS3Credentials'), true);

    const folder = await fs.mkdtemp(path.join(tmp, 'MLWFExportModel_'));
    await fs.writeFile(path.join(folder, 'model.tar.gz'), randomBytes(10));
    const warnings: string[] = [];
    const validations: Array<string | undefined> = [];
    const names = ['host-taken', 'host-taken'];
    win.showWarningMessage = async (message: string) => {
      warnings.push(message);
      return undefined;
    };
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => (await items).find((i) => i.label.includes('Create a Bucket'));
    win.showInputBox = async (options?: vscode.InputBoxOptions) => {
      const name = names.shift();
      if (name === undefined) return undefined; // the second time round: cancel
      validations.push((await options?.validateInput?.(name)) as string | undefined);
      return validations.at(-1) ? undefined : name;
    };
    win.showErrorMessage = async () => undefined;
    const result = await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(warnings, ['The bucket name "host-taken" is already taken by another account; choose another name.']);
    assert.deepStrictEqual(validations, [undefined, 'The bucket name "host-taken" is already taken by another account; choose another name.'], 'asked again, and the box refuses the taken name');
  });

  it('an unreachable endpoint: the message names it and offers Open Settings', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    await setSetting('s3.endpoint', `http://127.0.0.1:${closed}`);
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    try {
      const folder = await fs.mkdtemp(path.join(tmp, 'MLWFExportModel_'));
      await fs.writeFile(path.join(folder, 'model.tar.gz'), randomBytes(10));
      const errors: Array<{ message: string; actions: string[] }> = [];
      win.showErrorMessage = async (message: string, ...actions: string[]) => {
        errors.push({ message, actions });
        return undefined;
      };
      await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
      assert.deepStrictEqual(errors, [
        {
          message: `The Cloud Storage endpoint http://127.0.0.1:${closed} cannot be reached (ECONNREFUSED); check mlwf.s3.endpoint and that you are on an ABCI login node.`,
          actions: ['Open Settings', 'Retry'],
        },
      ]);
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await setSetting('s3.endpoint', auth!.endpoint);
    }
  });

  it('no keys anywhere (a profile that does not exist): Set Cloud Storage Keys… and Choose Profile… are offered', async () => {
    await setSetting('s3.profile', 'no-such-profile');
    const errors: Array<{ message: string; actions: string[] }> = [];
    win.showErrorMessage = async (message: string, ...actions: string[]) => {
      errors.push({ message, actions });
      return undefined;
    };
    try {
      const folder = await fs.mkdtemp(path.join(tmp, 'MLWFExportModel_'));
      await fs.writeFile(path.join(folder, 'model.tar.gz'), randomBytes(10));
      await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
      assert.deepStrictEqual(errors, [{ message: 'No Cloud Storage keys were found (profile no-such-profile); set them or choose a profile to upload.', actions: ['Set Cloud Storage Keys…', 'Choose Profile…'] }]);
    } finally {
      await setSetting('s3.profile', undefined);
    }
  });

  it('Choose Cloud Storage Profile… lists the profiles of the AWS files (SDK parser) and writes mlwf.s3.profile', async () => {
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'credentials');
    process.env.AWS_CONFIG_FILE = path.join(tmp, 'config');
    await fs.writeFile(process.env.AWS_SHARED_CREDENTIALS_FILE, '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n\n[gaa50000]\naws_access_key_id = AKIAGROUP\naws_secret_access_key = s\n');
    await fs.writeFile(process.env.AWS_CONFIG_FILE, '[profile gaa50000]\nregion = ap-northeast-1\n\n[profile sso-only]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://example.invalid/start\n');
    const shown: string[] = [];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      const list = await items;
      shown.push(...list.map((i) => `${i.label} | ${i.description ?? ''}`));
      return list.find((i) => i.label.endsWith(' gaa50000'));
    };
    const written = await vscode.commands.executeCommand<string | undefined>('mlwf.chooseS3Profile');
    assert.strictEqual(written, 'gaa50000');
    assert.strictEqual(vscode.workspace.getConfiguration('mlwf').get('s3.profile'), 'gaa50000');
    const profiles = shown.filter((s) => s.startsWith('$(account)'));
    assert.deepStrictEqual(profiles.map((s) => s.split(' | ')[0]), ['$(account) default', '$(account) gaa50000', '$(account) sso-only'], shown.join('\n'));
    assert.ok(shown.some((s) => s.includes('gaa50000 | ~/.aws/credentials, ~/.aws/config · region ap-northeast-1')), shown.join('\n'));
    assert.ok(shown.some((s) => s.includes('Use keys stored in VS Code')) && shown.some((s) => s.includes('Use the environment/default chain')), shown.join('\n'));

    // A chosen profile wins over the stored keys: the upload now signs with gaa50000's (unknown) key.
    const errors: string[] = [];
    win.showErrorMessage = async (message: string) => {
      errors.push(message);
      return undefined;
    };
    const folder = await fs.mkdtemp(path.join(tmp, 'MLWFExportModel_'));
    await fs.writeFile(path.join(folder, 'model.tar.gz'), randomBytes(10));
    await vscode.commands.executeCommand('mlwf.uploadModelPackage', vscode.Uri.file(folder));
    assert.match(errors[0] ?? '', /^Cloud Storage rejected the keys \(InvalidAccessKeyId\)/, errors.join(' | '));

    // "Use the environment/default chain": the stored keys would still win, so it asks to forget them.
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => (await items).find((i) => i.label.includes('Use the environment/default chain'));
    const warned: string[] = [];
    const reply: { answer?: string } = {};
    win.showWarningMessage = async (message: string, _options: unknown, ...actions: string[]) => {
      warned.push(message);
      return actions.find((a) => a === reply.answer);
    };
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.chooseS3Profile'), undefined, 'declined: nothing chosen');
    assert.ok(warned[0]?.includes('are used before the environment'), warned.join(' | '));
    assert.strictEqual(vscode.workspace.getConfiguration('mlwf').get('s3.profile'), 'gaa50000', 'declined: the profile stays');
    reply.answer = 'Forget Stored Keys';
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.chooseS3Profile'), '');
    assert.strictEqual(vscode.workspace.getConfiguration('mlwf').get('s3.profile'), '', 'the profile is cleared');
    assert.strictEqual(await (await api()).uploadCommand['keys'].get(auth!.endpoint), undefined, 'the stored keys are gone');
  });
});
