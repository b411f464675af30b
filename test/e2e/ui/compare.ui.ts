// Comparing runs as a researcher does: select runs in the Experiments view, run "Compare
// Selected Runs", read the charts (two metrics drawn), the table (values equal to what the REST
// API returns, "only differences"), see an HTML-looking run name as text, and reload the window
// to find the comparison still there. Against the test MLflow server behind nginx ('demo').
import type { FrameLocator, Page } from 'playwright-core';
import { formatCell } from '../../../webview/src/panels/compare/tableModel';
import {
  activeWebview,
  answerInputBox,
  clearNotifications,
  openMlflowContainer,
  openWorkbench,
  quickInput,
  REPO_ROOT,
  runCommand,
  screenshot,
  uiTest,
  waitForTreeRow,
  waitUntil,
  type Rig,
} from './lib';
import { collapseView, signInFromWelcome } from './workbench';
import * as fs from 'node:fs';
import * as path from 'node:path';

const VIEW = 'Experiments';
const XSS = '<img src=x onerror=alert(1)>';

interface RestRun {
  info: { run_id: string; run_name: string };
  data: { params?: Array<{ key: string; value: string }>; metrics?: Array<{ key: string; value: number }> };
}

/** The run as the REST API returns it, through nginx with the rig's credentials. */
async function restRun(rig: Rig, runId: string): Promise<RestRun> {
  const url = new URL(`api/2.0/mlflow/runs/get?run_id=${runId}`, rig.trackingUri!.replace(/\/?$/, '/'));
  const auth = Buffer.from(`${rig.username}:${rig.password}`).toString('base64');
  const response = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
  if (!response.ok) throw new Error(`runs/get → ${response.status}`);
  return ((await response.json()) as { run: RestRun }).run;
}

/** True when the canvas has more than one colour: something was drawn on it. */
async function canvasHasDrawing(frame: FrameLocator, selector: string): Promise<boolean> {
  return frame.locator(selector).first().evaluate((canvas: { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null; width: number; height: number }) => {
    const g = canvas.getContext('2d');
    if (!g || canvas.width === 0 || canvas.height === 0) return false;
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length && colours.size < 20; i += 4 * 97) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size > 3;
  });
}

async function selectRunRange(page: Page, first: RegExp, last: RegExp): Promise<void> {
  await (await waitForTreeRow(page, first, VIEW)).click();
  await (await waitForTreeRow(page, last, VIEW)).click({ modifiers: ['Shift'] });
}

void uiTest('compare.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  // The page runs under a strict CSP: anything it (or ECharts, or the toolkit) tries that the
  // policy refuses shows up as a console message in Chromium.
  const cspViolations: string[] = [];
  // The workbench's own queries to the rig's local extension gallery (plain http, which the
  // workbench's CSP refuses) are not the panel's doing.
  const gallery = process.env.MLWF_TEST_GALLERY_PORT ? `127.0.0.1:${process.env.MLWF_TEST_GALLERY_PORT}/vscode/` : undefined;
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text) && !(gallery && text.includes(gallery))) cspViolations.push(text);
  });
  let alerted = false;
  page.on('dialog', (dialog) => {
    alerted = true;
    void dialog.dismiss();
  });

  await checks.step('workbench loads and signs in', async () => {
    await openWorkbench(page, rig);
    await openMlflowContainer(page);
    await signInFromWelcome(page, VIEW, { trackingUri, username, password });
  });
  await clearNotifications(page).catch(() => undefined);
  await collapseView(page, 'Models');

  await checks.step('selects the three llm-finetune runs and runs "MLWF: Compare Selected Runs"', async () => {
    await (await waitForTreeRow(page, /^llm-finetune/, VIEW)).click();
    await selectRunRange(page, /^ft-lr0\.0001-bs8/, /^ft-lr2e-05-bs16/);
    await runCommand(page, 'MLWF: Compare Selected Runs');
    await page.locator('.tab', { hasText: 'Compare: llm-finetune (3 runs)' }).first().waitFor({ timeout: 20_000 });
  });

  const web = activeWebview(page);
  await checks.step('the page shows the runs in the legend', () => web.locator('.legend .run-name', { hasText: 'ft-lr5e-05-bs16' }).waitFor({ timeout: 30_000 }));
  await checks.step('charts loss and eval_loss (two metrics at once)', async () => {
    await web.locator('.chart-card[data-metric="loss"]').waitFor({ timeout: 20_000 });
    if ((await web.locator('.chart-card[data-metric="eval_loss"]').count()) === 0) await web.locator('vscode-checkbox[data-name="metric:eval_loss"]').click();
    if ((await web.locator('.chart-card[data-metric="learning_rate"]').count()) > 0) await web.locator('vscode-checkbox[data-name="metric:learning_rate"]').click();
    await web.locator('.chart-card[data-metric="learning_rate"]').waitFor({ state: 'detached', timeout: 5_000 });
    await web.locator('.chart-card[data-metric="eval_loss"] canvas').first().waitFor({ timeout: 20_000 });
    await web.locator('.chart-card[data-metric="loss"] canvas').first().waitFor({ timeout: 20_000 });
  });
  await page.waitForTimeout(800); // let ECharts finish its first frame
  for (const metric of ['loss', 'eval_loss']) {
    checks.check(await canvasHasDrawing(web, `.chart-card[data-metric="${metric}"] canvas`), `the ${metric} chart has lines drawn on its canvas`);
  }
  const shot = await screenshot(page, 'compare-01-charts');

  await checks.step('hovering a chart shows run, step and value', async () => {
    const chart = web.locator('.chart-card[data-metric="loss"] .chart').first();
    const box = await chart.boundingBox();
    if (!box) throw new Error('no chart box');
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await web.locator('.tip .tip-row .tip-run', { hasText: /^ft-/ }).first().waitFor({ timeout: 10_000 });
    const head = await web.locator('.tip .tip-head').first().innerText();
    if (!/loss · Step \d+/.test(head)) throw new Error(`tooltip head "${head}"`);
  });
  await screenshot(page, 'compare-02-tooltip');

  // Drawn by step, the histories came without timestamps (8 bytes a point); a wall-time x axis
  // makes every chart ask for them, and the hover then names a date instead of a step.
  await checks.step('the wall-time x axis fetches the timestamps it needs: the hover shows a date', async () => {
    await web.locator('vscode-dropdown[data-name="x-axis"]').click();
    await web.locator('vscode-dropdown[data-name="x-axis"] vscode-option', { hasText: /^\s*Wall time\s*$/ }).first().click();
    await page.waitForTimeout(1500); // the re-fetch and ECharts' redraw
    const chart = web.locator('.chart-card[data-metric="loss"] .chart').first();
    const box = await chart.boundingBox();
    if (!box) throw new Error('no chart box');
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await waitUntil(async () => /loss · Wall time .*\d{4}/.test(await web.locator('.tip .tip-head').first().innerText().catch(() => '')), 15_000, 'a wall-time tooltip');
    const head = await web.locator('.tip .tip-head').first().innerText();
    const year = Number(/\b(\d{4})\b/.exec(head)?.[1]);
    // A step drawn as the x (no timestamps came) has neither a year nor a clock time.
    if (!(year >= 2020 && year <= 2100) || !/\d:\d\d/.test(head)) throw new Error(`tooltip head "${head}": not a date and time of the logged points`);
    await web.locator('vscode-dropdown[data-name="x-axis"]').click();
    await web.locator('vscode-dropdown[data-name="x-axis"] vscode-option', { hasText: /^\s*Step\s*$/ }).first().click();
  });

  await checks.step('"Export PNG…" saves the chart through the save dialog as a PNG file', async () => {
    const target = path.join(rig.workspace, 'loss-export.png');
    await web.locator('.chart-card[data-metric="loss"] vscode-button[data-name="export-png"]').click();
    // code-server's save dialog is a quick input prefilled with the default name (loss.png).
    await waitUntil(async () => /loss\.png$/.test(await quickInput(page).inputValue().catch(() => '')), 15_000, 'the save dialog');
    await answerInputBox(page, target);
    await waitUntil(async () => fs.existsSync(target) && fs.statSync(target).size > 1000, 15_000, 'the PNG file');
    const head = fs.readFileSync(target).subarray(0, 8);
    if (!head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error(`not a PNG: ${head.toString('hex')}`);
  });

  await checks.step('parallel coordinates and the scatter plot draw the runs', async () => {
    await web.locator('vscode-panel-tab#tab-parallel').click();
    await web.locator('.relation-view .chart canvas').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    if (!(await canvasHasDrawing(web, '#view-parallel .chart canvas'))) throw new Error('the parallel chart is blank');
    await screenshot(page, 'compare-02b-parallel');
    await web.locator('vscode-panel-tab#tab-scatter').click();
    await web.locator('#view-scatter .chart canvas').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    if (!(await canvasHasDrawing(web, '#view-scatter .chart canvas'))) throw new Error('the scatter plot is blank');
    await screenshot(page, 'compare-02c-scatter');
  });

  await checks.step('the Table tab lists params and metrics with runs as columns', async () => {
    await web.locator('vscode-panel-tab#tab-table').click();
    await web.locator('table.compare-table tbody tr[data-key="metric:eval_loss"]').waitFor({ timeout: 10_000 });
  });
  const runIds = await web.locator('table.compare-table thead th[data-run-id]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id') ?? ''));
  checks.check(runIds.length === 3, 'three run columns', runIds.join(','));
  const mismatches: string[] = [];
  for (const [column, runId] of runIds.entries()) {
    const rest = await restRun(rig, runId);
    const expect = [
      ...(rest.data.params ?? []).map((p) => [`param:${p.key}`, formatCell(p.value)] as const),
      ...(rest.data.metrics ?? []).map((m) => [`metric:${m.key}`, formatCell(m.value)] as const),
    ];
    for (const [key, value] of expect) {
      const cell = web.locator(`table.compare-table tbody tr[data-key="${key}"] td`).nth(column);
      const text = (await cell.evaluate((td) => td.firstChild?.textContent ?? '')).trim();
      if (text !== value) mismatches.push(`${rest.info.run_name} ${key}: table "${text}" vs REST "${value}"`);
    }
  }
  checks.check(mismatches.length === 0, 'every table cell equals the REST API’s param/metric value', mismatches.slice(0, 5).join(' | '));
  checks.check((await web.locator('table.compare-table td.best').count()) > 0, 'a best value is highlighted');
  await screenshot(page, 'compare-03-table');

  await checks.step('"Only differences" hides rows where every run agrees', async () => {
    const before = await web.locator('table.compare-table tbody tr[data-key]').count();
    const same = await web.locator('table.compare-table tbody tr.same').count();
    if (same === 0) throw new Error('the runs share no value: nothing to hide');
    await web.locator('vscode-checkbox[data-name="only-differences"]').click();
    await waitUntil(async () => (await web.locator('table.compare-table tbody tr[data-key]').count()) === before - same, 5_000, `${before - same} rows`);
    if ((await web.locator('table.compare-table tbody tr.same').count()) !== 0) throw new Error('a row without differences is still shown');
  });
  await screenshot(page, 'compare-04-only-differences');

  await checks.step('follows the theme: run colours come from the theme and change with it (light → dark)', async () => {
    const swatch = web.locator('.legend .chip').first().locator('.swatch');
    const colour = () => swatch.evaluate((e) => (e as unknown as { style: { backgroundColor: string } }).style.backgroundColor);
    const before = await colour();
    // Run 1's contributed colour: #3b6a99 in light themes (code-server starts in Light Modern),
    // #4e79a7 in dark ones (package.json). The toggle goes to the preferred dark theme.
    if (before !== 'rgb(59, 106, 153)') throw new Error(`the light theme's run colour was ${before}`);
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await waitUntil(async () => (await colour()) === 'rgb(78, 121, 167)', 10_000, 'the dark run colour');
  });
  await screenshot(page, 'compare-04b-dark-theme');

  await checks.step('a run named like HTML is compared as text', async () => {
    await (await waitForTreeRow(page, /^llm-finetune/, VIEW)).click(); // collapse
    await (await waitForTreeRow(page, /^image-classification/, VIEW)).click();
    await selectRunRange(page, /^resnet50-lr0\.1(?!\d)/, /^<img src=x/);
    await runCommand(page, 'MLWF: Compare Selected Runs');

    await page.locator('.tab', { hasText: /Compare: image-classification \(5 runs\)/ }).first().waitFor({ timeout: 20_000 });
    await activeWebview(page).locator('.legend .run-name', { hasText: XSS }).waitFor({ timeout: 30_000 });
  });
  const xssWeb = activeWebview(page);
  checks.check((await xssWeb.locator('img').count()) === 0, 'no <img> element exists in the page');
  await xssWeb.locator('vscode-panel-tab#tab-table').click();
  await xssWeb.locator('table.compare-table thead th .run-name', { hasText: XSS }).waitFor({ timeout: 10_000 }).catch(() => undefined);
  checks.check((await xssWeb.locator('table.compare-table thead .run-name', { hasText: XSS }).count()) === 1, 'the table header shows the name as text');
  checks.check((await xssWeb.locator('table.compare-table td', { hasText: '<b>not bold</b>' }).count()) === 1, 'an HTML-looking param value is text too');
  checks.check((await xssWeb.locator('b').count()) === 0, 'no <b> element was made from it');
  checks.check(!alerted, 'no alert() ran');
  await screenshot(page, 'compare-05-html-name-as-text');

  await checks.step('reloading the window restores the comparison (serializer + setState)', async () => {
    await xssWeb.locator('vscode-panel-tab#tab-charts').click();
    await xssWeb.locator('vscode-checkbox[data-name="log-scale"]').click();
    // VS Code stores a webview's setState with its editor a few seconds later, not at once.
    await page.waitForTimeout(8000);
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: /Compare: image-classification \(5 runs\)/ }).first().waitFor({ timeout: 60_000 });
    const restored = activeWebview(page);
    await restored.locator('.legend .run-name', { hasText: XSS }).waitFor({ timeout: 60_000 });
    await restored.locator('.chart-card canvas').first().waitFor({ timeout: 30_000 });
    // The page's view state came back too: log scale is still on.
    await restored.locator('vscode-checkbox[data-name="log-scale"][aria-checked="true"]').waitFor({ timeout: 10_000 });
  });
  await screenshot(page, 'compare-06-restored');
  checks.check(!alerted, 'still no alert() after the reload');
  checks.check(cspViolations.length === 0, 'the page did nothing its Content Security Policy refuses', cspViolations.slice(0, 3).join(' | '));

  // The README's picture: the charts of the first comparison.
  if (process.env.MLWF_UPDATE_README_SCREENSHOT) fs.copyFileSync(shot, path.join(REPO_ROOT, 'media', 'screenshots', 'compare.png'));
});
