// "MLWF: Export Model Version…" inside a real VS Code extension host, against the test MLflow
// server behind nginx: run from a version row of the Models view, the folder holds exactly the
// server's files, info.yaml opens in an editor; a failed export leaves the folder empty.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/core/export';
import type { MlwfExtensionApi } from '../../src/extension';
import { connectToRig, rig, setSetting } from './inHost';

describe('Export Model Version (real server behind nginx)', function () {
  this.timeout(120_000);
  let a: MlwfExtensionApi;
  let out: string;

  before(async () => {
    if (!rig.trackingUri || !rig.password) throw new Error('MLWF_TEST_* are not set: run through test/e2e/run-in-code-server.sh');
    a = await connectToRig();
  });
  beforeEach(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'mlwf-host-export-'));
    await setSetting('export.directory', out);
  });
  after(async () => {
    await setSetting('export.directory', undefined);
  });

  async function versionNode(model: string, version: string) {
    const tree = a.modelsFeature.models;
    const root = await tree.getChildren();
    const modelNode = root.find((n) => n.id === `model:${model}`);
    assert.ok(modelNode, `${model} is in the Models view`);
    const node = (await tree.getChildren(modelNode)).find((n) => n.id.endsWith(`/v${version}`));
    assert.ok(node, `version ${version} is under ${model}`);
    return node;
  }

  it('exports ElasticnetWineModel version 1 from its Models view row: the server bytes, info.yaml open', async () => {
    const node = await versionNode('ElasticnetWineModel', '1');
    const result = await a.commandResult<ExportResult | undefined>('mlwf.exportModelVersion', node);
    assert.ok(result, 'the command returns the export');
    assert.strictEqual(path.dirname(result.folder), out);
    assert.match(path.basename(result.folder), /^MLWFExportModel_\d{14}$/);
    assert.deepStrictEqual((await fs.readdir(result.folder)).sort(), ['artifacts', 'info.yaml', 'model.tar.gz']);
    const client = a.connection.client!;
    const listed = await client.listMlflowArtifacts('1/fdc0413dbe594808a9e7f4ac1b68800c/artifacts/model');
    assert.deepStrictEqual((await fs.readdir(path.join(result.folder, 'artifacts'))).sort(), listed.map((f) => f.path).sort());
    for (const f of listed) {
      const served = Buffer.from(await new Response((await client.downloadMlflowArtifact(`1/fdc0413dbe594808a9e7f4ac1b68800c/artifacts/model/${f.path}`)).body).arrayBuffer());
      assert.ok(served.equals(await fs.readFile(path.join(result.folder, 'artifacts', f.path))), `${f.path} is byte-identical`);
    }
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.fsPath, result.infoYaml, 'info.yaml is the active editor');
    assert.match(editor.document.getText(), /^Name: ElasticnetWineModel$/m);
  });

  it('"Export and Generate Container Recipe…" on a version row exports, then writes the recipe from that export', async () => {
    const node = await versionNode('ElasticnetWineModel', '1');
    const job = { group: 'gaa50000', resource: 'rt_HF', walltime: '1:00:00' };
    const made = (await a.commandResult('mlwf.generateContainerRecipeFromModelVersion', node, {
      outputDir: out,
      job,
      baseImage: 'docker://python:3.11-slim',
      interactive: false,
    })) as { folder: string } | undefined;
    assert.ok(made, 'the command returns the container folder');
    const names = (await fs.readdir(out)).sort();
    assert.strictEqual(names.length, 2, `one export and one container folder: ${names.join(', ')}`);
    assert.match(names[0]!, /^MLWFCreateImage_\d{14}$/);
    assert.match(names[1]!, /^MLWFExportModel_\d{14}$/);
    assert.strictEqual(made.folder, path.join(out, names[0]!));
    const recipe = await fs.readFile(path.join(made.folder, 'Singularity'), 'utf8');
    assert.match(recipe, /^From: python:3\.11-slim$/m);
    assert.match(recipe, /ElasticnetWineModel/);
    // The model inside the container folder is the export's artifacts, byte for byte.
    const exported = path.join(out, names[1]!, 'artifacts', 'MLmodel');
    assert.ok((await fs.readFile(path.join(made.folder, 'model', 'MLmodel'))).equals(await fs.readFile(exported)));
  });

  it('exports by alias from the palette route (name + alias), LLM nested weights included', async () => {
    const result = await a.exportCommand.run({ name: 'Cerebras-GPT-590M', alias: 'production' });
    assert.ok(result);
    assert.strictEqual(result.version.version, '2');
    const weights = await fs.stat(path.join(result.folder, 'artifacts', 'artifacts', 'weights', 'adapter_model.bin'));
    assert.ok(weights.size > 1_000_000);
  });

  it('a version that does not exist: no result, nothing written', async () => {
    const result = await a.exportCommand.run({ name: 'ElasticnetWineModel', version: '999' });
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(await fs.readdir(out), []);
  });
});
