// The compare panel on runs logged the way people log them, in the real workbench against each real
// upstream MLflow server (2.14.3 and 3.6, behind the project's nginx), filled by the real MLflow
// client (test/fixtures/real-mlflow/populate-seeds.py: two configs × three seeds, `rmse` once per
// run, a 30-step `val_loss`): the history charted first and `rmse` as bars whose values are the
// runs' rmse with the lowest marked best; grouped by the `lr` param, the bars' and the table's
// mean ± std and the history's last-step mean ± std equal those computed here from what the
// client logged; the set-up saved as a named view in .vscode/mlwf-views.json and applied to the
// runs of another experiment; a broken views file reported and left as it was; and the tree's
// FINISHED runs keep their green status icon while they carry a run colour.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FrameLocator, Page } from 'playwright-core';
import { REAL_KITS, realMlflowServers, realMlflowSkipReason, runRealClient, startRealMlflow, type OwnRealServer, type RealServer } from '../../servers/realMlflow';
import {
  activeWebview,
  answerInputBox,
  clearNotifications,
  escapeRegExp,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  REPO_ROOT,
  screenshot,
  treeRows,
  uiTest,
  viewPane,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
  type Checks,
  type Rig,
} from './lib';
import { paletteCommand } from './workbench';
import { signInToRealServer } from './realServerSteps';

const VIEW = 'Experiments';
const SCRIPT = path.join(REPO_ROOT, 'test', 'fixtures', 'real-mlflow', 'populate-seeds.py');

interface SeedRun {
  run_id: string;
  name: string;
  lr: string;
  seed: number;
  rmse: number;
  val_loss: number[];
}
interface SeedExperiment {
  experiment_id: string;
  name: string;
  runs: SeedRun[];
}
interface Seeds {
  a: SeedExperiment;
  b: SeedExperiment;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Per lr: the expected mean and sample std of the runs' rmse, and of val_loss at the last step. */
function expectedGroups(exp: SeedExperiment) {
  const byLr = new Map<string, SeedRun[]>();
  for (const r of exp.runs) byLr.set(r.lr, [...(byLr.get(r.lr) ?? []), r]);
  return [...byLr].map(([lr, runs]) => {
    const last = runs.map((r) => r.val_loss.at(-1)!);
    return { lr, n: runs.length, rmseMean: mean(runs.map((r) => r.rmse)), rmseStd: sampleStd(runs.map((r) => r.rmse)), lastMean: mean(last), lastStd: sampleStd(last) };
  });
}

/** The rows of a card's values table: id → value (and std, n). */
async function cardValues(web: FrameLocator, metric: string): Promise<Map<string, { value: number; std?: number; n?: number; best: boolean }>> {
  const rows = await web.locator(`.chart-card[data-metric="${metric}"] .chart-values tr[data-id]`).evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.getAttribute('data-id') ?? '', value: tr.getAttribute('data-value'), std: tr.getAttribute('data-std'), n: tr.getAttribute('data-n'), best: tr.getAttribute('data-best') === 'true' })),
  );
  return new Map(rows.map((r) => [r.id, { value: Number(r.value), std: r.std === null ? undefined : Number(r.std), n: r.n === null ? undefined : Number(r.n), best: r.best }]));
}

async function chooseOption(web: FrameLocator, dropdown: string, label: RegExp): Promise<void> {
  await web.locator(`vscode-dropdown[data-name="${dropdown}"]`).click();
  await web.locator(`vscode-dropdown[data-name="${dropdown}"] vscode-option`, { hasText: label }).first().click();
}

async function compareExperiment(page: Page, exp: SeedExperiment): Promise<FrameLocator> {
  await paletteCommand(page, 'View: Close All Editors').catch(() => undefined);
  const row = await waitForTreeRow(page, new RegExp(`^${escapeRegExp(exp.name)}`), VIEW);
  await row.click();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
  await (await waitForTreeRow(page, new RegExp(`^${escapeRegExp(exp.runs[0]!.name)}`), VIEW)).click();
  // Every run of the experiment: the one expanded experiment's rows (experiment rows are not runs).
  for (const r of exp.runs.slice(1)) await (await waitForTreeRow(page, new RegExp(`^${escapeRegExp(r.name)}(?!\\d)`), VIEW)).click({ modifiers: ['Control'] });
  await paletteCommand(page, 'MLWF: Compare Selected Runs');
  await page.locator('.tab', { hasText: `Compare: ${exp.name} (${exp.runs.length} runs)` }).first().waitFor({ timeout: 30_000 });
  const web = activeWebview(page);
  await web.locator('.chart-card').first().waitFor({ timeout: 30_000 });
  return web;
}

async function legsOn(page: Page, rig: Rig, checks: Checks, server: RealServer): Promise<void> {
  const tag = `[real MLflow ${server.kit}]`;
  const step = async (message: string, fn: () => Promise<unknown>) => {
    const ok = await checks.step(`${tag} ${message}`, fn);
    if (!ok) await screenshot(page, `compare-groups-${server.kit}-failed`).catch(() => undefined);
    return ok;
  };
  const seeds = JSON.parse(await runRealClient(server, SCRIPT, [randomBytes(3).toString('hex')])) as Seeds;

  await step(`connects to ${server.trackingUri}`, async () => {
    await signInToRealServer(page, server);
    await expandView(page, VIEW);
  });
  await clearNotifications(page).catch(() => undefined);

  let web: FrameLocator | undefined;
  await step('compares the six runs: the val_loss history first, then rmse as bars', async () => {
    web = await compareExperiment(page, seeds.a);
    await web.locator('.chart-card[data-metric="rmse"][data-kind="bars"]').waitFor({ timeout: 20_000 });
    const order = await web.locator('.chart-grid > .chart-card').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-metric')}:${c.getAttribute('data-kind')}`));
    if (order.join() !== 'val_loss:history,rmse:bars') throw new Error(`cards ${order.join(', ')}`);
    await web.locator('.chart-card[data-metric="val_loss"] canvas').first().waitFor({ timeout: 20_000 });
  });
  if (!web) return;
  await page.waitForTimeout(800);
  await screenshot(page, `compare-groups-${server.kit}-01-bars`);

  await step("the rmse bars' values are the runs' rmse as the client logged them; the lowest is marked best", async () => {
    const bars = await cardValues(web!, 'rmse');
    if (bars.size !== seeds.a.runs.length) throw new Error(`${bars.size} bars`);
    for (const r of seeds.a.runs) {
      const bar = bars.get(r.run_id);
      if (!bar || !near(bar.value, r.rmse)) throw new Error(`${r.name}: bar ${bar?.value}, logged ${r.rmse}`);
    }
    const best = seeds.a.runs.reduce((a, b) => (b.rmse < a.rmse ? b : a));
    const marked = [...bars].filter(([, b]) => b.best).map(([id]) => id);
    if (marked.join() !== best.run_id) throw new Error(`best marked on ${marked.join()}, lowest rmse is ${best.name}`);
  });

  await step('a selected FINISHED run row keeps its own status picture (not a codicon in the run colour); the colour is on the ● badge', async () => {
    // The last run clicked: selected and focused, where VS Code paints codicons in the label's colour.
    const name = seeds.a.runs.at(-1)!.name;
    const row = treeRows(page, VIEW).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}`) }).first();
    const seen = await row.evaluate((el) => {
      type Styled = { className: string; style: { color: string }; remove(): void };
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundImage: string } };
      const icon = el.querySelector('.custom-view-tree-node-item-icon') as unknown as Styled | null;
      const label = el.querySelector('.label-name');
      // The decoration's badge is CSS generated content (::after) of an element of the label.
      const badges = [el, ...Array.from(el.querySelectorAll('*'))].map((e) => (g as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } }).getComputedStyle(e, '::after').content);
      return {
        badge: badges.some((c) => c.includes('●')),
        selected: (el.getAttribute('aria-selected') ?? '') === 'true',
        iconClass: icon?.className ?? '',
        iconImage: icon ? g.getComputedStyle(icon).backgroundImage : '',
        label: label ? g.getComputedStyle(label).color : '',
        text: el.textContent ?? '',
      };
    });
    if (!seen.selected) throw new Error(`${name} is not selected`);
    if (/codicon/.test(seen.iconClass) || !/run-status\/finished-(light|dark)\.svg/.test(decodeURIComponent(seen.iconImage))) throw new Error(`status icon ${seen.iconClass} ${seen.iconImage.slice(0, 120)}`);
    if (!seen.badge) throw new Error(`no ● badge on the row: ${seen.text}`);
  });
  await screenshot(page, `compare-groups-${server.kit}-01b-tree-selected`);

  const expected = expectedGroups(seeds.a);
  await step("grouped by the lr param: bars at each group's mean with its sample std, as computed from the client's values", async () => {
    await chooseOption(web!, 'group-by', /^\s*param lr\s*$/);
    await waitUntil(async () => (await cardValues(web!, 'rmse')).has('group:0.1'), 10_000, 'grouped bars');
    const bars = await cardValues(web!, 'rmse');
    for (const g of expected) {
      const bar = bars.get(`group:${g.lr}`);
      if (!bar || !near(bar.value, g.rmseMean) || !near(bar.std!, g.rmseStd) || bar.n !== g.n) throw new Error(`lr=${g.lr}: ${JSON.stringify(bar)} vs mean ${g.rmseMean} std ${g.rmseStd} n ${g.n}`);
    }
  });
  await step("the grouped val_loss chart: each group's mean ± std at the last step equal the client's values'", async () => {
    await waitUntil(async () => (await cardValues(web!, 'val_loss')).size === expected.length, 10_000, 'grouped history values');
    const lines = await cardValues(web!, 'val_loss');
    for (const g of expected) {
      const line = lines.get(`group:${g.lr}`);
      if (!line || !near(line.value, g.lastMean) || !near(line.std!, g.lastStd)) throw new Error(`lr=${g.lr}: ${JSON.stringify(line)} vs ${g.lastMean} ± ${g.lastStd}`);
    }
  });
  await page.waitForTimeout(500);
  await screenshot(page, `compare-groups-${server.kit}-02-grouped`);
  await step('the table shows mean ± std per group', async () => {
    await web!.locator('vscode-panel-tab#tab-table').click();
    const cells = await web!.locator('table.compare-table.grouped tr[data-key="metric:rmse"] td').evaluateAll((tds) => tds.map((td) => ({ mean: Number(td.getAttribute('data-mean')), std: Number(td.getAttribute('data-std')), text: td.textContent ?? '' })));
    const heads = await web!.locator('table.compare-table.grouped thead th[data-group]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-group') ?? ''));
    for (const g of expected) {
      const cell = cells[heads.indexOf(g.lr)];
      if (!cell || !near(cell.mean, g.rmseMean) || !near(cell.std, g.rmseStd) || !/±/.test(cell.text)) throw new Error(`lr=${g.lr}: ${JSON.stringify(cell)}`);
    }
  });
  await step('Copy as CSV, grouped: one row per group with its run count and the rmse mean and std', async () => {
    // The host writes VS Code's clipboard, which in code-server is the browser's.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await page.evaluate('navigator.clipboard.writeText("")');
    await web!.locator('vscode-button[data-name="copy-csv"]').click();
    let csv = '';
    await waitUntil(async () => (csv = await page.evaluate<string>('navigator.clipboard.readText()')).startsWith('params.lr,runs,'), 10_000, 'the grouped CSV on the clipboard');
    const [header, ...rows] = csv.trimEnd().split('\r\n').map((line) => line.split(','));
    const col = (name: string) => header!.indexOf(name);
    if (rows.length !== expected.length) throw new Error(`${rows.length} rows for ${expected.length} groups:\n${csv}`);
    // Six significant digits, as the table shows them.
    const close = (text: string | undefined, value: number) => Math.abs(Number(text) - value) <= 5e-6 * Math.max(1, Math.abs(value));
    for (const g of expected) {
      const row = rows.find((r) => r[0] === g.lr);
      if (!row || row[col('runs')] !== String(g.n) || !close(row[col('metrics.rmse mean')], g.rmseMean) || !close(row[col('metrics.rmse std')], g.rmseStd)) throw new Error(`lr=${g.lr}: ${row?.join(',')} (header ${header!.join(',')})`);
    }
    await web!.locator('vscode-panel-tab#tab-charts').click();
  });
  await screenshot(page, `compare-groups-${server.kit}-03-table`);

  const viewsFile = path.join(rig.workspace, '.vscode', 'mlwf-views.json');
  const viewName = `seeds by lr ${server.kit}`;
  await step(`saves the set-up as "${viewName}" in .vscode/mlwf-views.json`, async () => {
    await chooseOption(web!, 'band', /min–max/);
    await web!.locator('vscode-button[data-name="save-view"]').click();
    await answerInputBox(page, viewName, { prompt: /Name of the view/ });
    await waitForNotification(page, new RegExp(`Saved the compare view "${escapeRegExp(viewName)}"`));
    const saved = (JSON.parse(fs.readFileSync(viewsFile, 'utf8')) as { views: Record<string, { metrics: string[]; groupBy: unknown; band: string }> }).views[viewName];
    if (!saved || saved.metrics.join() !== 'val_loss,rmse' || JSON.stringify(saved.groupBy) !== '{"kind":"param","key":"lr"}' || saved.band !== 'minMax') throw new Error(`saved ${JSON.stringify(saved)}`);
  });
  await clearNotifications(page).catch(() => undefined);

  await step('applies the view to the runs of another experiment: grouped by lr, min–max, its mean and spread from those runs', async () => {
    await page.keyboard.press('Escape');
    const row = await waitForTreeRow(page, new RegExp(`^${escapeRegExp(seeds.a.name)}`), VIEW);
    await row.click();
    if ((await row.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('ArrowLeft');
    const other = await compareExperiment(page, seeds.b);
    await other.locator('vscode-button[data-name="apply-view"]').click();
    await pickQuickItem(page, viewName);
    await waitUntil(async () => (await cardValues(other, 'rmse')).has('group:0.3'), 15_000, 'the view applied').catch(async (e: unknown) => {
      const shown = await other.locator('vscode-dropdown[data-name="group-by"]').evaluate((d) => (d as unknown as { value: string }).value).catch(() => '?');
      throw new Error(`${e instanceof Error ? e.message : String(e)} (group-by shows "${shown}", bars ${JSON.stringify([...(await cardValues(other, 'rmse')).keys()])})`);
    });
    const bars = await cardValues(other, 'rmse');
    for (const g of expectedGroups(seeds.b)) {
      const runs = seeds.b.runs.filter((r) => r.lr === g.lr).map((r) => r.rmse);
      const bar = bars.get(`group:${g.lr}`);
      if (!bar || !near(bar.value, g.rmseMean) || !near(bar.std!, g.rmseStd)) throw new Error(`lr=${g.lr}: ${JSON.stringify(bar)} vs ${g.rmseMean}`);
      if (runs.length !== 2) throw new Error('fixture');
    }
    const shown = async (name: string) => other.locator(`vscode-dropdown[data-name="${name}"]`).evaluate((d) => (d as unknown as { value: string }).value);
    if ((await shown('band')) !== 'minMax') throw new Error(`band ${await shown('band')}`);
    if ((await shown('group-by')) !== 'param:lr') throw new Error(`the group-by control shows ${await shown('group-by')}`);
  });
  await page.waitForTimeout(500);
  await screenshot(page, `compare-groups-${server.kit}-04-applied`);

  await step('the palette\'s "Save Compare View…" saves the focused comparison beside the first view', async () => {
    // Keys must reach the workbench, not the page's focused "Apply View…" button.
    await page.locator('.tab', { hasText: `Compare: ${seeds.b.name}` }).first().click();
    // The click focuses the webview a moment later: a palette opened before that lost its focus
    // to the webview and closed (the step's only failures). Once the frame holds the focus, F1 is
    // forwarded to the workbench and the palette keeps it.
    await waitUntil(async () => page.evaluate<boolean>("document.activeElement?.tagName === 'IFRAME'"), 5_000, 'the webview to take the focus').catch(() => undefined);
    await paletteCommand(page, 'MLWF: Save Compare View…');
    await answerInputBox(page, `palette ${server.kit}`, { prompt: /Name of the view/ });
    await waitForNotification(page, new RegExp(`Saved the compare view "palette ${escapeRegExp(server.kit)}"`));
    const views = (JSON.parse(fs.readFileSync(viewsFile, 'utf8')) as { views: Record<string, { groupBy: unknown }> }).views;
    if (!views[viewName] || JSON.stringify(views[`palette ${server.kit}`]?.groupBy) !== '{"kind":"param","key":"lr"}') throw new Error(`views ${JSON.stringify(Object.keys(views))}`);
  });
  await clearNotifications(page).catch(() => undefined);

  await step('a broken views file: a clear error with Open File, and the file is left as it was', async () => {
    const broken = '{ "version": 1, "views": { // a comment\n } }\n';
    fs.writeFileSync(viewsFile, broken);
    await activeWebview(page).locator('vscode-button[data-name="apply-view"]').click();
    await waitForNotification(page, /Could not read the saved compare views: .*not valid JSON.*The file was not changed/);
    if (fs.readFileSync(viewsFile, 'utf8') !== broken) throw new Error('the file was changed');
  });
  await screenshot(page, `compare-groups-${server.kit}-05-broken-file`);
  fs.rmSync(viewsFile, { force: true });
  await clearNotifications(page).catch(() => undefined);
  await paletteCommand(page, 'View: Close All Editors').catch(() => undefined);
  await collapseAll(page);
}

async function collapseAll(page: Page): Promise<void> {
  const header = viewPane(page, VIEW).locator('.pane-header').first();
  await header.hover().catch(() => undefined);
  await viewPane(page, VIEW).locator('.action-label[aria-label*="Collapse"]').first().click({ timeout: 3_000 }).catch(() => undefined);
}

void uiTest('compareGroups.ui', async ({ page, rig, checks }) => {
  const skipped = realMlflowSkipReason();
  if (skipped) {
    checks.skip(skipped);
    return;
  }
  // Under npm test the shared servers; alone, servers of this file's own (empty, quick to start).
  const own: OwnRealServer[] = [];
  let servers: RealServer[];
  if (process.env.MLWF_REAL_MLFLOW) {
    const shared = await realMlflowServers();
    if (!Array.isArray(shared)) {
      checks.skip(shared.skipped);
      return;
    }
    servers = shared;
  } else {
    own.push(...(await Promise.all(REAL_KITS.map((kit) => startRealMlflow(kit)))));
    servers = own;
  }
  // The page's own errors (a throw in the webview shows only in the browser's console).
  page.on('console', (m) => {
    if (m.type() === 'error' || /MLWF compare/.test(m.text())) console.log(`    [browser ${m.type()}] ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => console.log(`    [page error] ${e.message.slice(0, 300)}`));
  try {
    await checks.step('workbench loads and the MLflow side bar opens', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      const models = viewPane(page, 'Models').locator('.pane-header').first();
      if ((await models.getAttribute('aria-expanded').catch(() => null)) === 'true') await models.click();
    });
    for (const server of servers) await legsOn(page, rig, checks, server);
  } finally {
    await Promise.all(own.map((s) => s.stop()));
  }
});
