// Run artifacts inside a real VS Code extension host against the test MLflow server behind
// nginx ('demo' scenario): the mlwf-artifact: file system serves exactly the server's bytes,
// refuses paths that escape, and downloads land on disk exactly — or not at all when cancelled.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import { connectToRig, rig } from './inHost';

const { trackingUri, password } = rig;
const RUN = '4a1c0de0000000000000000000000001';

const uri = (p: string) => vscode.Uri.from({ scheme: 'mlwf-artifact', authority: 'run', path: p });

describe('Run artifacts (real server behind nginx, demo scenario)', function () {
  this.timeout(60_000);
  let a: MlwfExtensionApi;
  let tmp: string;

  before(async () => {
    if (!trackingUri || !password) throw new Error('MLWF_TEST_* are not set: run through test/e2e/run-in-code-server.sh');
    a = await connectToRig();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwf-artifacts-'));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function direct(artifactPath: string): Promise<Buffer> {
    const download = await a.connection.client!.downloadRunArtifact(RUN, artifactPath);
    return Buffer.from(await new Response(download.body).arrayBuffer());
  }

  for (const file of ['model/MLmodel', 'confusion_matrix.png', 'README.md']) {
    it(`reads ${file} through mlwf-artifact: with exactly the served bytes`, async () => {
      const expected = await direct(file);
      assert.ok(expected.length > 0);
      const viaFs = Buffer.from(await vscode.workspace.fs.readFile(uri(`/${RUN}/${file}`)));
      assert.ok(viaFs.equals(expected), `${viaFs.length} bytes vs ${expected.length}`);
      const stat = await vscode.workspace.fs.stat(uri(`/${RUN}/${file}`));
      assert.strictEqual(stat.type, vscode.FileType.File);
      assert.strictEqual(stat.size, expected.length);
    });
  }

  it('opens MLmodel in a read-only editor with the file name last (YAML colouring)', async () => {
    const target = uri(`/${RUN}/model/MLmodel`);
    await vscode.commands.executeCommand('vscode.open', target);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.strictEqual(editor.document.uri.toString(), target.toString());
    assert.strictEqual(editor.document.getText(), (await direct('model/MLmodel')).toString('utf8'));
    assert.ok(vscode.workspace.fs.isWritableFileSystem('mlwf-artifact') === false, 'the scheme is read-only');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('lists folders like the REST API', async () => {
    const entries = await vscode.workspace.fs.readDirectory(uri(`/${RUN}`));
    const rest = await a.connection.client!.listArtifacts(RUN);
    assert.deepStrictEqual(
      entries.map(([name, type]) => `${name}:${type === vscode.FileType.Directory ? 'd' : 'f'}`).sort(),
      rest.files.map((f) => `${f.path}:${f.is_dir ? 'd' : 'f'}`).sort(),
    );
  });

  it('rejects paths that escape the run', async () => {
    // model/../README.md would resolve to an existing file if anything normalised the path.
    await vscode.workspace.fs.stat(uri(`/${RUN}/README.md`));
    for (const bad of [`/${RUN}/model/../README.md`, `/${RUN}/../4a1c0de0000000000000000000000002/x`, `/${RUN}/model/../../etc/passwd`, '/../etc/passwd']) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri(bad))), (e: unknown) => e instanceof vscode.FileSystemError, bad);
    }
  });

  it('downloads an 8 MB binary to disk with exactly the served bytes', async () => {
    const target = path.join(tmp, 'model.pth');
    let progressed = 0;
    const n = await a.modelsFeature.downloadArtifact(a.connection.client!, RUN, 'model/data/model.pth', target, { onProgress: (r) => (progressed = r) });
    const expected = await direct('model/data/model.pth');
    assert.strictEqual(n, 8 * 1024 * 1024);
    assert.strictEqual(progressed, n);
    assert.ok(fs.readFileSync(target).equals(expected));
  });

  it('a cancelled download leaves no file behind', async () => {
    const target = path.join(tmp, 'cancelled.pth');
    const controller = new AbortController();
    await assert.rejects(
      a.modelsFeature.downloadArtifact(a.connection.client!, RUN, 'model/data/model.pth', target, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    assert.strictEqual(fs.existsSync(target), false);
    assert.deepStrictEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('cancelled')), []);
  });

  it('download command writes the file chosen (no dialog when a target is given)', async () => {
    const root = await a.modelsFeature.models.getChildren();
    const resnet = root.find((n) => n.id === 'model:ResNet50-CIFAR10')!;
    const v1 = (await a.modelsFeature.models.getChildren(resnet)).find((n) => n.id.endsWith('/v1'))!;
    const files = await a.modelsFeature.models.getChildren((await a.modelsFeature.models.getChildren(v1))[1]);
    const req = files.find((n) => n.id.endsWith('/model/requirements.txt'))!;
    assert.ok(req, 'requirements.txt is listed under the version');
    const target = vscode.Uri.file(path.join(tmp, 'requirements.txt'));
    await vscode.commands.executeCommand('mlwf.downloadArtifact', req, target);
    assert.ok(fs.readFileSync(target.fsPath).equals(await direct('model/requirements.txt')));
  });
});
