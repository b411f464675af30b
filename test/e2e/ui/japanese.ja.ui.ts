// The extension in Japanese, as a researcher whose VS Code display language is Japanese sees it:
// the side bar's views, the welcome, the status bar, the connect prompts and the tree, all from
// package.nls.ja.json and l10n/bundle.l10n.ja.json. The workbench itself stays English: the test
// rig's language pack (test/fixtures/locale-ja) only switches the locale, so every Japanese
// string on screen is ours. Against the test MLflow server behind the real nginx.
import {
  answerInputBox,
  clearNotifications,
  clickNotificationButton,
  notificationItems,
  openMlflowContainer,
  openWorkbench,
  screenshot,
  statusBarTexts,
  uiTest,
  viewPane,
  waitUntil,
  waitForNotification,
  waitForStatusBarItem,
  waitForTreeRow,
  welcomeButton,
} from './lib';

void uiTest('japanese.ja.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  const serverLabel = new URL(trackingUri).host.replace(/\./g, '\\.');

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
});
