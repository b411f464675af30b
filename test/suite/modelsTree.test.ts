// The Models view inside a real VS Code extension host, against the test MLflow server behind
// nginx loaded with the 'demo' scenario: what the tree shows must be what the REST API answers.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import { MlflowClient } from '../../src/core/mlflow';
import type { ConnectionManager } from '../../src/features/connection/connectionManager';
import type { ExplorerNode } from '../../src/features/tree/explorerNode';
import { ModelsTreeProvider } from '../../src/features/models/modelsTreeProvider';
import { connectToRig, labelOf, rig, treeItems as items } from './inHost';

const { trackingUri, username, password } = rig;

describe('Models view (real server behind nginx, demo scenario)', function () {
  this.timeout(60_000);
  let a: MlwfExtensionApi;

  before(async () => {
    if (!trackingUri || !password) throw new Error('MLWF_TEST_* are not set: run through test/e2e/run-in-code-server.sh');
    a = await connectToRig();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mlwf').update('modelsPageSize', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists every registered model the REST API returns, with latest version and aliases', async () => {
    const page = await a.connection.client!.searchRegisteredModelsPage({ maxResults: 1000, orderBy: ['name ASC'] });
    assert.ok(page.registered_models.length >= 3, 'the demo scenario has at least 3 models');
    a.modelsFeature.models.refresh();
    const shown = await items(await a.modelsFeature.models.getChildren());
    assert.deepStrictEqual(shown.map(labelOf), page.registered_models.map((m) => m.name));
    const wine = shown.find((i) => labelOf(i) === 'ElasticnetWineModel')!;
    const latest = Math.max(...page.registered_models.find((m) => m.name === 'ElasticnetWineModel')!.latest_versions.map((v) => Number(v.version)));
    // Aliases first, the latest version last: the side bar cuts the end of a row.
    assert.match(String(wine.description), new RegExp(`^@.* · v${latest}$`));
    assert.match(String(wine.description), /@champion → v1/);
    assert.match(String(wine.description), /@challenger → v2/);
  });

  it('shows the versions of a model newest first, each with its aliases and stage', async () => {
    const client = a.connection.client!;
    const rest = (await client.searchModelVersionsPage({ filter: "name = 'ElasticnetWineModel'", maxResults: 1000 })).model_versions;
    const expected = rest.map((v) => Number(v.version)).sort((x, y) => y - x);
    const root = await a.modelsFeature.models.getChildren();
    const wine = root.find((n) => n.id === 'model:ElasticnetWineModel')!;
    const versions = await items(await a.modelsFeature.models.getChildren(wine));
    assert.deepStrictEqual(versions.map(labelOf), expected.map((v) => `Version ${v}`));
    for (const item of versions) {
      const number = labelOf(item).replace('Version ', '');
      const full = await client.getModelVersion('ElasticnetWineModel', number);
      for (const alias of full.aliases) assert.ok(String(item.description).includes(`@${alias}`), `v${number} shows @${alias}: ${item.description}`);
      if (full.current_stage && full.current_stage !== 'None') assert.ok(String(item.description).includes(full.current_stage));
      const tooltip = (item.tooltip as vscode.MarkdownString).value;
      assert.ok(tooltip.includes(full.run_id!), 'tooltip names the source run');
    }
  });

  it('expands a version to its source run (reveal command) and its files', async () => {
    const root = await a.modelsFeature.models.getChildren();
    const resnet = root.find((n) => n.id === 'model:ResNet50-CIFAR10')!;
    const versions = await a.modelsFeature.models.getChildren(resnet);
    const v1 = versions.find((n) => n.id.endsWith('/v1'))!;
    const [runNode, filesNode] = await a.modelsFeature.models.getChildren(v1);
    const runItem = await runNode!.getTreeItem();
    assert.strictEqual(runItem.command?.command, 'mlwf.revealRun');
    assert.deepStrictEqual(runItem.command?.arguments, ['4a1c0de0000000000000000000000001']);
    const files = await items(await a.modelsFeature.models.getChildren(filesNode));
    const rest = await a.connection.client!.listArtifacts('4a1c0de0000000000000000000000001', 'model');
    const names = rest.files.map((f) => f.path.split('/').pop()!);
    assert.deepStrictEqual(files.map(labelOf).sort(), names.sort());
    const mlmodel = files.find((f) => labelOf(f) === 'MLmodel')!;
    assert.strictEqual(mlmodel.resourceUri?.toString(), 'mlwf-artifact://run/4a1c0de0000000000000000000000001/model/MLmodel');
  });

  it('pages models with "Load more…" (page size 1)', async () => {
    await vscode.workspace.getConfiguration('mlwf').update('modelsPageSize', 1, vscode.ConfigurationTarget.Global);
    const provider = a.modelsFeature.models;
    provider.refresh();
    let root = await items(await provider.getChildren());
    assert.strictEqual(root.length, 2, 'one model and Load more');
    assert.strictEqual(labelOf(root[1]!), 'Load more…');
    assert.strictEqual(root[1]!.description, '1 shown');
    await vscode.commands.executeCommand(root[1]!.command!.command);
    root = await items(await provider.getChildren());
    assert.strictEqual(root.length, 3, 'two models and Load more');
    await vscode.workspace.getConfiguration('mlwf').update('modelsPageSize', undefined, vscode.ConfigurationTarget.Global);
  });

  it('MLWF: Find Model Version… reveals and selects the version', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.mlwf');
    const node = await a.commandResult<ExplorerNode | undefined>('mlwf.findModelVersion', 'Cerebras-GPT-590M', '2');
    assert.ok(node, 'the version was found');
    assert.strictEqual(node.id, 'model:Cerebras-GPT-590M/v2');
    assert.strictEqual(a.modelsFeature.modelsView.selection[0]?.id, node.id);
  });

  it('copies models:/NAME/VERSION and models:/NAME@ALIAS', async () => {
    const root = await a.modelsFeature.models.getChildren();
    const wine = root.find((n) => n.id === 'model:ElasticnetWineModel')!;
    const v1 = (await a.modelsFeature.models.getChildren(wine)).find((n) => n.id.endsWith('/v1'))!;
    await vscode.commands.executeCommand('mlwf.copyModelVersionUri', v1);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'models:/ElasticnetWineModel/1');
    await vscode.commands.executeCommand('mlwf.copyModelAliasUri', v1);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'models:/ElasticnetWineModel@champion');
    await vscode.commands.executeCommand('mlwf.copyArtifactUri', v1);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'mlflow-artifacts:/1/fdc0413dbe594808a9e7f4ac1b68800c/artifacts/model');
  });

  it('turns a 401 while still connected (password changed on the proxy) into a "Sign In…" row', async () => {
    // The connection still says "connected" but the proxy now rejects the credentials: the view
    // must offer Sign In rather than look empty. The provider reads only `backend` and the state
    // event from its connection, so a client without credentials stands in for the rotated password.
    const rejected = new MlflowClient({ trackingUri, auth: { kind: 'basic', username, password: `${password}-old` } });
    const stillConnected = { backend: rejected, onDidChangeState: () => ({ dispose() {} }) } as unknown as ConnectionManager;
    const provider = new ModelsTreeProvider(stillConnected);
    try {
      const [error, signIn, ...rest] = await items(await provider.getChildren());
      assert.strictEqual(rest.length, 0, 'an error row and a Sign In row, not an empty tree');
      assert.strictEqual(error!.contextValue, 'mlwf.error');
      assert.match(labelOf(error!), /user name and password/);
      assert.strictEqual(error!.command?.command, 'mlwf.refreshModels');
      assert.strictEqual(signIn!.command?.command, 'mlwf.signIn');
    } finally {
      provider.dispose();
    }
  });

  it('shows nothing but the welcome view once the server asks to sign in again', async () => {
    await a.credentials.delete(trackingUri);
    const state = await a.connection.refresh();
    assert.strictEqual(state.kind, 'signInNeeded');
    assert.deepStrictEqual(await a.modelsFeature.models.getChildren(), []);
    await a.credentials.set(trackingUri, { kind: 'basic', username, password });
    assert.strictEqual((await a.connection.refresh()).kind, 'connected');
    assert.ok((await a.modelsFeature.models.getChildren()).length >= 3, 'the models come back after signing in');
  });
});
