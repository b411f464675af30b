// The keys of the MLWF views, pressed as a user does in the real workbench (code-server +
// Chromium, the test MLflow server behind nginx, 'demo' scenario): a run selected in the
// Experiments view, Delete asks the modal question (Cancel keeps the run), F2 opens the rename
// box (Escape leaves the name), two runs selected and Ctrl+K C opens their comparison. And where
// the keys must do nothing: Delete on a run's Parameters row, and Delete while an editor has the
// focus (the editor's own Delete, never MLWF's question). Then the Cloud Storage view (the rig's
// S3-compatible server): Delete on an object and on a folder asks first, and Cancel keeps them.
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { loadAwsSdk } from '../../../src/core/s3/awsSdk';
import { createS3Client } from '../../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../../src/core/s3/s3Settings';
import { createBucket } from '../../../src/core/upload';
import {
  answerInputBox,
  clearNotifications,
  expandView,
  openMlflowContainer,
  openWorkbench,
  quickInput,
  screenshot,
  uiTest,
  viewPane,
  waitForTreeRow,
  waitUntil,
  welcomeButton,
} from './lib';
import { collapseView, noErrors, signInFromWelcome } from './workbench';

const VIEW = 'Experiments';
const STORAGE = 'Cloud Storage';
const BUCKET = 'ui-keys';
const RUN = 'elasticnet-a0.1-l0.2';

const dialog = (page: Page) => page.locator('.monaco-dialog-box').first();
const dialogShown = (page: Page) => dialog(page).isVisible().catch(() => false);

/** No modal question comes up within `ms` (a key that must do nothing). */
async function noDialogFor(page: Page, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await dialogShown(page)) return false;
    await page.waitForTimeout(200);
  }
  return true;
}

void uiTest('keys.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  const endpoint = process.env.MLWF_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('MLWF_TEST_S3_ENDPOINT is not set: moto_server is missing on this machine (pip install "moto[server]")');
  const s3Client = await createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const { s3 } = await loadAwsSdk();
  await createBucket(s3Client, BUCKET, 'us-east-1');
  await s3Client.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key: 'models/old.bin', Body: Buffer.alloc(2 * 1024 * 1024, 7) }));
  const exists = (Key: string) => s3Client.send(new s3.HeadObjectCommand({ Bucket: BUCKET, Key })).then(() => true, () => false);
  fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(rig.workspace, '.vscode/settings.json'), JSON.stringify({ 'mlwf.s3.endpoint': endpoint, 'mlwf.s3.region': 'us-east-1' }, null, 2));

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('signs in', async () => {
    await signInFromWelcome(page, VIEW, { trackingUri, username, password });
  });
  await clearNotifications(page).catch(() => undefined);
  await collapseView(page, 'Models');

  const run = async () => waitForTreeRow(page, new RegExp(`^${RUN.replace(/\./g, '\\.')}(?![\\d.])`), VIEW);
  await checks.step('wine-quality opens and its run is selected', async () => {
    await (await waitForTreeRow(page, /wine-quality/, VIEW)).click();
    await (await run()).click();
    await waitUntil(async () => (await (await run()).getAttribute('aria-selected')) === 'true', 10_000, 'the run row selected');
  });

  const asked = await checks.step('Delete on the selected run asks the modal question', async () => {
    await page.keyboard.press('Delete');
    await dialog(page).waitFor({ timeout: 15_000 });
  });
  const question = asked ? (await dialog(page).innerText()).replace(/\s+/g, ' ') : '';
  checks.check(question.includes(`Delete 1 run(s): ${RUN}?`), 'the question names the run', question);
  await screenshot(page, 'keys-01-delete-question');
  if (asked) {
    await checks.step('Cancel closes the question and the run stays', async () => {
      await dialog(page).locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
      await waitUntil(async () => !(await dialogShown(page)), 10_000, 'the question closed');
      await run();
    });
  }

  const step = async (what: string, fn: () => Promise<unknown>, shot: string) => {
    const ok = await checks.step(what, fn);
    if (!ok) await screenshot(page, `keys-failed-${shot}`).catch(() => undefined);
    return ok;
  };

  await step('F2 on the selected run opens the rename box with its name; Escape leaves it', async () => {
    await (await run()).click(); // the focus back on the row (the click also folds it again)
    await page.keyboard.press('F2');
    await quickInput(page).waitFor({ timeout: 15_000 });
    const box = page.locator('.quick-input-widget').first();
    await waitUntil(async () => (await box.innerText()).includes(`Rename run ${RUN}`), 10_000, 'the rename title');
    const typed = await page.locator('.quick-input-widget input').first().inputValue();
    if (typed !== RUN) throw new Error(`the box holds "${typed}"`);
    await page.keyboard.press('Escape');
    await waitUntil(async () => !(await quickInput(page).isVisible().catch(() => false)), 10_000, 'the box closed');
  }, 'f2');
  await run();

  await checks.step('Delete on a run\'s Parameters row asks nothing', async () => {
    const row = await run();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    const parameters = await waitForTreeRow(page, /^Parameters/, VIEW);
    await parameters.click();
    await waitUntil(async () => (await parameters.getAttribute('aria-selected')) === 'true', 10_000, 'the Parameters row selected');
    await page.waitForTimeout(500); // as a person would: the view's selection key follows the click
    await page.keyboard.press('Delete');
    if (!(await noDialogFor(page, 3_000))) throw new Error(`a question came up: ${(await dialog(page).innerText()).replace(/\s+/g, ' ')}`);
  });

  await step('two runs selected, Ctrl+K C opens their comparison', async () => {
    await (await run()).click(); // selected (and folded again)
    const second = await waitForTreeRow(page, /^elasticnet-a0\.5-l0\.5(?![\d.])/, VIEW);
    await second.click({ modifiers: ['Control'] });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('c');
    await page.locator('.tabs-container .tab', { hasText: 'Compare: wine-quality (2 runs)' }).first().waitFor({ timeout: 30_000 });
  }, 'compare');
  await screenshot(page, 'keys-02-compare');

  await step('Delete in an editor is the editor\'s own: no MLWF question', async () => {
    // Not the palette's first match: "File: Compare New Untitled Text Files" may come first.
    await page.keyboard.press('F1');
    await quickInput(page).fill('>File: New Untitled Text File');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^File: New Untitled Text File/ }).first().click({ timeout: 15_000 });
    const editor = page.locator('.editor-instance .monaco-editor:visible').first();
    await editor.waitFor({ timeout: 15_000 });
    await editor.locator('.view-lines').click();
    await page.keyboard.type('keep');
    await page.keyboard.press('Home');
    await page.keyboard.press('Delete');
    if (!(await noDialogFor(page, 2_000))) throw new Error('a question came up');
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').trim();
    if (text !== 'eep') throw new Error(`the editor holds "${text}"`);
  }, 'editor');

  await step('Cloud Storage: the keys typed once, the bucket\'s folder open', async () => {
    await page.keyboard.press('Escape');
    const header = viewPane(page, VIEW).locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    await expandView(page, STORAGE);
    await welcomeButton(page, STORAGE, /Set Cloud Storage Keys/).click({ timeout: 60_000 });
    await answerInputBox(page, 'testing', { prompt: /Access key ID/ });
    await answerInputBox(page, 'testing', { prompt: /Secret access key/ });
    await (await waitForTreeRow(page, BUCKET, STORAGE, 60_000)).click();
    await (await waitForTreeRow(page, /^\s*models\s*$/, STORAGE)).click();
    await waitForTreeRow(page, /old\.bin\s*2\.0 MiB/, STORAGE);
  }, 'storage');

  const storageQuestion = async (key: string, expected: string, kept: () => Promise<boolean>) => {
    await page.waitForTimeout(500); // the view's selection key follows the keyboard
    await page.keyboard.press('Delete');
    await dialog(page).waitFor({ timeout: 15_000 });
    const text = (await dialog(page).innerText()).replace(/\s+/g, ' ');
    if (!text.includes(expected)) throw new Error(`the question was: ${text}`);
    await dialog(page).locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
    await waitUntil(async () => !(await dialogShown(page)), 10_000, 'the question closed');
    if (!(await kept())) throw new Error(`${key} is gone`);
  };
  // The keys act on the selected row: custom trees move only the focus on arrow keys, and the
  // extension API tells only the selection (each question names what it would delete).
  await step('Cloud Storage: Delete on a selected object asks first; Cancel keeps it', async () => {
    const row = await waitForTreeRow(page, /old\.bin/, STORAGE);
    await row.click(); // a binary object: no editor opens, the row is selected
    await waitUntil(async () => (await row.getAttribute('aria-selected')) === 'true', 10_000, 'old.bin selected');
    await storageQuestion('models/old.bin', `Delete s3://${BUCKET}/models/old.bin (2.0 MiB)?`, () => exists('models/old.bin'));
  }, 'storage-object');
  await screenshot(page, 'keys-03-storage');
  await step('Cloud Storage: Delete on the folder asks first; Cancel keeps it', async () => {
    const row = await waitForTreeRow(page, /^\s*models\s*$/, STORAGE);
    await row.click(); // selected (and folded)
    await waitUntil(async () => (await row.getAttribute('aria-selected')) === 'true', 10_000, 'models/ selected');
    await storageQuestion('models/', `s3://${BUCKET}/models/`, () => exists('models/old.bin'));
  }, 'storage-folder');
  await noErrors(page, checks, 'the keys');
});
