// The Cloud Storage view as a user meets it: the welcome asks for keys, the keys are typed once,
// then bucket → prefix → objects (size and date) are expanded, a text object opens in an editor,
// one object is deleted through its context menu after the modal question, and then a whole folder. Against the rig's S3-compatible server (moto); the
// bucket's contents are checked from here with the SDK.
import * as fs from 'fs';
import * as path from 'path';
import { loadAwsSdk } from '../../../src/core/s3/awsSdk';
import { createS3Client } from '../../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../../src/core/s3/s3Settings';
import { createBucket } from '../../../src/core/upload';
import { answerInputBox, expandView, openMlflowContainer, openWorkbench, screenshot, treeRows, uiTest, viewPane, waitForTreeRow, waitUntil, welcomeButton } from './lib';
import { editorTexts } from './workbench';

const BUCKET = 'ui-browse';
const VIEW = 'Cloud Storage';

void uiTest('cloudStorage.ui', async ({ page, rig, checks }) => {
  const endpoint = process.env.MLWF_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('MLWF_TEST_S3_ENDPOINT is not set: moto_server is missing on this machine (pip install "moto[server]")');
  const client = await createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const { s3 } = await loadAwsSdk();
  await createBucket(client, BUCKET, 'us-east-1');
  const put = (Key: string, bytes: number) => client.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key, Body: Buffer.alloc(bytes, 7) }));
  await put('models/wine/model.tar.gz', 3 * 1024 * 1024 + 5000);
  const infoYaml = `Name: Wine quality ElasticNet\n${'# a comment line of the registration\n'.repeat(30)}`.slice(0, 812);
  await client.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key: 'models/wine/info.yaml', Body: infoYaml }));
  await put('models/wine/old-model.tar.gz', 2 * 1024 * 1024);
  await put('models/resnet/model.tar.gz', 40_000);
  await put('models/resnet/info.yaml', 960);
  await put('README.txt', 120);
  const exists = (Key: string) => client.send(new s3.HeadObjectCommand({ Bucket: BUCKET, Key })).then(() => true, () => false);

  fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(rig.workspace, '.vscode/settings.json'), JSON.stringify({ 'mlwf.s3.endpoint': endpoint, 'mlwf.s3.region': 'us-east-1', 'mlwf.siteProfile': 'generic' }, null, 2));

  await checks.step('workbench loads', () => openWorkbench(page, rig));
  await checks.step('MLflow side bar opens', () => openMlflowContainer(page));
  await checks.step('the Cloud Storage view opens and, without keys, offers Set Cloud Storage Keys…', async () => {
    await expandView(page, VIEW);
    await welcomeButton(page, VIEW, /Set Cloud Storage Keys/).waitFor({ timeout: 60_000 });
  });
  await screenshot(page, 'cloud-storage-01-welcome');

  await checks.step('keys typed once through the welcome button; the buckets appear', async () => {
    await welcomeButton(page, VIEW, /Set Cloud Storage Keys/).click();
    await answerInputBox(page, 'testing', { prompt: /Access key ID/ });
    await answerInputBox(page, 'testing', { prompt: /Secret access key/ });
    await waitForTreeRow(page, BUCKET, VIEW, 60_000);
  });

  await checks.step('the other views fold away and the side bar widens, so whole rows show', async () => {
    for (const title of ['Experiments', 'Models']) {
      const header = viewPane(page, title).locator('.pane-header').first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const bar = await page.locator('.part.sidebar').first().boundingBox();
    if (!bar) throw new Error('no side bar');
    const x = bar.x + bar.width;
    const y = bar.y + bar.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 260, y, { steps: 8 });
    await page.mouse.up();
  });

  await checks.step('bucket → models → wine shows the objects with size and date', async () => {
    await (await waitForTreeRow(page, BUCKET, VIEW)).click();
    await waitForTreeRow(page, /README\.txt\s*120 B · \d{4}-\d\d-\d\d \d\d:\d\d/, VIEW);
    await (await waitForTreeRow(page, /^\s*models\s*$/, VIEW)).click();
    await waitForTreeRow(page, /^\s*resnet\s*$/, VIEW);
    await (await waitForTreeRow(page, /^\s*wine\s*$/, VIEW)).click();
    await waitForTreeRow(page, /^\s*model\.tar\.gz\s*3\.0 MiB · \d{4}-\d\d-\d\d \d\d:\d\d/, VIEW);
    await waitForTreeRow(page, /info\.yaml\s*812 B/, VIEW);
    await waitForTreeRow(page, /old-model\.tar\.gz\s*2\.0 MiB/, VIEW);
  });
  await page.mouse.move(700, 500); // no hover highlight in the picture
  await screenshot(page, 'cloud-storage-view');

  await checks.step('hovering an object shows its full key, exact size and ETag', async () => {
    await (await waitForTreeRow(page, /^\s*model\.tar\.gz/, VIEW)).hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: `s3://${BUCKET}/models/wine/model.tar.gz` }).first();
    await hover.waitFor({ timeout: 15_000 });
    const text = await hover.innerText();
    if (!/3,150,728 bytes/.test(text) || !/ETag: [0-9a-f]{32}/.test(text)) throw new Error(`tooltip: ${text}`);
  });
  await screenshot(page, 'cloud-storage-04-tooltip');
  await page.mouse.move(900, 700);

  await checks.step('a click on info.yaml opens it in a read-only editor with its text', async () => {
    await (await waitForTreeRow(page, /^\s*info\.yaml/, VIEW)).click();
    await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().waitFor({ timeout: 20_000 });
    await waitUntil(async () => (await editorTexts(page)).some((t) => t.includes('Name: Wine quality ElasticNet')), 20_000, 'the object text in the editor');
  });
  await screenshot(page, 'cloud-storage-06-open-text');

  await checks.step('right-click → Delete Object… asks in a modal dialog that names the object', async () => {
    await (await waitForTreeRow(page, /old-model\.tar\.gz/, VIEW)).click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Delete Object…' }).first();
    await item.waitFor({ timeout: 10_000 });
    // Clicks on menu items are sometimes swallowed while the menu animates: hover, then Enter.
    await item.hover();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box', { hasText: `s3://${BUCKET}/models/wine/old-model.tar.gz` }).first().waitFor({ timeout: 10_000 });
  });
  await screenshot(page, 'cloud-storage-02-delete-question');
  await checks.step('Delete removes it: the row goes, HeadObject finds nothing, the others stay', async () => {
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).first().click();
    await waitUntil(async () => !(await treeRows(page, VIEW).filter({ hasText: 'old-model.tar.gz' }).count()), 15_000, 'the deleted row to go');
    if (await exists('models/wine/old-model.tar.gz')) throw new Error('the object is still on the server');
    if (!(await exists('models/wine/model.tar.gz')) || !(await exists('models/wine/info.yaml'))) throw new Error('a neighbour was deleted too');
    await waitForTreeRow(page, /^\s*model\.tar\.gz\s*3\.0 MiB/, VIEW);
  });
  await screenshot(page, 'cloud-storage-03-after-delete');

  await checks.step('right-click a folder → Delete Folder… asks in a modal dialog with the count and size', async () => {
    await (await waitForTreeRow(page, /^\s*resnet\s*$/, VIEW)).click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Delete Folder…' }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box', { hasText: `Delete s3://${BUCKET}/models/resnet/ and the 2 objects in it (40 KiB)?` }).first().waitFor({ timeout: 10_000 });
  });
  await screenshot(page, 'cloud-storage-05-delete-folder-question');
  await checks.step('Delete removes the folder and both objects; wine stays', async () => {
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).first().click();
    await waitUntil(async () => !(await treeRows(page, VIEW).filter({ hasText: /^\s*resnet\s*$/ }).count()), 15_000, 'the folder row to go');
    if ((await exists('models/resnet/model.tar.gz')) || (await exists('models/resnet/info.yaml'))) throw new Error('an object of the folder is still on the server');
    if (!(await exists('models/wine/model.tar.gz'))) throw new Error('a neighbour was deleted too');
    await waitForTreeRow(page, /^\s*wine\s*$/, VIEW);
  });
  client.destroy();
});
