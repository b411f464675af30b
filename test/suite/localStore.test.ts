// The serverless path: a local MLflow file store (mlruns/) browsed through the same views as a
// server. Uses the fixture store shipped in the repository (the extension's own folder).
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, labelOf, setSetting, treeItems } from './inHost';

describe('Local mlruns store (no server)', function () {
  this.timeout(60_000);
  let fixtureRoot = '';
  // Each test points the extension at the store itself: a filtered run (MLWF_TEST_GREP) may run one alone.
  const useFixtureStore = async () => {
    const a = await api();
    await setSetting('trackingUri', vscode.Uri.file(fixtureRoot).toString());
    return { a, state: await a.connection.refresh() };
  };

  before(async () => {
    const a = await api();
    fixtureRoot = path.join(vscode.extensions.getExtension('mlwf.mlwf-vscode')!.extensionPath, 'test', 'fixtures', 'mlruns');
    await a.credentials.delete(process.env.MLWF_TEST_TRACKING_URI ?? '');
  });

  after(async () => {
    await setSetting('trackingUri', undefined);
    await (await api()).connection.refresh();
  });

  it('opens a file: tracking URI as a local store, with no sign-in', async () => {
    const { a, state } = await useFixtureStore();
    assert.strictEqual(state.kind, 'local');
    assert.ok(state.kind === 'local' && state.root === fixtureRoot, `root ${state.kind === 'local' ? state.root : '-'}`);
    assert.ok(a.connection.backend, 'the views get a backend');
    assert.strictEqual(a.connection.client, undefined, 'no REST client for a local store');
  });

  it("lists the store's experiments in the Experiments view, and their runs", async () => {
    const { a } = await useFixtureStore();
    const root = await a.experiments.getChildren();
    const labels = (await treeItems(root)).map(labelOf);
    assert.ok(labels.includes('wine-quality'), `experiments: ${labels.join(', ')}`);
    assert.ok(labels.includes('Default'), `experiments: ${labels.join(', ')}`);
    // The fixture's experiment 2 has a malformed meta.yaml: one warning row, the rest still load.
    const problems = labels.filter((l) => l.startsWith('Unreadable experiment folder'));
    assert.deepStrictEqual(problems, ['Unreadable experiment folder 2'], `rows: ${labels.join(', ')}`);
    const wine = root[labels.indexOf('wine-quality')]!;
    const runs = (await treeItems(await a.experiments.getChildren(wine))).map(labelOf);
    assert.ok(runs.length >= 3, `runs of wine-quality: ${runs.join(', ')}`);
  });

  it('lists the file registry in the Models view', async () => {
    const { a } = await useFixtureStore();
    const models = (await treeItems(await a.modelsFeature.models.getChildren())).map(labelOf);
    assert.ok(models.includes('ElasticnetWineModel'), `models: ${models.join(', ')}`);
  });

  it('reports a folder that is not an MLflow store as unreachable, not as empty', async () => {
    const a = await api();
    await setSetting('trackingUri', vscode.Uri.file(path.join(fixtureRoot, 'no-such-folder')).toString());
    const state = await a.connection.refresh();
    assert.strictEqual(state.kind, 'unreachable');
  });
});
