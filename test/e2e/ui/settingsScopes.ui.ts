// The tracking URL read one way everywhere: set only in User settings, only in Remote settings
// (code-server's machine settings, what Remote-SSH calls "Remote [SSH: host]") or only in the
// Workspace, the status bar, both views' welcomes, the palette's Sign In and the status bar's
// click all name that server; Sign In asks for the user name of that server (never an empty
// URL box), and Re-enter Password after a refused password asks for the password alone.
// Against the test MLflow server behind the real nginx (Basic auth, /mlflow/ prefix).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  answerInputBox,
  clickNotificationButton,
  escapeRegExp,
  openMlflowContainer,
  openWorkbench,
  quickInput,
  screenshot,
  statusBarItems,
  statusBarTexts,
  uiTest,
  waitForNotification,
  waitForStatusBarItem,
  waitUntil,
  welcomeButton,
  type Rig,
} from './lib';
import { paletteCommand } from './workbench';

/** The settings files code-server reads for each scope (the rig's user data is the workspace's sibling). */
function scopeFiles(rig: Rig): Record<'User' | 'Remote' | 'Workspace', string> {
  const dir = path.dirname(rig.workspace);
  return {
    User: path.join(dir, 'ud', 'User', 'settings.json'),
    Remote: path.join(dir, 'ud', 'Machine', 'settings.json'),
    Workspace: path.join(rig.workspace, '.vscode', 'settings.json'),
  };
}

function readSettings(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {}; // no file yet (or VS Code's comments in it: not the case in the rig)
  }
}

/** The open input box's whole text (title, prompt, value) and its value. */
async function inputBox(page: Page): Promise<{ text: string; value: string }> {
  const widget = page.locator('.quick-input-widget').first();
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(300); // the title and prompt are set right after the box shows
  return { text: (await widget.innerText()).replace(/\s+/g, ' '), value: await quickInput(page).inputValue() };
}

async function closeInputBox(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 5_000 });
}

void uiTest('settingsScopes.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  const server = new URL(trackingUri).host;
  const files = scopeFiles(rig);

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('unconfigured at first', () => waitForStatusBarItem(page, /MLflow: not connected/));

  // Settings are edited as a user does, in the Settings editor's User / Remote / Workspace tab (a
  // settings file written behind the workbench's back is not always noticed by code-server).
  // Emptying the field leaves "" in that scope, which hides the scopes below it: so the scopes
  // are tried from the lowest (User) to the highest (Workspace), each overriding the one before.
  const apply = async (scope: keyof typeof files, value: string | undefined, status: RegExp): Promise<void> => {
    await paletteCommand(page, 'Preferences: Open Settings (UI)');
    const editor = page.locator('.settings-editor').first();
    await editor.locator('.settings-header').first().waitFor({ timeout: 20_000 });
    await editor.locator('.settings-tabs-widget .action-label', { hasText: new RegExp(`^${scope}`) }).first().click({ timeout: 10_000 });
    await editor.locator('.settings-header .suggest-input-container').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('mlwf.trackingUri');
    const item = editor.locator('.settings-body .setting-item', { hasText: /Tracking Uri/ }).first();
    const input = item.locator('input').first();
    await input.waitFor({ timeout: 20_000 });
    await input.fill(value ?? '');
    await input.press('Tab');
    await waitUntil(async () => ((readSettings(files[scope])['mlwf.trackingUri'] as string | undefined) ?? '') === (value ?? ''), 15_000, `mlwf.trackingUri in ${files[scope]}`);
    await page.locator('.tabs-container .tab.active', { hasText: 'Settings' }).first().locator('.tab-actions .action-label').first().click().catch(() => undefined);
    await waitForStatusBarItem(page, status, 20_000);
  };

  for (const scope of ['User', 'Remote', 'Workspace'] as const) {
    await checks.step(`${scope}: the status bar sees the server and asks to sign in`, () => apply(scope, trackingUri, /MLflow: sign in/));
    await checks.step(`${scope}: the Experiments welcome offers Sign In…`, () => welcomeButton(page, 'Experiments', 'Sign In…').waitFor({ timeout: 15_000 }));
    await checks.step(`${scope}: the Models welcome says the same (Sign In…)`, () => welcomeButton(page, 'Models', 'Sign In…').waitFor({ timeout: 15_000 }));

    const entries: [string, () => Promise<void>][] = [
      ['the palette', () => paletteCommand(page, 'MLWF: Sign In to MLflow Server…')],
      ['the Experiments welcome', () => welcomeButton(page, 'Experiments', 'Sign In…').click()],
      ['the Models welcome', () => welcomeButton(page, 'Models', 'Sign In…').click()],
      ['the status bar', () => statusBarItems(page).filter({ hasText: /MLflow: sign in/ }).first().click()],
    ];
    for (const [where, open] of entries) {
      const opened = await checks.step(`${scope}: Sign In from ${where} opens an input box`, async () => {
        await open();
        await page.locator('.quick-input-widget').first().waitFor({ state: 'visible', timeout: 15_000 });
      });
      if (!opened) continue;
      const box = await inputBox(page);
      checks.check(
        box.text.includes(`Sign in to ${server}`) && /User name/.test(box.text) && !/Tracking server URL/.test(box.text),
        `${scope}: Sign In from ${where} asks for the user name of ${server}`,
        box.text,
      );
      await closeInputBox(page);
    }
    if (scope === 'User') await screenshot(page, 'settingsScopes-01-user-scope-sign-in');
    const gone = await checks.step(`${scope}: removing the setting again leaves MLWF unconfigured`, () => apply(scope, undefined, /MLflow: not connected/));
    if (!gone) {
      console.log(`    status bar: ${(await statusBarTexts(page)).join(' | ')}`);
      await screenshot(page, `settingsScopes-removed-${scope}`);
    }
  }

  // A refused password, then Re-enter Password: only the password is asked again.
  await checks.step('Workspace again: sign in needed', () => apply('Workspace', trackingUri, /MLflow: sign in/));
  await paletteCommand(page, 'MLWF: Sign In to MLflow Server…');
  await checks.step('types the user name', () => answerInputBox(page, username, { prompt: /User name/ }));
  await checks.step('types a wrong password', () => answerInputBox(page, 'not-the-password', { prompt: /Password for/ }));
  await checks.step('the refusal is shown', () => waitForNotification(page, /did not accept the user name or password/));
  await checks.step('clicks Re-enter Password', () => clickNotificationButton(page, /did not accept the user name or password/, 'Re-enter Password'));
  const again = await inputBox(page);
  checks.check(again.text.includes(`Password for ${username}`) && !/User name/.test(again.text), 'Re-enter Password asks for the password of the same user, not the user name', again.text);
  await checks.step('the right password', () => answerInputBox(page, password, { prompt: /Password for/ }));
  await checks.step('signed in', () => waitForNotification(page, new RegExp(`Signed in to ${escapeRegExp(server)}`)));
  await checks.step('the status bar shows the server', () => waitForStatusBarItem(page, new RegExp(`MLflow: ${escapeRegExp(server)}`)));
  await waitUntil(async () => !(await welcomeButton(page, 'Models', 'Sign In…').isVisible()), 10_000, 'the Models welcome to go');
  await screenshot(page, 'settingsScopes-02-signed-in');
});
