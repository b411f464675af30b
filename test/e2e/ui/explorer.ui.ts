// Browsing runs as a researcher does: sign in, open an experiment, read the runs' metrics and
// ages, open a run's parameters and metrics, see an HTML-looking run name as plain text, and
// filter the runs. Against the test MLflow server behind the real nginx ('demo' scenario).
import {
  answerInputBox,
  clearNotifications,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeRowTexts,
  treeRows,
  uiTest,
  viewPane,
  waitForTreeRow,
  waitUntil,
} from './lib';
import { collapseView, signInFromWelcome } from './workbench';

const VIEW = 'Experiments';

void uiTest('explorer.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('signs in through "Connect to MLflow Server…"', async () => {
    await signInFromWelcome(page, VIEW, { trackingUri, username, password });
  });
  await screenshot(page, 'explorer-00-signed-in');
  await clearNotifications(page).catch(() => undefined);
  // The tree renders only visible rows: give the Experiments view the side bar's full height.
  await collapseView(page, 'Models');

  await checks.step('the experiments of the server are listed with their ids', async () => {
    await waitForTreeRow(page, /wine-quality\s*updated .*#1/, VIEW);
    await waitForTreeRow(page, /image-classification\s*updated .*#4/, VIEW);
  });
  await screenshot(page, 'explorer-01-experiments');

  await checks.step('expanding wine-quality shows its runs with rmse and age', async () => {
    await (await waitForTreeRow(page, /wine-quality/, VIEW)).click();
    await waitForTreeRow(page, /elasticnet-a0\.1-l0\.2\s*rmse [\d.]+ · /, VIEW);
  });
  const runRows = await treeRowTexts(page, VIEW);
  checks.check(!runRows.some((t) => /^fold-\d/.test(t)), 'nested fold-* runs are not at the top level', runRows.join(' | '));
  checks.check(runRows.some((t) => /^cv-search/.test(t)), 'their parent cv-search is');
  await screenshot(page, 'explorer-02-runs');

  await checks.step('expanding a run shows Parameters, Metrics and Tags', async () => {
    await (await waitForTreeRow(page, /elasticnet-a0\.1-l0\.2/, VIEW)).click();
    await waitForTreeRow(page, /^Parameters/, VIEW);
    await waitForTreeRow(page, /^Metrics/, VIEW);
    await waitForTreeRow(page, /^Tags/, VIEW);
  });
  await checks.step('the run\'s metrics show latest value and step', async () => {
    await (await waitForTreeRow(page, /^Metrics/, VIEW)).click();
    await waitForTreeRow(page, /rmse = [\d.]+\s*step \d+/, VIEW);
  });
  await screenshot(page, 'explorer-03-run-details');

  await checks.step('cv-search expands to its fold runs', async () => {
    await (await waitForTreeRow(page, /^Metrics/, VIEW)).click(); // collapse again
    await (await waitForTreeRow(page, /elasticnet-a0\.1-l0\.2/, VIEW)).click();
    await (await waitForTreeRow(page, /^cv-search/, VIEW)).click();
    await waitForTreeRow(page, /^fold-0/, VIEW);
  });
  await screenshot(page, 'explorer-04-nested-runs');

  await checks.step('a run named like HTML shows as text', async () => {
    await (await waitForTreeRow(page, /^cv-search/, VIEW)).click();
    await (await waitForTreeRow(page, /^wine-quality/, VIEW)).click();
    await (await waitForTreeRow(page, /image-classification/, VIEW)).click();
    await waitForTreeRow(page, '<img src=x onerror=alert(1)>', VIEW);
  });
  checks.check((await page.locator('.part.sidebar img[src="x"]').count()) === 0, 'no <img src=x> element exists in the side bar');
  await screenshot(page, 'explorer-05-html-name-as-text');

  await checks.step('filters the runs with an MLflow filter', async () => {
    await runCommand(page, 'MLWF: Filter Runs…');
    await pickQuickItem(page, /image-classification/);
    await answerInputBox(page, "params.lr = '0.1'", { prompt: /MLflow filter/ });
    await waitUntil(async () => {
      const texts = await treeRowTexts(page, VIEW);
      return texts.some((t) => /^resnet50-lr0\.1/.test(t)) && !texts.some((t) => /^resnet50-lr0\.01/.test(t));
    }, 15_000, 'only runs with lr 0.1');
  });
  await checks.step('the view says a filter is active', () =>
    page.locator('.part.sidebar .pane-header', { hasText: /Filtered/ }).first().waitFor({ timeout: 10_000 }),
  );
  await screenshot(page, 'explorer-06-filtered');

  await checks.step('an invalid filter shows MLflow\'s message in the tree', async () => {
    await runCommand(page, 'MLWF: Filter Runs…');
    await pickQuickItem(page, /image-classification/);
    await answerInputBox(page, 'params.lr ~ 1', { prompt: /MLflow filter/ });
    await waitForTreeRow(page, /Could not load runs: the server refused the request/, VIEW);
  });
  await screenshot(page, 'explorer-07-invalid-filter');

  await checks.step('MLWF: Find Run… finds a nested run by part of its name and selects it in the tree', async () => {
    await runCommand(page, 'MLWF: Find Run…');
    await quickInput(page).fill('fold-2');
    await pickQuickItem(page, /fold-2/);
    await viewPane(page, VIEW).locator('.monaco-list-row.selected', { hasText: /fold-2/ }).first().waitFor({ timeout: 15_000 });
  });
  await screenshot(page, 'explorer-08-find-run');
  checks.check((await treeRows(page, VIEW).count()) > 0, 'the tree is not empty');
});
