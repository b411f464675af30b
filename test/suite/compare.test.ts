// The compare panel inside a real VS Code, against the test MLflow server behind nginx (demo
// scenario): opening it from the tree, the real page's ready → init → history → first paint,
// the history protocol through the panel's message handler compared with the REST API, cancel
// on close and on a change of runs, malformed messages dropped, add/remove runs with stable
// colours, and the serializer bringing a panel back from saved state.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { Run } from '../../src/core/mlflow';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import type { ComparePanel } from '../../src/features/compare/comparePanel';
import type { ExplorerNode } from '../../src/features/tree/explorerNode';
import type { RunNode } from '../../src/features/explorer/runNode';
import { readSeries, type CompareHistoryMessage, type CompareHostMessage, type CompareInitMessage, type CompareLeadHistoryMessage, type CompareRunsMessage } from '../../src/protocol/compare';
import { connectToRig, labelOf, waitFor } from './inHost';

const LLM = ['93f0d454e77045d0b23d7288681c1311', 'ca71a09d4c2e446e8052a2cf70901636', 'dcc3e2fd33314388a51eb3cfadb16bd5'];
const IMAGE = ['4a1c0de0000000000000000000000001', '4a1c0de0000000000000000000000002', '4a1c0de0000000000000000000000003'];

/** Resolves with the first message the panel posts that matches, or fails after `ms`. */
function nextPost<T extends CompareHostMessage>(panel: ComparePanel, match: (m: CompareHostMessage) => m is T, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching message within ${ms} ms`));
    }, ms);
    const listener = panel.onDidPost((m) => {
      if (match(m)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(m);
      }
    });
  });
}

const isInit = (m: CompareHostMessage): m is CompareInitMessage => m.type === 'init';
const isRuns = (m: CompareHostMessage): m is CompareRunsMessage => m.type === 'runs';
const isLead = (m: CompareHostMessage): m is CompareLeadHistoryMessage => m.type === 'leadHistory';
const historyFor = (id: number) => (m: CompareHostMessage): m is CompareHistoryMessage => m.type === 'history' && m.requestId === id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the real page has drawn its first chart (after that it is idle). */
function firstPaint(panel: ComparePanel, ms = 30_000): Promise<NonNullable<ComparePanel['lastPaint']>> {
  if (panel.lastPaint) return Promise.resolve(panel.lastPaint);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first paint within ${ms} ms`)), ms);
    panel.onDidPaint((t) => {
      clearTimeout(timer);
      resolve(t);
    });
  });
}

describe('Compare panel (real server behind nginx, demo scenario)', function () {
  this.timeout(60_000);
  let a: MlwfExtensionApi;

  async function experimentNode(name: string): Promise<ExplorerNode> {
    const root = await a.experiments.getChildren();
    for (const node of root) if (labelOf(await node.getTreeItem()) === name) return node;
    throw new Error(`experiment ${name} is not listed`);
  }

  async function runNodes(name: string): Promise<RunNode[]> {
    // By id, not instanceof: this bundle has its own copy of the RunNode class.
    return (await a.experiments.getChildren(await experimentNode(name))).filter((n) => /\/run:[0-9a-f]+$/.test(n.id)) as RunNode[];
  }

  async function openPanel(runIds: readonly string[]): Promise<ComparePanel> {
    const runs: Run[] = await Promise.all(runIds.map((id) => a.connection.client!.getRun(id)));
    const panel = await a.compare.open(runs);
    assert.ok(panel, 'a panel opened');
    return panel;
  }

  before(async () => {
    a = await connectToRig();
    a.experiments.refresh();
  });

  afterEach(async () => {
    for (const panel of [...a.compare.panels]) panel.dispose();
    await vscode.commands.executeCommand('mlwf.clearRunFilter');
  });

  it('opens from runs selected in the Experiments view; the real page says ready, charts and reports its first paint', async () => {
    const nodes = (await runNodes('llm-finetune')).filter((n) => LLM.includes(n.runId));
    assert.strictEqual(nodes.length, 3);
    const opened = new Promise<ComparePanel>((resolve) => a.compare.onDidOpenPanel(resolve));
    await vscode.commands.executeCommand('mlwf.compareSelectedRuns', nodes[0], nodes);
    const panel = await opened;
    const pushed = nextPost(panel, isLead);
    assert.deepStrictEqual(new Set(panel.runIds), new Set(LLM));
    assert.strictEqual(panel.panel.title, 'Compare: llm-finetune (3 runs)');
    const html = panel.panel.webview.html;
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(html.includes("default-src 'none'") && nonce && html.includes(`<script nonce="${nonce}" src=`), 'a strict CSP with a script nonce');
    assert.ok(!/<script(?![^>]*nonce=)/.test(html) && !/unsafe-(inline|eval)/.test(html), 'no script without the nonce, nothing unsafe');
    const roots = (panel.panel.webview.options.localResourceRoots ?? []).map((u) => u.path);
    assert.ok(roots.length === 2 && roots[0]!.endsWith('/dist/webview') && roots[1]!.endsWith('/media'), `resources only from dist/webview and media (${roots.join(', ')})`);
    const init = await nextPost(panel, isInit);
    assert.deepStrictEqual(new Set(init.runs.rows.map((r) => r.runId)), new Set(LLM));
    assert.deepStrictEqual(init.runs.rows.map((r) => r.colorSlot), [0, 1, 2], 'one colour slot per run');
    assert.ok(init.strings.charts.length > 0, 'the page gets its strings from the host');
    // The first chart's histories were fetched at the command and come unasked, for every run.
    assert.ok(init.leadMetric, 'init names the metric the host sends unasked');
    const lead = await pushed;
    assert.strictEqual(lead.metricKey, init.leadMetric);
    assert.strictEqual(lead.failed, false);
    assert.deepStrictEqual(new Set(lead.series.map((x) => x.runId)), new Set(LLM), 'a series for every run');
    assert.ok(lead.series.some((x) => x.values.length > 1), 'with a history');
    assert.ok(lead.series.every((x) => x.timestamps === undefined), 'drawn by step first: no timestamps cross');
    assert.strictEqual(panel.stats.pushed, 1);
    // The page asks for its other metrics by itself and reports when the first chart is drawn;
    // the others ask only once it is on the screen (their replies and drawing would hold it back).
    let requestsAtPaint: number | undefined;
    panel.onDidPaint(() => (requestsAtPaint ??= panel.stats.requests));
    const painted = await firstPaint(panel);
    assert.strictEqual(requestsAtPaint, 0, 'no other chart asked before the first one was painted');
    await waitFor('the second history chart to ask after the first paint', () => panel.stats.requests >= 1, 15_000);
    assert.strictEqual(painted.page.metricKey, init.leadMetric, 'the first chart drawn is the pushed one');
    assert.ok(painted.host.prefetchStartedMs !== undefined && painted.host.prefetchLoadedMs !== undefined, `the host timed its prefetch (${JSON.stringify(painted.host)})`);
    assert.ok(painted.commandToPaintMs !== undefined && painted.commandToPaintMs > 0, 'timed from the command');
    assert.ok(painted.page.points > 0, 'the painted chart has points');
    assert.ok(painted.page.paintedMs >= painted.page.firstDataMs && painted.page.firstDataMs >= painted.page.initReceivedMs);
    assert.strictEqual(a.compare.lastPaint, painted);
    assert.ok(panel.stats.replies >= 1 && panel.stats.dropped === 0, `the page's own messages pass the guards (${JSON.stringify(panel.stats)})`);
  });

  it('answers a history request by id with what get-history returns, a step range and only the panel’s runs', async () => {
    const panel = await openPanel(LLM);
    const reply = nextPost(panel, historyFor(9001));
    await panel.handleMessage({ type: 'requestHistory', requestId: 9001, metricKey: 'loss', runIds: [...LLM, 'ffffffffffffffffffffffffffffffff'], timestamps: true });
    const message = await reply;
    assert.deepStrictEqual(message.series.map((s) => s.runId), LLM, 'a run outside the panel is not fetched');
    for (const columns of message.series) {
      const rest = await a.connection.client!.getMetricHistory(columns.runId, 'loss');
      assert.ok(columns.values instanceof Float64Array && columns.timestamps instanceof Float64Array, 'parallel number columns, not point objects');
      const series = readSeries(columns);
      assert.strictEqual(series.steps.length, rest.length, `${series.runId}: every point`);
      const sorted = [...rest].sort((x, y) => x.step - y.step);
      assert.deepStrictEqual(Array.from(series.steps, (step, i) => [step, series.values[i], series.timestamps![i]]), sorted.map((p) => [p.step, p.value, p.timestamp]));
    }
    // Not asked for timestamps (a chart drawn by step), the same points come without them.
    const byStep = nextPost(panel, historyFor(9003));
    await panel.handleMessage({ type: 'requestHistory', requestId: 9003, metricKey: 'loss', runIds: LLM });
    for (const columns of (await byStep).series) {
      const rest = [...(await a.connection.client!.getMetricHistory(columns.runId, 'loss'))].sort((x, y) => x.step - y.step);
      assert.strictEqual(columns.timestamps, undefined, 'no timestamps');
      const series = readSeries(columns);
      assert.deepStrictEqual(Array.from(series.steps, (step, i) => [step, series.values[i]]), rest.map((p) => [p.step, p.value]));
    }
    const ranged = nextPost(panel, historyFor(9002));
    await panel.handleMessage({ type: 'requestHistory', requestId: 9002, metricKey: 'loss', runIds: [LLM[0]!], range: { minStep: 100, maxStep: 199 } });
    const inRange = readSeries((await ranged).series[0]!);
    assert.ok(inRange.steps.length > 0);
    assert.ok(inRange.steps.every((step) => step >= 100 && step <= 199), 'only the zoomed steps');
    const restInRange = (await a.connection.client!.getMetricHistory(LLM[0]!, 'loss')).filter((p) => p.step >= 100 && p.step <= 199);
    assert.strictEqual(inRange.steps.length, restInRange.length, 'full resolution inside the range');
  });

  it('falls back to get-history when the server answers the sampled route with 404 (an older MLflow)', async () => {
    const admin = (process.env.MLWF_TEST_DIRECT_URL ?? '').replace(/\/?$/, '/');
    const post = (p: string, body?: object) => fetch(new URL(p, admin), { method: body ? 'POST' : 'DELETE', headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    await post('__admin/requests');
    await post('__admin/faults', { pathPrefix: '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval', mode: 'status', status: 404, count: 100 });
    try {
      const panel = await openPanel(LLM); // a fresh panel: a fresh loader, which has not learnt anything yet
      const reply = nextPost(panel, historyFor(9101));
      await panel.handleMessage({ type: 'requestHistory', requestId: 9101, metricKey: 'loss', runIds: LLM });
      const message = await reply;
      for (const series of message.series) {
        const rest = await a.connection.client!.getMetricHistory(series.runId, 'loss');
        assert.strictEqual(series.values.length, rest.length, `${series.runId}: every point, through get-history`);
      }
      const seen = (await (await fetch(new URL('__admin/requests', admin))).json()) as { path: string; status: number }[];
      assert.ok(seen.some((r) => r.path.endsWith('/get-history-bulk-interval') && r.status === 404), 'the sampled route was asked and said 404');
      assert.ok(seen.some((r) => r.path.endsWith('/metrics/get-history') && r.status === 200), 'then get-history answered');
    } finally {
      await post('__admin/faults');
    }
  });

  it('cancels in-flight history requests when the panel closes, and when its runs change', async () => {
    const panel = await openPanel(IMAGE);
    await nextPost(panel, isInit);
    const posted: CompareHostMessage[] = [];
    panel.onDidPost((m) => posted.push(m));
    const cancelledBefore = panel.stats.cancelled;
    const pending = panel.handleMessage({ type: 'requestHistory', requestId: 7001, metricKey: 'train_loss', runIds: IMAGE });
    assert.strictEqual(panel.pendingRequests >= 1, true, 'the request is in flight');
    panel.removeRuns([IMAGE[2]!]);
    assert.strictEqual(panel.stats.cancelled, cancelledBefore + 1, 'changing the runs cancelled it');
    await pending;
    assert.ok(!posted.some((m) => (m.type === 'history' || m.type === 'historyError') && m.requestId === 7001), 'no reply for a cancelled request');
    const second = panel.handleMessage({ type: 'requestHistory', requestId: 7002, metricKey: 'train_loss', runIds: IMAGE.slice(0, 2) });
    panel.dispose();
    await second;
    await sleep(500);
    assert.strictEqual(panel.pendingRequests, 0);
    assert.ok(panel.stats.cancelled >= cancelledBefore + 2, `closing cancelled the second (${JSON.stringify(panel.stats)})`);
    assert.ok(!posted.some((m) => (m.type === 'history' || m.type === 'historyError') && m.requestId === 7002), 'nothing posted after close');
    assert.ok(panel.isDisposed);
    assert.ok(!a.compare.panels.includes(panel), 'the feature forgot the closed panel');
  });

  it('drops malformed messages from the page without acting on them', async () => {
    const panel = await openPanel(LLM.slice(0, 2));
    await firstPaint(panel);
    await sleep(500); // the page's other default chart may still be loading
    const posted: CompareHostMessage[] = [];
    panel.onDidPost((m) => posted.push(m));
    const before = { ...panel.stats };
    const malformed: unknown[] = [
      null,
      'requestHistory',
      { type: 'requestHistory', requestId: '1', metricKey: 'loss', runIds: LLM },
      { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: LLM[0] },
      { type: 'removeRun', runId: { toString: () => LLM[0] } },
      { type: 'exportChart', format: 'png', metricKey: 'loss', data: 'file:///etc/passwd' },
      { type: 'copyText', format: 'html', text: '<b>x</b>' },
      { type: 'evalThis', code: 'process.exit(1)' },
    ];
    for (const m of malformed) await panel.handleMessage(m);
    assert.strictEqual(panel.stats.dropped, before.dropped + malformed.length);
    assert.strictEqual(panel.stats.requests, before.requests, 'no history was requested');
    assert.deepStrictEqual(panel.runIds, LLM.slice(0, 2), 'no run was removed');
    await sleep(300);
    assert.deepStrictEqual(posted, [], 'nothing was answered');
  });

  it('puts the table the page copies on the clipboard, and refuses a broken PNG export before asking where to save', async () => {
    const panel = await openPanel(LLM.slice(0, 2));
    const csv = `key,ft-a,ft-b\r\nparams.lr,0.1,0.01\r\n${Date.now()}\r\n`;
    await panel.handleMessage({ type: 'copyText', format: 'csv', text: csv });
    assert.strictEqual(await vscode.env.clipboard.readText(), csv);
    const dropped = panel.stats.dropped;
    // Passes the guard (right prefix) but is not a PNG: an error, no save dialog, nothing written.
    await panel.handleMessage({ type: 'exportChart', format: 'png', metricKey: 'loss', data: `data:image/png;base64,${Buffer.from('not an image').toString('base64')}` });
    assert.strictEqual(panel.stats.dropped, dropped);
    const logFile = path.join(a.logUri.fsPath, 'MLWF.log');
    let log = '';
    for (let i = 0; i < 50 && !log.includes('not a PNG'); i++) {
      await sleep(100); // the log channel flushes asynchronously
      log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    }
    assert.match(log, /Could not save the chart: the exported image is not a PNG/);
    // A real PNG export on the save dialog is covered by the UI test (test/e2e/ui/compare.ui.ts).
  });

  it('adds and removes runs in an open panel; the other runs keep their colours', async () => {
    const panel = await openPanel(LLM.slice(0, 2));
    const init = await nextPost(panel, isInit);
    const slot = (runs: CompareRunsMessage['runs'], id: string) => runs.rows.find((r) => r.runId === id)?.colorSlot;
    const added = nextPost(panel, isRuns);
    panel.addRuns([await a.connection.client!.getRun(LLM[2]!)]);
    const afterAdd = await added;
    assert.strictEqual(afterAdd.runs.rows.length, 3);
    assert.strictEqual(afterAdd.title, 'Compare: llm-finetune (3 runs)');
    assert.strictEqual(slot(afterAdd.runs, LLM[1]!), slot(init.runs, LLM[1]!));
    const removed = nextPost(panel, isRuns);
    await panel.handleMessage({ type: 'removeRun', runId: LLM[0]! });
    const afterRemove = await removed;
    assert.deepStrictEqual(afterRemove.runs.rows.map((r) => r.runId), LLM.slice(1));
    assert.strictEqual(slot(afterRemove.runs, LLM[2]!), slot(afterAdd.runs, LLM[2]!), 'removing a run does not recolour the rest');
    assert.strictEqual(panel.panel.title, 'Compare: llm-finetune (2 runs)');
    // The tree shows each compared run in its panel colour; a run no longer compared has none.
    const decoration = (id: string) => a.compare.decorations.provideFileDecoration(vscode.Uri.from({ scheme: 'mlwf-run', path: `/${id}` }));
    assert.strictEqual((decoration(LLM[2]!)?.color as { id?: string } | undefined)?.id, `mlwf.compareRun${slot(afterRemove.runs, LLM[2]!)! + 1}`);
    assert.strictEqual(decoration(LLM[0]!), undefined);
    // "Add to Comparison" on a tree row adds to the open panel instead of opening another.
    const node = (await runNodes('llm-finetune')).find((n) => n.runId === LLM[0])!;
    assert.strictEqual((await node.getTreeItem()).resourceUri?.toString(), `mlwf-run:/${LLM[0]}`, 'run rows carry the URI the decoration is keyed by');
    await vscode.commands.executeCommand('mlwf.addToComparison', node, [node]);
    assert.strictEqual(a.compare.panels.length, 1);
    assert.deepStrictEqual(new Set(panel.runIds), new Set(LLM));
  });

  it('follows a new sign-in to the same server: the open panel reads through the new client', async () => {
    const panel = await openPanel(LLM);
    const before = panel.backend;
    assert.strictEqual(before, a.connection.backend);
    await a.connection.refresh();
    assert.ok(a.connection.backend && a.connection.backend !== before, 'the refresh made a new client');
    assert.strictEqual(panel.backend, a.connection.backend, 'the panel follows it');
    const reply = nextPost(panel, historyFor(9101));
    await panel.handleMessage({ type: 'requestHistory', requestId: 9101, metricKey: 'loss', runIds: [LLM[0]!] });
    const rest = await a.connection.client!.getMetricHistory(LLM[0]!, 'loss');
    assert.strictEqual((await reply).series[0]!.values.length, rest.length, 'answered through the new client');
  });

  it('Compare Runs… on an experiment applies the experiment’s filter', async () => {
    const exp = await experimentNode('llm-finetune');
    await vscode.commands.executeCommand('mlwf.filterRuns', exp, "params.batch_size = '16'");
    await vscode.commands.executeCommand('mlwf.compareRuns', exp, LLM);
    const panel = a.compare.panels.at(-1)!;
    assert.deepStrictEqual(new Set(panel.runIds), new Set(LLM.slice(1)), 'the bs8 run is filtered out');
    // Closed only once its page is up: closing a panel the workbench is still opening makes the
    // workbench log "OverlayWebview has been disposed" (its own race, not ours).
    await nextPost(panel, isInit);
  });

  it('a metric node opens that metric for the run and its siblings', async () => {
    const run = (await runNodes('llm-finetune')).find((n) => n.runId === LLM[0])!;
    const metrics = (await a.experiments.getChildren(run)).find((n) => n.id.endsWith('/metrics'))!;
    const loss = (await a.experiments.getChildren(metrics)).find((n) => n.id.endsWith('/loss'))!;
    const opened = new Promise<ComparePanel>((resolve) => a.compare.onDidOpenPanel(resolve));
    await vscode.commands.executeCommand('mlwf.compareMetric', loss);
    const panel = await opened;
    assert.strictEqual(panel.runIds[0], LLM[0], 'the clicked run first');
    assert.deepStrictEqual(new Set(panel.runIds), new Set(LLM));
    const init = await nextPost(panel, isInit);
    assert.deepStrictEqual(init.focusMetrics, ['loss']);
  });

  it('the serializer restores a panel from saved state, leaving out runs that are gone, and refuses bad state', async () => {
    const state = {
      version: 1,
      runIds: [LLM[0], 'deadbeefdeadbeefdeadbeefdeadbeef', LLM[2]],
      chosenMetrics: ['loss'],
      tab: 'table',
      xAxis: 'step',
      smoothing: 0.3,
      logScale: false,
      ignoreOutliers: false,
      onlyDifferences: true,
      hiddenRuns: [],
      goals: {},
    };
    const webviewPanel = vscode.window.createWebviewPanel('mlwf.compare', 'restoring', vscode.ViewColumn.Active, {});
    const panel = await a.compare.serializer.restore(webviewPanel, state);
    assert.ok(panel, 'restored');
    assert.deepStrictEqual(panel.runIds, [LLM[0], LLM[2]]);
    assert.strictEqual(panel.panel.title, 'Compare: llm-finetune (2 runs)');
    assert.ok(a.compare.panels.includes(panel));
    assert.ok((await nextPost(panel, isInit)).runs.rows.length === 2, 'the restored page is initialised');
    const nonceOf = (p: ComparePanel) => /script-src 'nonce-([^']+)'/.exec(p.panel.webview.html)?.[1];
    const other = await openPanel(LLM.slice(0, 1));
    assert.ok(nonceOf(panel) && nonceOf(other) && nonceOf(panel) !== nonceOf(other), 'a fresh nonce for every page load');

    const broken = vscode.window.createWebviewPanel('mlwf.compare', 'broken', vscode.ViewColumn.Active, { enableScripts: true });
    // As VS Code hands a restored panel over: already open. A page that says it loaded proves it
    // (disposing a panel the workbench is still opening logs "OverlayWebview has been disposed").
    const loaded = new Promise<unknown>((resolve) => broken.webview.onDidReceiveMessage(resolve));
    broken.webview.html = '<!DOCTYPE html><html><body><script>acquireVsCodeApi().postMessage("loaded")</script></body></html>';
    await loaded;
    let closed = false;
    broken.onDidDispose(() => (closed = true));
    assert.strictEqual(await a.compare.serializer.restore(broken, { version: 1, runIds: ['../../x'] }), undefined);
    assert.ok(closed, 'a panel with unusable state is closed, not left blank');
  });
});

describe('Compare panel at scale (100 generated runs × 2,500 steps)', function () {
  this.timeout(180_000);
  let a: MlwfExtensionApi;
  const admin = (process.env.MLWF_TEST_DIRECT_URL ?? '').replace(/\/?$/, '/');

  async function loadScenario(body: object): Promise<void> {
    const response = await fetch(new URL('__admin/scenario', admin), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.strictEqual(response.status, 200, await response.text());
  }

  before(async function () {
    if (!admin || admin === '/') this.skip();
    a = await connectToRig();
    // 2,500 points per run is what the sampled bulk-interval endpoint returns at most.
    await loadScenario({ generate: { runs: 100, historySteps: 2500, historyRuns: 100, keys: 12, keysPerRun: 6 } });
  });

  after(async () => {
    for (const panel of [...(a?.compare.panels ?? [])]) panel.dispose();
    if (admin && admin !== '/') await loadScenario({ scenarioFile: 'demo' });
    a?.experiments.refresh();
  });

  it('the real page charts 100 runs × 2,500 steps (sampled to the chart budget) and stays answerable', async () => {
    const runs = (await a.connection.client!.searchRunsPage({ experimentIds: ['999'], maxResults: 100 })).runs;
    assert.strictEqual(runs.length, 100);
    // What the data layer hands a 100-run chart: MLflow's sampled histories, within the loader's
    // whole-chart budget (src/core/compare), far fewer than the 250,000 logged points.
    const expected = (await createMetricHistoryLoader(a.connection.client!).load({ runIds: runs.map((r) => r.info.run_id), metricKey: 'loss' })).reduce((n, s) => n + s.points.length, 0);
    assert.ok(expected > 100 * 2 && expected < 100 * 2500, `the loader samples: ${expected} points`);
    const panel = (await a.compare.open(runs, { focusMetrics: ['loss'] }))!;
    const painted = await firstPaint(panel, 150_000);
    assert.strictEqual(painted.page.metricKey, 'loss');
    assert.strictEqual(painted.page.points, expected, 'every point the data layer returned reached the chart');
    assert.strictEqual(panel.stats.dropped, 0);
    // The page still answers: removing a run comes back as a new run list at once.
    const removed = nextPost(panel, isRuns, 10_000);
    await panel.handleMessage({ type: 'removeRun', runId: runs[0]!.info.run_id });
    assert.strictEqual((await removed).runs.rows.length, 99);
    console.log(`    100 runs × 2,500 steps: command → first chart ${painted.commandToPaintMs} ms (page: data at ${Math.round(painted.page.firstDataMs)} ms, painted at ${Math.round(painted.page.paintedMs)} ms)`);
  });
});
