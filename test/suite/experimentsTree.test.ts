// The Experiments view inside a real VS Code extension host, against the test MLflow server
// behind nginx loaded with the 'demo' scenario: what the tree shows must be what the REST API
// answers (labels, descriptions, children), one page at a time, with nested runs, filters,
// errors as rows, and server text shown as text.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import { MlflowClient, type Run } from '../../src/core/mlflow';
import type { ExplorerNode } from '../../src/features/tree/explorerNode';
import { ExperimentsTreeProvider } from '../../src/features/explorer/experimentsTreeProvider';
import { mlflowUiUrl } from '../../src/features/explorer/runActions';
import { formatMetricShort } from '../../src/features/explorer/format';
import { api, labelOf, rig, setSetting, tooltipOf, treeItems as rows } from './inHost';

const { trackingUri, username, password } = rig;
const XSS_NAME = '<img src=x onerror=alert(1)>';

const parentTag = (r: Run) => r.data.tags.find((t) => t.key === 'mlflow.parentRunId')?.value;
const isRunNode = (n: ExplorerNode) => /\/run:[0-9a-f]+$/.test(n.id);


describe('Experiments view (real server behind nginx, demo scenario)', function () {
  this.timeout(60_000);
  let a: MlwfExtensionApi;
  let tree: ExperimentsTreeProvider;

  async function experiment(name: string): Promise<ExplorerNode> {
    const root = await tree.getChildren();
    const items = await rows(root);
    const index = items.findIndex((i) => labelOf(i) === name);
    assert.ok(index >= 0, `experiment ${name} is listed`);
    return root[index]!;
  }

  /** Every run row of an experiment, clicking "Load more…" until the server has no more. */
  async function allRunRows(exp: ExplorerNode): Promise<{ nodes: ExplorerNode[]; pages: number }> {
    let pages = 1;
    for (;;) {
      const children = await tree.getChildren(exp);
      const more = children.find((n) => n.id.endsWith('/more'));
      if (!more) return { nodes: children.filter(isRunNode), pages };
      await vscode.commands.executeCommand('mlwf.explorer.loadMore', more);
      pages++;
      assert.ok(pages < 50, 'paging ends');
    }
  }

  async function restRuns(experimentId: string, filter?: string, orderBy = ['attributes.start_time DESC']): Promise<Run[]> {
    return (await a.connection.client!.searchRunsPage({ experimentIds: [experimentId], filter, orderBy, maxResults: 1000 })).runs;
  }

  before(async () => {
    if (!trackingUri || !password) throw new Error('MLWF_TEST_* are not set: run through test/e2e/run-in-code-server.sh');
    a = await api();
    tree = a.experiments;
    await a.credentials.set(trackingUri, { kind: 'basic', username, password });
    await setSetting('trackingUri', trackingUri);
    const state = await a.connection.refresh();
    assert.strictEqual(state.kind, 'connected');
    tree.refresh();
  });

  afterEach(async () => {
    for (const key of ['runsPageSize', 'primaryMetric', 'showSystemTags']) await setSetting(key, undefined);
    await vscode.commands.executeCommand('mlwf.clearRunFilter');
    tree.refresh();
  });

  it('lists the experiments the REST API returns, with #id, age and the description tag as tooltip', async () => {
    const rest = (await a.connection.client!.searchExperimentsPage({ viewType: 'ACTIVE_ONLY', maxResults: 1000 })).experiments;
    const items = await rows(await tree.getChildren());
    assert.deepStrictEqual(items.map(labelOf), rest.map((e) => e.name));
    // The ID comes last: the side bar cuts the end of a row, and the age is worth more.
    items.forEach((item, i) => assert.match(String(item.description), new RegExp(`(^| · )#${rest[i]!.experiment_id}$`)));
    items.forEach((item) => assert.match(String(item.description), /^(deleted · |filtered · )*(updated .+ · )?#/));
    const image = tree.resolveTreeItem(items.find((i) => labelOf(i) === 'image-classification')!, (await tree.getChildren())[items.findIndex((i) => labelOf(i) === 'image-classification')]!);
    assert.ok(tooltipOf(image).includes('ResNet50 の CIFAR'), 'the mlflow.note.content tag is the tooltip');
    assert.ok(!items.some((i) => labelOf(i) === 'scratch-deleted'), 'deleted experiments are hidden by default');
  });

  it('shows runs newest first with primary metric and age, children only under their parent', async () => {
    const exp = await experiment('wine-quality');
    const rest = await restRuns('1');
    const expected = rest.filter((r) => !parentTag(r));
    assert.ok(expected.length < rest.length, 'the scenario has nested runs');
    const items = await rows((await tree.getChildren(exp)).filter(isRunNode));
    assert.deepStrictEqual(items.map(labelOf), expected.map((r) => r.info.run_name));
    items.forEach((item, i) => {
      const metric = expected[i]!.data.metrics[0];
      const desc = String(item.description);
      if (metric) assert.ok(desc.startsWith(`${metric.key} `), `description "${desc}" starts with ${metric.key}`);
      assert.match(desc, /(ago|just now|\d{4}-\d\d-\d\d)$/);
    });
    const failed = items.find((i) => labelOf(i) === 'elasticnet-bad-config')!;
    // A picture, not a codicon: a selected row paints codicons in the label's (run) colour.
    const icon = failed.iconPath as { light: vscode.Uri; dark: vscode.Uri };
    assert.match(icon.light.path, /\/media\/run-status\/failed-light\.svg$/);
    assert.match(icon.dark.path, /\/media\/run-status\/failed-dark\.svg$/);
    assert.ok((await vscode.workspace.fs.stat(icon.dark)).size > 0, 'the picture ships');
  });

  it('uses mlwf.primaryMetric for the description when set', async () => {
    await setSetting('primaryMetric', 'r2');
    tree.refresh();
    const exp = await experiment('wine-quality');
    const items = await rows((await tree.getChildren(exp)).filter(isRunNode));
    const withR2 = items.filter((i) => String(i.description).startsWith('r2 '));
    assert.ok(withR2.length >= 9, `runs with r2 show it (${withR2.length})`);
  });

  it('pages with "Load more…" (mlwf.runsPageSize) until every run of the REST API is shown', async () => {
    await setSetting('runsPageSize', 5);
    tree.refresh();
    const exp = await experiment('wine-quality');
    const first = await tree.getChildren(exp);
    const more = first.find((n) => n.id.endsWith('/more'));
    assert.ok(more, 'a Load more row follows the first page');
    assert.strictEqual(String((await more.getTreeItem()).description), '5 of ≥6 shown');
    assert.ok(first.filter(isRunNode).length <= 5);
    const { nodes, pages } = await allRunRows(exp);
    const expected = (await restRuns('1')).filter((r) => !parentTag(r)).map((r) => r.info.run_name);
    assert.deepStrictEqual((await rows(nodes)).map(labelOf), expected);
    assert.ok(pages >= 4, `17 runs in pages of 5 take 4 pages (${pages})`);
  });

  it('nests child runs under their parent (tags.mlflow.parentRunId)', async () => {
    const exp = await experiment('wine-quality');
    const runs = (await tree.getChildren(exp)).filter(isRunNode);
    const parentIndex = (await rows(runs)).findIndex((i) => labelOf(i) === 'cv-search');
    const parent = runs[parentIndex]!;
    const parentId = parent.id.split('run:')[1]!;
    const rest = await restRuns('1', `tags.mlflow.parentRunId = '${parentId}'`);
    const children = (await tree.getChildren(parent)).filter(isRunNode);
    assert.deepStrictEqual((await rows(children)).map(labelOf), rest.map((r) => r.info.run_name));
    assert.deepStrictEqual((await rows(children)).map(labelOf).sort(), ['fold-0', 'fold-1', 'fold-2']);
    assert.strictEqual(children[0]!.parent, parent);
  });

  it('shows a run\'s description, Parameters, Metrics, Tags (system tags on request) and Artifacts', async () => {
    const exp = await experiment('image-classification');
    const runs = (await tree.getChildren(exp)).filter(isRunNode);
    const run = runs.find((n) => n.id.endsWith('4a1c0de0000000000000000000000001'))!;
    const rest = await a.connection.client!.getRun('4a1c0de0000000000000000000000001');
    const details = await tree.getChildren(run);
    const labels = (await rows(details)).map(labelOf);
    // Models: the run's logged models / model folders (MLflow 3 support added the node).
    assert.deepStrictEqual(labels, ['ベースライン。学習率 0.1、コサイン減衰。', 'Parameters', 'Metrics', 'Tags', 'Models', 'Artifacts']);
    const section = async (label: string) => (await rows(await tree.getChildren(details[labels.indexOf(label)]!))).map((i) => [labelOf(i), i.description]);
    const byKey = <T extends { key: string }>(x: T, y: T) => x.key.localeCompare(y.key);
    assert.deepStrictEqual(await section('Parameters'), [...rest.data.params].sort(byKey).map((p) => [`${p.key} = ${p.value}`, undefined]));
    // Labels round to 3 significant digits, so the value fits the side bar (the tooltip keeps the full value).
    const shown = formatMetricShort;
    assert.deepStrictEqual(await section('Metrics'), [...rest.data.metrics].sort(byKey).map((m) => [`${m.key} = ${shown(m.value)}`, `step ${m.step}`]));
    const userTags = rest.data.tags.filter((t) => !t.key.startsWith('mlflow.')).sort(byKey);
    assert.deepStrictEqual(await section('Tags'), userTags.map((t) => [`${t.key} = ${t.value}`, undefined]));
    await setSetting('showSystemTags', true);
    tree.refresh();
    const exp2 = await experiment('image-classification');
    const run2 = (await tree.getChildren(exp2)).find((n) => n.id.endsWith('4a1c0de0000000000000000000000001'))!;
    const tags = (await tree.getChildren(run2)).find((n) => n.id.endsWith('/tags'))!;
    assert.strictEqual((await tree.getChildren(tags)).length, rest.data.tags.length, 'mlflow.* tags shown when asked');
  });

  it('filters runs with an MLflow filter (remembered per experiment) and shows it in the view description', async () => {
    const exp = await experiment('wine-quality');
    await vscode.commands.executeCommand('mlwf.filterRuns', exp, 'metrics.rmse < 0.75');
    const rest = await restRuns('1', 'metrics.rmse < 0.75');
    assert.ok(rest.length > 0 && rest.length < 17);
    const restIds = new Set(rest.map((r) => r.info.run_id));
    const expected = rest.filter((r) => !parentTag(r) || !restIds.has(parentTag(r)!)).map((r) => r.info.run_name);
    const items = await rows((await tree.getChildren(exp)).filter(isRunNode));
    assert.deepStrictEqual(items.map(labelOf), expected);
    assert.match(String((await exp.getTreeItem()).description), /filtered/);
    assert.match(String(a.experimentsView.description), /Filtered: .*runs filtered in 1/);
    assert.strictEqual(tree.runView.get('1').filter, 'metrics.rmse < 0.75');
  });

  it('sorts runs by a metric', async () => {
    const exp = await experiment('wine-quality');
    await vscode.commands.executeCommand('mlwf.sortRuns', exp, 'metrics.rmse ASC');
    const rest = (await restRuns('1', undefined, ['metrics.rmse ASC', 'attributes.start_time DESC'])).filter((r) => !parentTag(r));
    const items = await rows((await tree.getChildren(exp)).filter(isRunNode));
    assert.deepStrictEqual(items.map(labelOf), rest.map((r) => r.info.run_name));
  });

  it('shows MLflow\'s own message for an invalid filter as one error row with Retry', async () => {
    const exp = await experiment('wine-quality');
    const invalid = 'metrics.rmse <<< 1';
    const serverMessage = await restRuns('1', invalid).then(
      () => assert.fail('the server accepts the invalid filter'),
      (e: { serverMessage?: string }) => e.serverMessage ?? '',
    );
    assert.ok(serverMessage.length > 0);
    await vscode.commands.executeCommand('mlwf.filterRuns', exp, invalid);
    const children = await tree.getChildren(exp);
    assert.strictEqual(children.length, 1);
    const item = await children[0]!.getTreeItem();
    assert.ok(labelOf(item).includes(serverMessage), `"${labelOf(item)}" includes MLflow's message "${serverMessage}"`);
    assert.strictEqual(item.contextValue, 'mlwf.error');
    assert.strictEqual(item.command?.command, 'mlwf.explorer.retry');
    await vscode.commands.executeCommand('mlwf.clearRunFilter', exp);
    assert.ok((await tree.getChildren(exp)).filter(isRunNode).length > 0, 'clearing the filter brings the runs back');
  });

  it('turns a 401 from nginx into one "Sign In…" row instead of an empty tree', async () => {
    // Built from this bundle's copy of the core, like the provider under test (error classes
    // are compared with instanceof, which does not cross bundles).
    const unauthenticated = new MlflowClient({ trackingUri, auth: { kind: 'none' } });
    const store = new Map<string, unknown>();
    const memento: vscode.Memento = {
      keys: () => [...store.keys()],
      get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback) as T,
      update: async (key: string, value: unknown) => void (value === undefined ? store.delete(key) : store.set(key, value)),
    };
    const provider = new ExperimentsTreeProvider({ getBackend: () => unauthenticated, getScope: () => trackingUri, memento });
    try {
      const root = await provider.getChildren();
      assert.strictEqual(root.length, 1);
      const item = await root[0]!.getTreeItem();
      assert.strictEqual(item.contextValue, 'mlwf.errorSignIn');
      assert.strictEqual(item.command?.command, 'mlwf.signIn');
      assert.match(labelOf(item), /user name and password/);
    } finally {
      provider.dispose();
    }
  });

  it('shows a run named like HTML as text (label, escaped Markdown tooltip, nothing trusted)', async () => {
    const exp = await experiment('image-classification');
    const runs = (await tree.getChildren(exp)).filter(isRunNode);
    const items = await rows(runs);
    const xss = items.find((i) => labelOf(i) === XSS_NAME);
    assert.ok(xss, 'the run is listed under its exact name');
    const tip = tree.resolveTreeItem(xss, runs[items.indexOf(xss)]!).tooltip as vscode.MarkdownString;
    assert.ok(tip instanceof vscode.MarkdownString);
    assert.ok(!tip.isTrusted && !tip.supportHtml, 'server text never gets trusted Markdown or HTML');
    assert.ok(!tip.value.includes('<img'), 'no raw tag in the tooltip');
    assert.ok(tip.value.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'), tip.value);
    const note = (await tree.getChildren(runs[items.indexOf(xss)]!))[0]!;
    const noteTip = ((await note.getTreeItem()).tooltip as vscode.MarkdownString).value;
    assert.ok(!noteTip.includes('<script') && !noteTip.includes('](command:'), noteTip);
  });

  it('reveals a nested run by id (mlwf.revealRun) and builds MLflow UI links', async () => {
    const fold = (await restRuns('1')).find((r) => r.info.run_name === 'fold-1')!;
    // Its experiment's first page is loaded already, where the child run is hidden at top level.
    await tree.getChildren(await experiment('wine-quality'));
    await vscode.commands.executeCommand('mlwf.revealRun', fold.info.run_id);
    const node = await tree.nodeForRun(fold);
    assert.ok(node && node.id.endsWith(fold.info.run_id));
    const exp = await experiment('wine-quality');
    assert.ok((await tree.getChildren(exp)).includes(node!), 'the revealed run is a row of its experiment');
    assert.strictEqual(mlflowUiUrl('http://h:5000/mlflow/', '1', 'abc'), 'http://h:5000/mlflow/#/experiments/1/runs/abc');
    assert.strictEqual(mlflowUiUrl('http://h:5000/mlflow', '1'), 'http://h:5000/mlflow/#/experiments/1');
  });
});
