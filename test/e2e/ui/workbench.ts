// Workbench actions the longer UI tests share: the palette with a retry, Go to Line, the Problems
// panel, editor texts, context menus and error notifications. lib.ts holds the basic locators and
// waits; these build on them where a step needs more than one of them.
import type { Locator, Page } from 'playwright-core';
import { answerInputBox, escapeRegExp, hideNotificationCenter, runCommand, screenshot, showNotificationCenter, viewPane, waitForStatusBarItem, waitUntil, welcomeButton, type Checks } from './lib';

/** Error notifications in the Notifications Center (their severity icon is codicon-error). */
export async function errorNotifications(page: Page): Promise<string[]> {
  await showNotificationCenter(page).catch(() => undefined);
  const items = page.locator('.notifications-center .notification-list-item').filter({ has: page.locator('.notification-list-item-icon.codicon-error') });
  const texts = (await items.allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim());
  await hideNotificationCenter(page).catch(() => undefined);
  return texts;
}

/** After a step: no error notification the user did not cause. */
export async function noErrors(page: Page, checks: Checks, step: string): Promise<void> {
  const errors = await errorNotifications(page);
  checks.check(errors.length === 0, `${step}: no error notification`, errors.join(' | '));
}

/** The visible text of every open editor (non-breaking spaces as spaces). */
export const editorTexts = async (page: Page): Promise<string[]> =>
  (await page.locator('.editor-instance .view-lines').allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\u00a0/g, ' '));

/** Hover + Enter on a context-menu item: a click on a menu that has just opened is sometimes lost. */
export async function contextMenuItem(page: Page, target: Locator, label: string, done: () => Promise<boolean>): Promise<void> {
  await waitUntil(
    async () => {
      await page.keyboard.press('Escape');
      await target.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: label }).first();
      if (!(await item.isVisible({ timeout: 3_000 }).catch(() => false))) return false;
      await item.hover();
      await page.waitForTimeout(200);
      await page.keyboard.press('Enter');
      await waitUntil(done, 8_000, `${label} to start`).catch(() => undefined);
      return done();
    },
    45_000,
    `the ${label} menu item`,
    1_000,
  );
}

/** Problems listed for the open workspace (rows of the Problems panel), whitespace folded. */
export async function problemTexts(page: Page): Promise<string[]> {
  return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * Runs a palette command; under load the first F1 is sometimes not taken (the palette does not
 * open), so it is pressed again. A modal dialog left open would block it: that is reported.
 */
export async function paletteCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const dialog = page.locator('.monaco-dialog-box').first();
    if (await dialog.isVisible().catch(() => false)) throw new Error(`a dialog is open: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
    try {
      await runCommand(page, title, attempt < 3 ? 8_000 : 15_000);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(`    (palette attempt ${attempt} for "${title}" failed: ${String(err).split('\n')[0]})`);
      await screenshot(page, `palette-retry-${attempt}`);
      await page.keyboard.press('Escape');
    }
  }
}

/** Moves the cursor of the active editor with Go to Line/Column ("12:3"). */
export async function goToLine(page: Page, lineColumn: string): Promise<void> {
  await paletteCommand(page, 'Go to Line/Column...');
  await page.keyboard.type(lineColumn);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/**
 * Signs in as a new user does: the view's welcome button "Connect to MLflow Server…", then the
 * URL, user name and password; done when the status bar names the server's address ("MLflow:
 * sign in" also starts with "MLflow: ").
 */
export async function signInFromWelcome(page: Page, view: string, server: { trackingUri: string; username: string; password: string }): Promise<void> {
  await welcomeButton(page, view, 'Connect to MLflow Server…').click({ timeout: 30_000 });
  await answerInputBox(page, server.trackingUri, { prompt: /Tracking server URL/ });
  await answerInputBox(page, server.username, { prompt: /User name/ });
  await answerInputBox(page, server.password, { prompt: /Password for/ });
  await waitForStatusBarItem(page, new RegExp(`MLflow: ${escapeRegExp(new URL(server.trackingUri).host)}`));
}

/** Collapses a view of the MLflow container if it is expanded (the others get its room). */
export async function collapseView(page: Page, view: string): Promise<void> {
  const header = viewPane(page, view).locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded').catch(() => null)) === 'true') await header.click();
}
