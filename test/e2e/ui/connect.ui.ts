// Connecting as a researcher does on a first morning: the welcome button, the server URL, a
// mistyped password (a clear message, nothing saved, a way to re-enter), then the right one.
// Against the test MLflow server behind the real nginx (Basic auth, /mlflow/ prefix).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  REPO_ROOT,
  answerInputBox,
  clearNotifications,
  clickNotificationButton,
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

void uiTest('connect.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  const serverLabel = new URL(trackingUri).host;

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('clicks "Connect to MLflow Server…" in the Experiments welcome', () =>
    welcomeButton(page, 'Experiments', 'Connect to MLflow Server…').click({ timeout: 30_000 }),
  );
  await checks.step('types the tracking URL with its /mlflow/ prefix', () =>
    answerInputBox(page, trackingUri, { prompt: /Tracking server URL/ }),
  );
  await checks.step('nginx says 401, so MLWF asks for a user name', () => answerInputBox(page, username, { prompt: /User name/ }));
  await checks.step('types a wrong password', () => answerInputBox(page, 'not-the-password', { prompt: /Password for/ }));
  await checks.step('a clear error says the password was not accepted and nothing was saved', () =>
    waitForNotification(page, /did not accept the user name or password\. Nothing was saved\./),
  );
  await checks.step('the status bar says sign-in is needed', () => waitForStatusBarItem(page, /MLflow: sign in/));
  await screenshot(page, 'connect-01-wrong-password');

  await checks.step('"Re-enter Password" asks again', () =>
    clickNotificationButton(page, /did not accept the user name or password/, 'Re-enter Password'),
  );
  await checks.step('the right password (the user name is not asked again)', () => answerInputBox(page, password, { prompt: new RegExp(`Password for ${username}`) }));
  await checks.step('MLWF confirms the sign-in', () => waitForNotification(page, new RegExp(`Signed in to ${serverLabel.replace(/\./g, '\\.')}`)));
  await checks.step('the status bar shows the connected server', () => waitForStatusBarItem(page, new RegExp(`MLflow: ${serverLabel.replace(/\./g, '\\.')}`)));
  // MLWF: Test Connection says what it found, also when all is well (not only a status bar flash).
  await clearNotifications(page).catch(() => undefined);
  await checks.step('MLWF: Test Connection runs from the palette', () => runCommand(page, 'MLWF: Test Connection'));
  await checks.step('and says the server answers, signed in as the user', () =>
    waitForNotification(page, new RegExp(`${serverLabel.replace(/\./g, '\\.')}\\S* answers: connected as ${username}\\.`)),
  );
  await screenshot(page, 'connect-03-test-connection');
  const texts = await statusBarTexts(page);
  checks.check(!texts.some((t) => t.includes(password)), 'the status bar never shows the password');
  await clearNotifications(page).catch(() => undefined);
  const shot = await screenshot(page, 'connect-02-connected');
  // The README shows what a user sees after signing in; refresh it from the real UI.
  if (process.env.UPDATE_README_SCREENSHOTS) {
    mkdirSync(path.join(REPO_ROOT, 'media', 'screenshots'), { recursive: true });
    copyFileSync(shot, path.join(REPO_ROOT, 'media', 'screenshots', 'connected.png'));
  }
});
