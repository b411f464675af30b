// The "Get started with MLWF" walkthrough in the real workbench: it is listed, opens with its six
// steps in the order of the journey, and its first button runs our Connect command.
import { openWorkbench, pickQuickItem, runCommand, screenshot, uiTest, waitUntil } from './lib';

const STEPS = [
  "Connect to your group's MLflow server",
  'Browse experiments, runs and models',
  'Compare runs and pick the best',
  'Export the model version',
  'Finish info.yaml for ABCI Datasets',
  'Build the container on a compute node',
];

void uiTest('walkthrough.ui', async ({ page, rig, checks }) => {
  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('"Welcome: Open Walkthrough…" lists and opens "Get started with MLWF"', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickItem(page, /Get started with MLWF/);
  });
  const editor = page.locator('.gettingStartedContainer').first();
  await checks.step('its six steps are shown in the order of the journey', async () => {
    await editor.waitFor({ timeout: 20_000 });
    await waitUntil(async () => {
      const titles = (await editor.locator('.getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
      return STEPS.every((s, i) => titles[i] === s);
    }, 15_000, 'the six step titles');
  });
  await screenshot(page, 'walkthrough-01-steps');
  await checks.step('the first step\'s button runs MLWF: Connect (asks for the tracking URL)', async () => {
    await editor.locator('.getting-started-step', { hasText: STEPS[0] }).first().click();
    await editor.locator('a, .monaco-button', { hasText: 'Connect to MLflow Server…' }).first().click({ timeout: 10_000 });
    const widget = page.locator('.quick-input-widget').first();
    await waitUntil(async () => /Tracking server URL/.test(await widget.innerText().catch(() => '')), 10_000, 'the tracking URL prompt');
  });
  await screenshot(page, 'walkthrough-02-connect');
  await page.keyboard.press('Escape');
});
