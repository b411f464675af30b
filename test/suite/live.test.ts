// Live updates inside a real VS Code against the real MLflow servers (2.14.3 and 3.6) behind
// nginx, while the real MLflow client logs steps in a background process: the tree row and the
// status bar show the run running, an open comparison receives exactly the new points, Watch Run
// announces the end, the row flips to FINISHED, and nginx's access log shows MLWF makes no
// request at all once nothing runs. Without the real servers every test is skipped, saying why.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { LiveUpdate } from '../../src/core/live';
import type { ComparePanel } from '../../src/features/compare/comparePanel';
import type { RunNode } from '../../src/features/explorer/runNode';
import { readSteps, type CompareHostMessage, type CompareLiveMessage } from '../../src/protocol/compare';
import { RealTrainer } from '../servers/realTrainer';
import { api, labelOf, setSetting, tooltipOf } from './inHost';
import { realServersInHost, type RealServer } from './realServers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const found = realServersInHost();
const servers: RealServer[] = Array.isArray(found) ? found : [];
if (!Array.isArray(found)) console.log(found.skipped);

/** MLWF's requests (user agent "node"; the Python client's say "mlflow-python-client") after `from` bytes. */
function mlwfRequests(server: RealServer, from: number): string[] {
  const text = readFileSync(server.accessLog).subarray(from).toString('utf8');
  return [...text.matchAll(/"([A-Z]+ [^ "]+) HTTP\/[\d.]+" \d+ \d+ "[^"]*" "([^"]*)"/g)].filter((m) => m[2] === 'node').map((m) => m[1]!);
}
const logSize = (server: RealServer) => readFileSync(server.accessLog).length;

function until<T>(what: string, probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = probe();
      if (v) return resolve(v);
      if (Date.now() - started > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

function nextLive(panel: ComparePanel, match: (m: CompareLiveMessage) => boolean, ms = 20_000): Promise<CompareLiveMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching live message within ${ms} ms`));
    }, ms);
    const listener = panel.onDidPost((m: CompareHostMessage) => {
      if (m.type === 'live' && match(m)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(m);
      }
    });
  });
}

for (const kit of ['2.14.3', '3.6'] as const) {
  const label = `[real MLflow ${kit}]`;
  describe(`${label} live updates in the workbench while the real client logs`, function () {
    this.timeout(120_000);
    let a: MlwfExtensionApi;
    let s: RealServer;
    let trainer: RealTrainer | undefined;
    const experiment = `live-host-${kit}-${randomBytes(3).toString('hex')}`;

    before(async function () {
      const server = servers.find((x) => x.kit === kit);
      if (!server) return this.skip();
      s = server;
      a = await api();
      await a.credentials.set(s.trackingUri, { kind: 'basic', username: s.username, password: s.password });
      await setSetting('live.intervalSeconds', 1);
      await setSetting('trackingUri', s.trackingUri);
      assert.strictEqual((await a.connection.refresh()).kind, 'connected');
      trainer = await RealTrainer.start(s, experiment, 'host-live');
      await trainer.log('loss', 3);
    });

    after(async () => {
      for (const p of [...(a?.compare.panels ?? [])]) p.dispose();
      await trainer?.stop();
      if (!a) return;
      // Leave the window as the suites after this one expect it: unconfigured, no stored password.
      await setSetting('live.intervalSeconds', undefined);
      await setSetting('trackingUri', undefined);
      await a.credentials.delete(s.trackingUri);
      await a.connection.refresh();
      a.experiments.refresh();
    });

    async function runRow(): Promise<RunNode> {
      a.experiments.refresh();
      const root = await a.experiments.getChildren();
      const items = await Promise.all(root.map(async (n) => ({ n, label: labelOf(await n.getTreeItem()) })));
      const exp = items.find((x) => x.label === experiment);
      assert.ok(exp, `experiment ${experiment} is listed`);
      const rows = (await a.experiments.getChildren(exp.n)).filter((n) => n.id.endsWith(`/run:${trainer!.runId}`)) as RunNode[];
      assert.strictEqual(rows.length, 1);
      return rows[0]!;
    }

    it(`${label} the row, the status bar and an open comparison follow the run; the end is announced; then no request at all`, async () => {
      const row = await runRow();
      const item = await row.getTreeItem();
      assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'sync~spin', 'a RUNNING row');
      a.live.refreshTargets();
      assert.deepStrictEqual(a.live.running.map((r) => r.info.run_id), [trainer!.runId]);
      assert.match(a.live.statusBarText ?? '', /1 running/);

      await vscode.commands.executeCommand('mlwf.watchRun', row);
      assert.ok(a.live.watched.has(trainer!.runId));

      const panel = (await a.compare.open([row.run]))!;
      assert.ok(panel);
      await until('the page to be ready', () => panel.lastPaint !== undefined || panel.stats.requests > 0, 30_000);

      // The job logs five more steps: the panel gets exactly those, the row its new latest value.
      const live = nextLive(panel, (m) => m.appended.some((x) => x.metricKey === 'loss' && readSteps(x.steps).includes(7)));
      await trainer!.log('loss', 5);
      const message = await live;
      const steps = message.appended.filter((x) => x.metricKey === 'loss').flatMap((x) => [...readSteps(x.steps)]);
      assert.ok(steps.every((st) => st >= 3 && st <= 7), `only new steps: ${steps.join(',')}`);
      await until('the row to show step 7', () => row.run.data.metrics.find((m) => m.key === 'loss')?.step === 7);
      assert.match(tooltipOf(await a.experiments.resolveTreeItem(await row.getTreeItem(), row)), /RUNNING/);

      const notice = new Promise<{ runId: string; message: string }>((resolve) => a.live.onDidNotify(resolve));
      const ended = new Promise<LiveUpdate>((resolve) => a.live.onDidUpdate((u) => u.ended.length > 0 && resolve(u)));
      await trainer!.end('FINISHED');
      const update = await ended;
      assert.deepStrictEqual(update.ended.map((r) => [r.info.run_id, r.info.status]), [[trainer!.runId, 'FINISHED']]);
      const told = await notice;
      assert.strictEqual(told.runId, trainer!.runId);
      assert.match(told.message, /host-live finished: loss 0\.125/);
      assert.ok(!a.live.watched.has(trainer!.runId), 'an announced run is no longer watched');

      const after = await row.getTreeItem();
      assert.notStrictEqual((after.iconPath as vscode.ThemeIcon).id, 'sync~spin', 'the row flipped');
      assert.match(tooltipOf(await a.experiments.resolveTreeItem(after, row)), /FINISHED/);
      await until('the status bar to clear', () => a.live.statusBarText === undefined);
      assert.strictEqual(a.live.statusBarText, undefined);
      assert.strictEqual(panel.currentRuns[0]!.info.status, 'FINISHED', 'the panel has the final run');

      // Nothing runs now: the panel stays open, the interval is 1 s, and MLWF asks nothing.
      const mark = logSize(s);
      await sleep(4_000);
      assert.deepStrictEqual(mlwfRequests(s, mark), []);
      assert.deepStrictEqual(a.live.poller?.targetIds, []);
    });
  });
}
