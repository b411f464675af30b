// A folder the user has not trusted (Restricted Mode), as a cloned repository opens: MLWF still
// runs (untrustedWorkspaces "limited"), but the folder's own settings cannot point it at a server
// (the tracking URL is a restricted setting, so credentials never go where a stranger's folder
// says), and nothing runs the folder's scripts: Build Container is refused with a way to trust it.
// The rig starts this file's code-server with workspace trust on (NAME.untrusted.ui.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  openMlflowContainer,
  openWorkbench,
  runCommand,
  screenshot,
  statusBarTexts,
  uiTest,
  waitForNotification,
  waitForStatusBarItem,
  welcomeButton,
} from './lib';

void uiTest('restricted.untrusted.ui', async ({ page, rig, checks }) => {
  if (!rig.trackingUri) throw new Error('MLWF_TEST_* variables are missing');
  // The folder's own settings name the (real, reachable) test server.
  mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(rig.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlwf.trackingUri': rig.trackingUri }, null, 2));

  await checks.step('workbench loads in Restricted Mode', async () => {
    await openWorkbench(page, rig);
    await waitForStatusBarItem(page, /Restricted Mode/, 30_000);
  });
  await checks.step('MLflow side bar opens (MLWF runs in untrusted folders, limited)', () => openMlflowContainer(page));
  await checks.step('the folder\'s tracking URL is ignored: still the "Connect to MLflow Server…" welcome', () =>
    welcomeButton(page, 'Experiments', 'Connect to MLflow Server…').waitFor({ timeout: 30_000 }),
  );
  await checks.step('the status bar says not connected', () => waitForStatusBarItem(page, /MLflow: not connected/, 15_000));
  const texts = await statusBarTexts(page);
  checks.check(!texts.some((t) => t.includes(new URL(rig.trackingUri!).host)), 'no status bar item names the folder\'s server');
  await screenshot(page, 'restricted-01-not-connected');

  await checks.step('MLWF: Build Container is refused, with "Manage Workspace Trust"', async () => {
    await runCommand(page, 'MLWF: Build Container');
    const note = await waitForNotification(page, /runs scripts of this workspace, so it needs a trusted workspace/);
    await note.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).first().waitFor({ timeout: 5_000 });
  });
  await screenshot(page, 'restricted-02-build-refused');
});
