// Exporting a model version as a researcher does it: right-click a version in the Models view →
// "Export Model Version…", watch the progress (files, bytes, rate, ETA), get info.yaml opened and
// a notification; then start another export from the palette (model, then alias) and Cancel it
// mid-download: nothing is left in the workspace. Against the test MLflow server behind nginx.
import * as fs from 'node:fs';
import {
  answerInputBox,
  clearNotifications,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  runCommand,
  screenshot,
  scrollToTreeRow,
  uiTest,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
} from './lib';

const WINE_PKL = '/api/2.0/mlflow-artifacts/artifacts/1/fdc0413dbe594808a9e7f4ac1b68800c/artifacts/model/model.pkl';
const LLM_WEIGHTS = '/api/2.0/mlflow-artifacts/artifacts/2/dcc3e2fd33314388a51eb3cfadb16bd5/artifacts/model/artifacts/weights/adapter_model.bin';

async function slowDown(directUrl: string, pathPrefix: string, delayMs: number): Promise<void> {
  const res = await fetch(`${directUrl}/__admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pathPrefix, mode: 'delay', delayMs, count: 1 }) });
  if (!res.ok) throw new Error(`admin faults: ${res.status}`);
}

const exportsIn = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('MLWFExportModel_'));

void uiTest('export.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password, directUrl } = rig;
  if (!trackingUri || !username || !password || !directUrl) throw new Error('MLWF_TEST_* variables are missing');
  const before = exportsIn(rig.workspace);

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('connects through the palette', async () => {
    await runCommand(page, 'MLWF: Connect to MLflow Server…');
    await answerInputBox(page, trackingUri, { prompt: /Tracking server URL/ });
    await answerInputBox(page, username, { prompt: /User name/ });
    await answerInputBox(page, password, { prompt: /Password for/ });
    await waitForNotification(page, /Signed in to/);
  });
  await clearNotifications(page).catch(() => undefined);
  await checks.step('Models view shows ElasticnetWineModel version 1', async () => {
    await expandView(page, 'Models');
    await (await waitForTreeRow(page, /ElasticnetWineModel/, 'Models')).click();
    await waitForTreeRow(page, /Version \d+\b/, 'Models');
    await scrollToTreeRow(page, /Version 1\b.*@champion/, 'Models');
  });

  // The model file answers slowly, so the progress notification can be seen and photographed.
  await slowDown(directUrl, WINE_PKL, 4000);
  await checks.step('right-click → Export Model Version… starts an export with progress', async () => {
    await (await scrollToTreeRow(page, /Version 1\b.*@champion/, 'Models')).click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Export Model Version…' }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await item.click();
    // A click during the menu's opening animation can be lost: the keyboard picks the focused item then.
    await page.waitForTimeout(500);
    if (await item.isVisible().catch(() => false)) await page.keyboard.press('Enter');
    await waitForNotification(page, /Exporting ElasticnetWineModel version 1/, 10_000);
    await waitForNotification(page, /Downloading \d+\/6 files/, 10_000);
  });
  await screenshot(page, 'export-01-progress');

  await checks.step('the export finishes: a notification, info.yaml open in an editor', async () => {
    await waitForNotification(page, /Exported ElasticnetWineModel version 1 to MLWFExportModel_\d{14}/, 30_000);
    await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().waitFor({ timeout: 15_000 });
    await waitUntil(async () => /Name:\s+ElasticnetWineModel/.test(await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')), 15_000, 'info.yaml text');
  });
  await checks.step('the notification offers Reveal in Explorer and Open Folder', async () => {
    const note = await waitForNotification(page, /Exported ElasticnetWineModel/);
    await note.locator('.monaco-button', { hasText: 'Reveal in Explorer' }).first().waitFor({ timeout: 5_000 });
    await note.locator('.monaco-button', { hasText: 'Open Folder' }).first().waitFor({ timeout: 5_000 });
  });
  await screenshot(page, 'export-02-result');
  const afterFirst = exportsIn(rig.workspace);
  checks.check(afterFirst.length === before.length + 1 && afterFirst.every((n) => /^MLWFExportModel_\d{14}(_\d+)?$/.test(n)), 'exactly one new MLWFExportModel_* folder in the workspace', afterFirst.join(', '));

  await clearNotifications(page).catch(() => undefined);
  await slowDown(directUrl, LLM_WEIGHTS, 15_000);
  await checks.step('from the palette: pick the model, then the alias', async () => {
    await runCommand(page, 'MLWF: Export Model Version…');
    await pickQuickItem(page, /Cerebras-GPT-590M/);
    await pickQuickItem(page, /@production/);
    await waitForNotification(page, /Exporting Cerebras-GPT-590M@production/, 10_000);
  });
  await checks.step('Cancel in the middle of the download: the export says so and leaves nothing', async () => {
    const progress = await waitForNotification(page, /Downloading \d+\/\d+ files/, 10_000);
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await waitForNotification(page, /The export was cancelled and nothing was left behind\./, 10_000);
    await waitUntil(async () => exportsIn(rig.workspace).length === afterFirst.length, 5_000, 'no new or partial export folder');
  });
  await screenshot(page, 'export-03-cancelled');
});
