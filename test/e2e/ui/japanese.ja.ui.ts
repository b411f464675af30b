// The extension in Japanese, as a researcher whose VS Code display language is Japanese sees it:
// the side bar's views, the welcome, the status bar, the connect prompts and the tree, all from
// package.nls.ja.json and l10n/bundle.l10n.ja.json. The workbench itself stays English: the test
// rig's language pack (test/fixtures/locale-ja) only switches the locale, so every Japanese
// string on screen is ours. Against the test MLflow server behind the real nginx; with the real
// Grid Engine cell (scripts/gridengine.sh), also the Jobs view: its title, a job's state and the
// row's context menu and Cancel dialog.
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gridEngineSkipReason } from '../../servers/gridEngine';
import { jobRowRe } from '../jobRows';
import {
  answerInputBox,
  type Checks,
  clearNotifications,
  clickNotificationButton,
  expandView,
  notificationItems,
  openMlflowContainer,
  openWorkbench,
  screenshot,
  statusBarTexts,
  treeRowTexts,
  uiTest,
  viewPane,
  waitUntil,
  waitForNotification,
  waitForStatusBarItem,
  waitForTreeRow,
  welcomeButton,
} from './lib';
import { findJobRow, jobRowText } from './jobsView';
import { contextMenuItem, paletteCommand } from './workbench';

const JOBS = 'ジョブ';

void uiTest('japanese.ja.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  const serverLabel = new URL(trackingUri).host.replace(/\./g, '\\.');
  // The Jobs view lists the user's jobs on the cell when the site profile is a Grid Engine one.
  let cell: string | false;
  try {
    cell = gridEngineSkipReason();
  } catch (e) {
    cell = `the Grid Engine cell did not start: ${String(e).split('\n')[0]}`;
  }
  if (!cell) {
    fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(rig.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'mlwf.siteProfile': 'gridengine', 'mlwf.jobs.refreshSeconds': 2 }, null, 2));
  }

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('the views are titled 実験 and モデル', async () => {
    await viewPane(page, '実験').first().waitFor({ timeout: 15_000 });
    await viewPane(page, 'モデル').first().waitFor({ timeout: 15_000 });
  });
  await checks.step('the status bar says 未接続 (not connected)', () => waitForStatusBarItem(page, /MLflow: 未接続/, 15_000));
  const connect = welcomeButton(page, '実験', 'MLflow サーバーに接続…');
  await checks.step('the welcome offers 「MLflow サーバーに接続…」', () => connect.waitFor({ timeout: 30_000 }));
  await screenshot(page, 'ja-01-welcome');

  await checks.step('the connect prompts are Japanese: URL', async () => {
    await connect.click({ timeout: 10_000 });
    await answerInputBox(page, trackingUri, { prompt: /トラッキングサーバーの URL/ });
  });
  await checks.step('user name', () => answerInputBox(page, username, { prompt: /ユーザー名/ }));
  await checks.step('a wrong password gets the Japanese error', async () => {
    await answerInputBox(page, 'not-the-password', { prompt: /のパスワード/ });
    await waitForNotification(page, /ユーザー名またはパスワードを受け付けませんでした。何も保存していません。/);
  });
  await screenshot(page, 'ja-02-wrong-password');
  await checks.step('the "接続しています…" progress is gone once the answer came', () =>
    waitUntil(async () => (await notificationItems(page).filter({ hasText: /接続しています/ }).count()) === 0, 10_000, 'the connecting progress to close'),
  );

  await checks.step('「パスワードを再入力」 asks again and the right password signs in', async () => {
    await clickNotificationButton(page, /ユーザー名またはパスワードを受け付けませんでした/, 'パスワードを再入力');
    // Only the password is asked again (for the same user).
    await answerInputBox(page, password, { prompt: new RegExp(`${username}.*のパスワード`) });
    await waitForNotification(page, new RegExp(`${serverLabel}\\S* にサインインしました。`));
  });
  await checks.step('the status bar shows the server', () => waitForStatusBarItem(page, new RegExp(`MLflow: ${serverLabel}`)));
  await checks.step('the experiments appear in the tree', () => waitForTreeRow(page, /wine-quality/, '実験'));
  const texts = await statusBarTexts(page);
  checks.check(!texts.some((t) => t.includes(password)), 'the status bar never shows the password');
  await clearNotifications(page).catch(() => undefined);
  await screenshot(page, 'ja-03-connected');

  if (cell) {
    checks.skip(`the Jobs view in Japanese: ${cell}`);
    return;
  }
  await jobsInJapanese(page, checks);
});

/**
 * A job of the user's own on the cell (submitted with qsub, as by hand): the view titled ジョブ
 * lists it 実行中, its context menu offers ジョブをキャンセル… (no English item), the dialog asks
 * in Japanese, and the row turns キャンセル済み.
 */
async function jobsInJapanese(page: Page, checks: Checks): Promise<void> {
  const id = execFileSync('qsub', ['-terse', '-N', 'ja-sleep', '-b', 'y', '-j', 'y', '-o', '/dev/null', 'sleep', '300'], { encoding: 'utf8' }).trim();
  const row = (state: string) => jobRowRe('ja-sleep', { state, id });
  const rowText = () => jobRowText(page, JOBS, row('\\S+'));
  /** Waits for the row; "MLWF: ジョブを更新" from the palette meanwhile (a job submitted by hand is seen on a refresh). */
  const waitRow = (re: RegExp, what: string) =>
    waitUntil(async () => {
      if (re.test(await rowText())) return true;
      await paletteCommand(page, 'MLWF: ジョブを更新').catch(() => undefined);
      return re.test(await rowText());
    }, 60_000, what, 2_000).catch(async (e: Error) => {
      throw new Error(`${e.message} (rows: ${(await treeRowTexts(page, JOBS)).join(' | ')})`);
    });
  try {
    await checks.step('the Jobs view is titled ジョブ', () => expandView(page, JOBS));
    await checks.step(`a job of yours on the cell is listed with its state in Japanese: "ja-sleep 実行中 · … · #${id}"`, () => waitRow(row('実行中'), 'the row 実行中'));
    await screenshot(page, 'ja-04-jobs');
    await checks.step('its context menu is Japanese: ジョブをキャンセル…, and no English item', async () => {
      const target = await findJobRow(page, JOBS, row('実行中'));
      await waitUntil(async () => {
        await page.keyboard.press('Escape');
        await target.click({ button: 'right' });
        return page.locator('.monaco-menu .action-item').first().isVisible({ timeout: 3_000 }).catch(() => false);
      }, 30_000, 'the context menu');
      const items = (await page.locator('.monaco-menu .action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      await page.keyboard.press('Escape');
      if (!items.includes('ジョブをキャンセル…')) throw new Error(`menu: ${items.join(' | ')}`);
      const english = items.filter((t) => /[A-Za-z]{3}/.test(t));
      if (english.length) throw new Error(`English in the menu: ${english.join(' | ')}`);
    });
    await checks.step('ジョブをキャンセル… asks in Japanese, then the row says キャンセル済み', async () => {
      const target = await findJobRow(page, JOBS, row('実行中'));
      const dialog = page.locator('.monaco-dialog-box').first();
      await contextMenuItem(page, target, 'ジョブをキャンセル…', async () => dialog.isVisible().catch(() => false));
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      if (!text.includes(`ジョブ ${id} (ja-sleep) をキャンセルしますか?`)) throw new Error(`dialog: ${text}`);
      await dialog.locator('.monaco-button', { hasText: /^ジョブをキャンセル$/ }).first().click();
      // From the cell's accounting once qdel has ended it (asked for again on a refresh).
      await waitRow(row('キャンセル済み'), 'the row キャンセル済み');
    });
    await screenshot(page, 'ja-05-job-cancelled');
  } finally {
    try {
      execFileSync('qdel', [id], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
