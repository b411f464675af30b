// The Models view as a researcher uses it: sign in, open Models, expand a registered model and a
// version (aliases, stages, the source run and its files), then open the MLmodel file of the
// version in an editor. Against the test MLflow server behind the real nginx ('demo' scenario).
import {
  answerInputBox,
  clearNotifications,
  expandView,
  openMlflowContainer,
  openWorkbench,
  runCommand,
  screenshot,
  scrollToTreeRow,
  treeRowTexts,
  treeRows,
  uiTest,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
} from './lib';

void uiTest('models.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');

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
  await checks.step('Models view is open', () => expandView(page, 'Models'));
  await checks.step('the registered models are listed with latest version and aliases', async () => {
    await waitForTreeRow(page, /ElasticnetWineModel/, 'Models');
    // Aliases first (the side bar cuts the end of a row), then the latest version.
    await waitForTreeRow(page, /ResNet50-CIFAR10\s*@champion → v1 · v2/, 'Models');
  });
  await checks.step('expands ElasticnetWineModel to its versions, newest first', async () => {
    await (await waitForTreeRow(page, /ElasticnetWineModel/, 'Models')).click();
    await waitForTreeRow(page, /Version \d+\b/, 'Models');
    await scrollToTreeRow(page, /Version 1\b.*@champion/, 'Models');
    const rows = (await treeRowTexts(page, 'Models')).filter((t) => /^Version \d+/.test(t)).map((t) => Number(/^Version (\d+)/.exec(t)![1]));
    if (rows.length < 2 || rows.some((v, i) => i > 0 && v > rows[i - 1]!)) throw new Error(`versions not newest first: ${rows.join(',')}`);
  });
  await checks.step('expands version 1 to its source run and files', async () => {
    await (await scrollToTreeRow(page, /Version 1\b.*@champion/, 'Models')).click();
    await scrollToTreeRow(page, /Source run\s*fdc0413dbe594808a9e7f4ac1b68800c/, 'Models');
    await (await scrollToTreeRow(page, /^\s*Artifacts\s*$/, 'Models')).click();
    // The tree is virtualised (rows below the fold do not exist): walk down with the keyboard,
    // which scrolls, until the MLmodel row is rendered.
    const mlmodel = treeRows(page, 'Models').filter({ hasText: /MLmodel/ }).first();
    await waitUntil(async () => {
      if (await mlmodel.isVisible().catch(() => false)) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 20_000, 'the MLmodel row', 300);
  });
  await screenshot(page, 'models-01-model-version-expanded');

  await checks.step('opens the MLmodel file in an editor', async () => {
    await (await waitForTreeRow(page, /MLmodel/, 'Models')).click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'MLmodel' }).first();
    await tab.waitFor({ timeout: 20_000 });
    await waitUntil(async () => /flavors:/.test(await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')), 20_000, 'MLmodel text in the editor');
  });
  await screenshot(page, 'models-02-mlmodel-open');
});
