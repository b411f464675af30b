// `DEMO_SMOKE=1 bash test/e2e/run-in-code-server.sh demo`: checks that what `npm run demo` starts
// works as one product before a person opens it — the packaged .vsix installed in a normal-mode
// workbench, MLFLOW_TRACKING_URI reaching the extension (sign in, experiments listed), Cloud
// Storage reaching the S3-compatible server through MLFLOW_S3_ENDPOINT_URL (the seeded bucket and
// its left-over multipart upload found), and the workspace's local mlruns/ folder present.
import {
  answerInputBox,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  uiTest,
  waitForStatusBarItem,
  waitForTreeRow,
} from './ui/lib';

void uiTest('demo-smoke', async ({ page, rig, checks }) => {
  const { username, password } = rig;
  if (!username || !password) throw new Error('MLWF_TEST_* variables are missing');
  if (!process.env.MLWF_TEST_S3_ENDPOINT) throw new Error('the demo has no S3-compatible server (moto_server missing)');

  await checks.step('the workbench loads with the installed .vsix', () => openWorkbench(page, rig));
  await checks.step('the workspace holds the local mlruns/ folder', () => waitForTreeRow(page, 'mlruns'));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('the status bar asks to sign in to the MLFLOW_TRACKING_URI server', async () =>
    (await waitForStatusBarItem(page, /MLflow: sign in/, 60_000)).click(),
  );
  await checks.step('user name', () => answerInputBox(page, username, { prompt: /User name/ }));
  await checks.step('password', () => answerInputBox(page, password, { prompt: /Password for/ }));
  await checks.step('the demo scenario\'s experiments are listed', () => waitForTreeRow(page, 'image-classification', 'Experiments'));
  await checks.step('Clean Up Unfinished Uploads… lists the seeded bucket from MLFLOW_S3_ENDPOINT_URL', async () => {
    await runCommand(page, 'MLWF: Clean Up Unfinished Uploads…');
    await pickQuickItem(page, 'gaa50000-models', 30_000);
  });
  await checks.step('… and finds its left-over multipart upload', () =>
    page.locator('.quick-input-widget .monaco-list-row', { hasText: 'unfinished/model.tar.gz' }).first().waitFor({ timeout: 30_000 }),
  );
  await screenshot(page, 'demo-smoke');
  await quickInput(page).press('Escape');
});
