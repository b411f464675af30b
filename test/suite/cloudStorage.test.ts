// The Cloud Storage view inside a real VS Code extension host against a real S3-compatible server
// (the rig's moto, MLWF_TEST_S3_ENDPOINT, else one started here): the welcome state without keys,
// keys set through "Set Cloud Storage Keys…", rows equal to what ListObjectsV2 returns, Load more,
// a text object opened read-only, delete after the modal question (HeadObject 404 afterwards), a
// folder delete, download bytes, copy URL, an unreachable endpoint as an error row, and the
// upload's browsable prefix picker.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as net from 'net';
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client, hasS3Credentials } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { formatBytes } from '../../src/core/formatBytes';
import { createBucket } from '../../src/core/upload';
import type { CloudStorageFeature } from '../../src/features/cloudStorage/registerCloudStorage';
import type { StorageNode } from '../../src/features/cloudStorage/storageNodes';
import { pickPrefix, type PrefixPickItem } from '../../src/features/upload/prefixPicker';
import { startFaultProxy } from '../servers/faultProxy';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';
import { api, labelOf, setSetting } from './inHost';

type Win = Record<string, unknown>;
const KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const BUCKET = `host-browse-${Date.now().toString(36)}`;

const pad = (n: number) => String(n).padStart(2, '0');
const localMinute = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;

describe('Cloud Storage view (real S3-compatible server)', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  let endpoint = '';
  let s3c: S3Client;
  let feature: CloudStorageFeature;
  const win = vscode.window as unknown as Win;
  const saved: Win = {};
  const modelBytes = randomBytes(256 * 1024 + 7);

  async function setKeysThroughCommand(): Promise<void> {
    const answers = [KEYS.accessKeyId, KEYS.secretAccessKey];
    win.showInputBox = async () => answers.shift();
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.setS3Credentials'), true);
    win.showInputBox = saved.showInputBox;
  }

  async function listAll(prefix: string): Promise<{ prefixes: string[]; objects: Array<{ Key: string; Size: number; LastModified: Date; ETag: string }> }> {
    const { s3 } = await loadAwsSdk();
    const out = await s3c.send(new s3.ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix || undefined, Delimiter: '/' }));
    return {
      prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix!),
      objects: (out.Contents ?? []).map((o) => ({ Key: o.Key!, Size: o.Size!, LastModified: o.LastModified!, ETag: o.ETag! })),
    };
  }

  async function rows(node?: StorageNode): Promise<Array<{ node: StorageNode; label: string; description: string; tooltip: string; context: string }>> {
    const nodes = await feature.provider.getChildren(node);
    return nodes.map((n) => {
      const item = n.getTreeItem();
      return { node: n, label: labelOf(item), description: String(item.description ?? ''), tooltip: String(item.tooltip ?? ''), context: item.contextValue ?? '' };
    });
  }

  async function row(parent: StorageNode | undefined, label: string): Promise<StorageNode> {
    const found = (await rows(parent)).find((r) => r.label === label);
    assert.ok(found, `no row "${label}" under ${parent?.id ?? 'the root'}`);
    return found.node;
  }

  before(async function () {
    endpoint = process.env.MLWF_TEST_S3_ENDPOINT ?? '';
    if (!endpoint) {
      const bin = findMotoServer();
      if (!bin) {
        console.log(MOTO_MISSING);
        return this.skip();
      }
      moto = await startMoto(bin);
      endpoint = moto.endpoint;
    }
    feature = (await api()).cloudStorage;
    for (const k of ['showQuickPick', 'showInputBox', 'showInformationMessage', 'showWarningMessage', 'showSaveDialog', 'showErrorMessage']) saved[k] = win[k];
    await setSetting('s3.endpoint', endpoint);
    await setSetting('s3.region', 'us-east-1');
    await setSetting('siteProfile', 'generic');
    await setSetting('cloudStorage.pageSize', 5);
    s3c = await createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1' }, {}), credentials: KEYS });
    await createBucket(s3c, BUCKET, 'us-east-1');
    const { s3 } = await loadAwsSdk();
    // ContentLength given: the SDK warns about "a Stream of unknown length" for an empty body.
    const put = (Key: string, Body: Buffer | string) => s3c.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key, Body, ContentLength: Buffer.byteLength(Body) }));
    await put('top.txt', 'hello');
    await put('models/readme.txt', 'read me');
    await put('models/wine/model.tar.gz', modelBytes);
    await put('models/wine/info.yaml', 'Name: Wine\n');
    await put('models/wine/old.bin', 'old');
    for (let i = 0; i < 12; i++) await put(`many/obj-${pad(i)}.bin`, Buffer.alloc(i * 100));
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) win[k] = v;
    await vscode.commands.executeCommand('mlwf.forgetS3Credentials');
    for (const key of ['s3.endpoint', 's3.region', 'siteProfile', 'cloudStorage.pageSize']) await setSetting(key, undefined);
    s3c?.destroy();
    await moto?.stop();
  });

  it('without keys stays empty (its welcome offers Set Cloud Storage Keys…); with keys lists the buckets ListBuckets returns', async function () {
    await vscode.commands.executeCommand('mlwf.forgetS3Credentials');
    feature.provider.refresh();
    if (await hasS3Credentials(resolveS3Settings({ endpoint }, process.env))) {
      console.log('      (this machine has AWS keys in the environment or ~/.aws: the no-keys state is not reachable here)');
    } else {
      assert.deepStrictEqual(await feature.provider.getChildren(), []);
      assert.strictEqual(feature.provider.state, 'noKeys');
    }
    await setKeysThroughCommand();
    await new Promise((r) => setTimeout(r, 300)); // the secrets listener refreshes the view
    const { s3 } = await loadAwsSdk();
    const buckets = (await s3c.send(new s3.ListBucketsCommand({}))).Buckets!.map((b) => b.Name!).sort();
    const top = await rows();
    assert.strictEqual(feature.provider.state, 'ready');
    assert.deepStrictEqual(top.map((r) => r.label), buckets);
    assert.ok(top.every((r) => r.context === 'mlwf.s3Bucket'));
  });

  it('shows each level as ListObjectsV2 returns it: folders, then objects with size and date', async () => {
    const bucket = await row(undefined, BUCKET);
    const listed = await listAll('');
    const shown = await rows(bucket);
    assert.deepStrictEqual(
      shown.map((r) => [r.label, r.description, r.context]),
      [...listed.prefixes.map((p) => [p.replace(/\/$/, ''), '', 'mlwf.s3Prefix']), ...listed.objects.map((o) => [o.Key, `${formatBytes(o.Size)} · ${localMinute(o.LastModified)}`, 'mlwf.s3Object'])],
    );
    assert.deepStrictEqual(listed.prefixes, ['many/', 'models/']);

    const wine = await row(await row(bucket, 'models'), 'wine');
    const wineListed = await listAll('models/wine/');
    const wineShown = await rows(wine);
    assert.deepStrictEqual(wineShown.map((r) => [r.label, r.description]), wineListed.objects.map((o) => [o.Key.slice('models/wine/'.length), `${formatBytes(o.Size)} · ${localMinute(o.LastModified)}`]));
    const model = wineShown.find((r) => r.label === 'model.tar.gz')!;
    const listedModel = wineListed.objects.find((o) => o.Key === 'models/wine/model.tar.gz')!;
    assert.ok(model.tooltip.includes(`s3://${BUCKET}/models/wine/model.tar.gz`), model.tooltip);
    assert.ok(model.tooltip.includes(`(${modelBytes.length.toLocaleString('en-US')} bytes)`), model.tooltip);
    assert.ok(model.tooltip.includes(`ETag: ${listedModel.ETag.replace(/"/g, '')}`), model.tooltip);
    assert.ok(model.tooltip.includes(listedModel.LastModified.toISOString()), model.tooltip);
  });

  it('pages a level by cloudStorage.pageSize and shows the rest with Load more…', async () => {
    const many = await row(await row(undefined, BUCKET), 'many');
    const all = (await listAll('many/')).objects.map((o) => o.Key.slice('many/'.length));
    assert.strictEqual(all.length, 12);
    let shown = await rows(many);
    assert.deepStrictEqual(shown.map((r) => r.label), [...all.slice(0, 5), 'Load more…']);
    assert.strictEqual(shown.at(-1)!.description, '5 shown');
    await vscode.commands.executeCommand('mlwf.cloudStorage.loadMore', many);
    shown = await rows(many);
    assert.deepStrictEqual(shown.map((r) => r.label), [...all.slice(0, 10), 'Load more…']);
    await vscode.commands.executeCommand('mlwf.cloudStorage.loadMore', many);
    shown = await rows(many);
    assert.deepStrictEqual(shown.map((r) => r.label), all, 'every object once, no Load more at the end');
  });

  it('a click on a text object opens it read-only in an editor with its exact text; binaries are not opened', async () => {
    const wine = await row(await row(await row(undefined, BUCKET), 'models'), 'wine');
    const yamlItem = (await row(wine, 'info.yaml')).getTreeItem();
    assert.strictEqual(yamlItem.command?.command, 'vscode.open');
    const uri = yamlItem.command!.arguments![0] as vscode.Uri;
    assert.strictEqual(uri.toString(), `mlwf-s3://${BUCKET}/models/wine/info.yaml`);
    await vscode.commands.executeCommand(yamlItem.command!.command, ...yamlItem.command!.arguments!);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), uri.toString());
    assert.strictEqual(editor.document.getText(), 'Name: Wine\n');
    assert.strictEqual(editor.document.languageId, 'yaml');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('x'))), (e: vscode.FileSystemError) => e.code === 'NoPermissions');
    assert.strictEqual((await vscode.workspace.fs.stat(uri)).size, 'Name: Wine\n'.length);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(`mlwf-s3://${BUCKET}/models/wine/missing.yaml`))), (e: vscode.FileSystemError) => e.code === 'FileNotFound');
    assert.strictEqual((await row(wine, 'model.tar.gz')).getTreeItem().command, undefined, 'a tarball is downloaded, not opened');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('downloads the exact bytes to the file chosen in the save dialog', async () => {
    const wine = await row(await row(await row(undefined, BUCKET), 'models'), 'wine');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlwf-host-s3dl-'));
    const target = path.join(dir, 'model copy.tar.gz');
    let dialog: vscode.SaveDialogOptions | undefined;
    win.showSaveDialog = async (options: vscode.SaveDialogOptions) => {
      dialog = options;
      return vscode.Uri.file(target);
    };
    const written = await vscode.commands.executeCommand('mlwf.cloudStorage.download', await row(wine, 'model.tar.gz'));
    assert.strictEqual(written, target);
    assert.ok((await fs.readFile(target)).equals(modelBytes), 'the same bytes as uploaded');
    assert.ok(dialog?.defaultUri === undefined || dialog.defaultUri.path.endsWith('/model.tar.gz'));
    assert.deepStrictEqual(await fs.readdir(dir), ['model copy.tar.gz'], 'no temporary file left');
  });

  it('copies the s3:// URI and the public URL of the site profile', async () => {
    const wine = await row(await row(await row(undefined, BUCKET), 'models'), 'wine');
    const model = await row(wine, 'model.tar.gz');
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.copyS3Uri', model), `s3://${BUCKET}/models/wine/model.tar.gz`);
    assert.strictEqual(await vscode.env.clipboard.readText(), `s3://${BUCKET}/models/wine/model.tar.gz`);
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.copyS3Uri', wine), `s3://${BUCKET}/models/wine/`);
    let offered: string[] = [];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      offered = items.map((i) => `${i.label}=${i.description}`);
      return items[0];
    };
    const url = await vscode.commands.executeCommand('mlwf.cloudStorage.copyUrl', model);
    assert.strictEqual(url, `${endpoint}/${BUCKET}/models/wine/model.tar.gz`, offered.join(' | '));
    assert.strictEqual(await vscode.env.clipboard.readText(), url);
    assert.ok(offered.includes(`s3:// URI=s3://${BUCKET}/models/wine/model.tar.gz`), offered.join(' | '));
  });

  it('deletes an object only after the modal question names it; HeadObject finds nothing afterwards', async () => {
    const wine = await row(await row(await row(undefined, BUCKET), 'models'), 'wine');
    const asked: string[] = [];
    let answer: 'decline' | 'accept' = 'decline';
    win.showWarningMessage = async (message: string, options: vscode.MessageOptions, ...buttons: string[]) => {
      asked.push(`${message} modal=${options?.modal}`);
      return answer === 'accept' ? buttons[0] : undefined;
    };
    const { s3 } = await loadAwsSdk();
    const head = () => s3c.send(new s3.HeadObjectCommand({ Bucket: BUCKET, Key: 'models/wine/old.bin' })).then(() => 200, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.delete', await row(wine, 'old.bin')), false);
    assert.strictEqual(await head(), 200, 'declined: the object is still there');
    answer = 'accept';
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.delete', await row(wine, 'old.bin')), true);
    assert.strictEqual(await head(), 404);
    assert.ok(asked.every((a) => a.includes(`s3://${BUCKET}/models/wine/old.bin`) && a.endsWith('modal=true')), asked.join(' | '));
    assert.deepStrictEqual((await rows(wine)).map((r) => r.label), ['info.yaml', 'model.tar.gz'], 'the level was listed again');
  });

  it('deletes a folder, everything under it and its unfinished upload only after the modal question counts them; the bucket itself is refused', async () => {
    const { s3 } = await loadAwsSdk();
    const keys = ['retired/v1/model.tar.gz', 'retired/v1/info.yaml', 'retired/notes.txt'];
    for (const [i, key] of keys.entries()) await s3c.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(1000 * (i + 1)) }));
    // An upload that never finished under the folder: charged for, and gone with the folder.
    await s3c.send(new s3.CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'retired/v2/model.tar.gz' }));
    const pending = async () => ((await s3c.send(new s3.ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'retired/' }))).Uploads ?? []).length;
    const bucket = await row(undefined, BUCKET);
    feature.provider.refresh(bucket); // the level was listed before the folder existed
    const asked: string[] = [];
    const told: string[] = [];
    let answer: 'decline' | 'accept' = 'decline';
    win.showWarningMessage = async (message: string, options: vscode.MessageOptions, ...buttons: string[]) => {
      asked.push(`${message} modal=${options?.modal}`);
      return answer === 'accept' ? buttons[0] : undefined;
    };
    win.showInformationMessage = async (message: string) => void told.push(message);
    const remaining = async () => ((await s3c.send(new s3.ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'retired/' }))).Contents ?? []).map((o) => o.Key!).sort();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.deleteFolder', bucket), 0);
      assert.match(told.pop() ?? '', /Select a folder \(not a bucket\)/);
      assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.deleteFolder', await row(bucket, 'retired')), 0);
      assert.deepStrictEqual(await remaining(), [...keys].sort(), 'declined: everything is still there');
      assert.deepStrictEqual(asked, [`Delete s3://${BUCKET}/retired/ and the 3 objects in it (5.9 KiB)? This cannot be undone. The unfinished upload under it is aborted too. modal=true`]);
      assert.strictEqual(await pending(), 1, 'declined: the upload is still pending');
      answer = 'accept';
      assert.strictEqual(await vscode.commands.executeCommand('mlwf.cloudStorage.deleteFolder', await row(bucket, 'retired')), 4);
      assert.deepStrictEqual(await remaining(), []);
      assert.strictEqual(await pending(), 0, 'the unfinished upload was aborted');
      assert.deepStrictEqual(told, [`Deleted s3://${BUCKET}/retired/ and its 3 objects. Aborted one unfinished upload.`]);
      assert.ok(!(await rows(bucket)).some((r) => r.label === 'retired'), 'the bucket level was listed again without the folder');
      assert.ok((await rows(bucket)).some((r) => r.label === 'models'), 'its neighbours stay');
    } finally {
      win.showWarningMessage = saved.showWarningMessage;
      win.showInformationMessage = saved.showInformationMessage;
      // A failure above must not leave the folder to the tests that list the bucket after this one.
      for (const key of await remaining()) await s3c.send(new s3.DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      for (const u of (await s3c.send(new s3.ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'retired/' }))).Uploads ?? [])
        await s3c.send(new s3.AbortMultipartUploadCommand({ Bucket: BUCKET, Key: u.Key!, UploadId: u.UploadId! }));
      feature.provider.refresh(bucket);
    }
  });

  it('lets the upload browse prefixes: into folders, "..", use one, or type a new one', async () => {
    const levels: string[][] = [];
    const script: Array<(items: PrefixPickItem[]) => PrefixPickItem | undefined> = [
      (items) => items.find((i) => i.action === 'open' && i.prefix === 'models/'),
      (items) => items.find((i) => i.action === 'open' && i.prefix === 'models/wine/'),
      (items) => items.find((i) => i.action === 'up'),
      (items) => items.find((i) => i.action === 'use' && i.prefix === 'models/'),
    ];
    win.showQuickPick = async (items: Thenable<PrefixPickItem[]>) => {
      const list = await items;
      levels.push(list.filter((i) => i.action).map((i) => `${i.action}:${i.prefix ?? ''}`));
      return script.shift()!(list);
    };
    assert.strictEqual(await pickPrefix(s3c, BUCKET, 'Wine-Model'), 'models');
    assert.deepStrictEqual(levels, [
      ['use:Wine-Model/', 'open:many/', 'open:models/', 'type:'],
      ['use:models/', 'use:models/Wine-Model/', 'up:', 'open:models/wine/', 'type:'],
      ['use:models/wine/', 'use:models/wine/Wine-Model/', 'up:', 'type:'],
      ['use:models/', 'use:models/Wine-Model/', 'up:', 'open:models/wine/', 'type:'],
    ]);

    // The default (first item, the model name) and a typed prefix.
    win.showQuickPick = async (items: Thenable<PrefixPickItem[]>) => (await items)[0];
    assert.strictEqual(await pickPrefix(s3c, BUCKET, 'Wine-Model'), 'Wine-Model');
    win.showQuickPick = async (items: Thenable<PrefixPickItem[]>) => (await items).find((i) => i.action === 'type');
    win.showInputBox = async (options: vscode.InputBoxOptions) => {
      assert.strictEqual(options.value, 'Wine-Model');
      return ' /team a/Wine-Model/ ';
    };
    assert.strictEqual(await pickPrefix(s3c, BUCKET, 'Wine-Model'), 'team a/Wine-Model');
    win.showQuickPick = async () => undefined;
    assert.strictEqual(await pickPrefix(s3c, BUCKET, 'Wine-Model'), undefined, 'Escape cancels');
    win.showQuickPick = saved.showQuickPick;
    win.showInputBox = saved.showInputBox;
  });

  it('shows a 403 as an error row with Set Cloud Storage Keys…; Retry lists the level once the server agrees', async () => {
    const proxy = await startFaultProxy(Number(new URL(endpoint).port), [{ mode: 'status', status: 403, match: new RegExp(`^GET /${BUCKET}`) }]);
    try {
      await setSetting('s3.endpoint', proxy.url);
      await setKeysThroughCommand(); // keys are kept per endpoint
      feature.provider.refresh();
      const bucket = await row(undefined, BUCKET);
      const shown = await rows(bucket);
      assert.deepStrictEqual(shown.map((r) => r.context), ['mlwf.s3Error', 'mlwf.s3Action'], shown.map((r) => r.label).join(' | '));
      assert.strictEqual(shown[0]!.label, `You have no permission to read s3://${BUCKET}/ (403).`);
      assert.strictEqual(shown[1]!.label, 'Set Cloud Storage Keys…');
      assert.strictEqual(shown[1]!.node.getTreeItem().command?.command, 'mlwf.setS3Credentials');
      proxy.setRules([]);
      await vscode.commands.executeCommand(shown[0]!.node.getTreeItem().command!.command, ...(shown[0]!.node.getTreeItem().command!.arguments ?? []));
      assert.deepStrictEqual((await rows(bucket)).map((r) => r.label), ['many', 'models', 'top.txt'], 'Retry lists the bucket');
    } finally {
      await vscode.commands.executeCommand('mlwf.forgetS3Credentials');
      await setSetting('s3.endpoint', endpoint);
      await proxy.stop();
    }
  });

  it('shows an unreachable endpoint as an error row with Retry and the settings', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await setSetting('s3.endpoint', `http://127.0.0.1:${port}`);
    await setKeysThroughCommand(); // keys are kept per endpoint
    feature.provider.refresh();
    const shown = await rows();
    assert.strictEqual(shown.length, 2, shown.map((r) => r.label).join(' | '));
    assert.match(shown[0]!.label, /cannot be reached/);
    assert.strictEqual(shown[0]!.context, 'mlwf.s3Error');
    assert.strictEqual(shown[0]!.node.getTreeItem().command?.command, 'mlwf.cloudStorage.retry');
    assert.strictEqual(shown[1]!.node.getTreeItem().command?.command, 'workbench.action.openSettings');
    await vscode.commands.executeCommand('mlwf.forgetS3Credentials');
    await setSetting('s3.endpoint', endpoint);
    feature.provider.refresh();
    assert.ok((await rows()).some((r) => r.label === BUCKET), 'back on the working endpoint');
  });
});
