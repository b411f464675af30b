// UI smoke test in the real VS Code workbench (code-server + Chromium), as a user sees it:
// the workbench loads with the unpacked extension, the MLflow activity-bar icon is there, and with
// no server configured the Experiments view welcomes the user with "Connect to MLflow Server…".
// Run through: bash test/e2e/run-in-code-server.sh ui
import {
  activityBarItem,
  openMlflowContainer,
  openWorkbench,
  screenshot,
  treeRowTexts,
  uiTest,
  viewPane,
  waitForStatusBarItem,
  welcomeButton,
} from './lib';

void uiTest('smoke.ui', async ({ page, rig, checks }) => {
  await checks.step('workbench loads', () => openWorkbench(page, rig));

  const icon = activityBarItem(page, 'MLflow');
  const iconShown = await checks.step('MLflow icon appears in the activity bar', () => icon.waitFor({ timeout: 60_000 }));
  await screenshot(page, 'smoke-01-workbench');
  if (!iconShown) return;

  await checks.step('clicking the MLflow icon opens the MLflow side bar', () => openMlflowContainer(page));
  await checks.step('the Experiments view is shown', () => viewPane(page, 'Experiments').first().waitFor({ timeout: 15_000 }));
  await checks.step('the Models view is shown', () => viewPane(page, 'Models').first().waitFor({ timeout: 15_000 }));

  const connect = welcomeButton(page, 'Experiments', 'Connect to MLflow Server…');
  await checks.step('Experiments view (no server configured) shows the "Connect to MLflow Server…" button', () =>
    connect.waitFor({ timeout: 30_000 }),
  );
  checks.check((await treeRowTexts(page, 'Experiments')).length === 0, 'Experiments view lists no experiments while unconfigured');
  await checks.step('the status bar has an MLflow item', () => waitForStatusBarItem(page, /MLflow/, 15_000));
  await screenshot(page, 'smoke-02-experiments-welcome');
});
