// Uploading an exported model package as a researcher clicks it: keys typed into "Set Cloud
// Storage Keys…", right-click model.tar.gz → "Upload Model Package…", a new bucket (a bad name
// first, refused in the box), the default prefix accepted with Enter, the URL style, the
// multipart upload's progress, the public-read question, the summary and "Prepare Registration
// E-mail"; then the same again, where the overwrite question appears. Against the rig's moto
// (MLWF_TEST_S3_ENDPOINT), through a small proxy that slows each part so the progress can be seen.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { GetObjectAclCommand, HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { activityBarItem, answerInputBox, clearNotifications, hideNotificationCenter, notificationItems, openWorkbench, pickQuickItem, quickInput, runCommand, screenshot, uiTest, waitForNotification, waitForStatusBarItem, waitForTreeRow, waitUntil } from './lib';

const FOLDER = 'MLWFExportModel_20260105093000';
const BUCKET = `ui-upload-${Date.now().toString(36)}`;
const PREFIX = 'Wine-Model';
const SIZE = 24 * 1024 * 1024 + 12345; // five 5 MiB parts
const INFO_YAML = `# Registration for ABCI Datasets (written by the export)
Name: Wine Model
Description: An ElasticNet model of wine quality trained on the UCI wine data, exported from MLflow.
Keywords:
  - wine quality
  - regression
Creator:
  Name: ABC Team
  ContactPoint:
    Email: team@example.com
License:
  Name: MIT License
  URL: https://opensource.org/licenses/MIT
Version: "1"
Distribution:
  # the package; the upload fills this in
  ContentURL:
    - "<<FILL IN: the URL of model.tar.gz, filled in by the upload>>"
`;

/** Forwards to moto, holding each part upload back a little so the progress notification shows. */
async function slowPartsProxy(upstream: URL, delayMs: number): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const go = () => {
      const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '')) setTimeout(go, delayMs);
    else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const dialog = (page: Page, text: RegExp) => page.locator('.monaco-dialog-box').filter({ hasText: text }).first();
const dialogButton = (page: Page, text: RegExp, button: string) => dialog(page, text).getByRole('button', { name: button, exact: true });

/** The Red Hat YAML suggestion (it comes with the first info.yaml) answered "Don't Ask Again", so it covers no step. */
async function dismissYamlSuggestion(page: Page): Promise<void> {
  const note = notificationItems(page).filter({ hasText: /Red Hat YAML/ }).first();
  if (!(await note.isVisible().catch(() => false))) return;
  // The bell's tooltip can cover the button: move the pointer away first.
  await page.mouse.move(700, 300);
  await note.locator('.monaco-button', { hasText: "Don't Ask Again" }).first().click({ timeout: 2_000 }).catch(() => undefined);
}

async function rightClickUpload(page: Page): Promise<void> {
  await (await waitForTreeRow(page, /^\s*model\.tar\.gz\s*$/)).click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Upload Model Package…' }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await item.click();
  // A click during the menu's opening animation can be lost: the keyboard picks the focused item then.
  await page.waitForTimeout(500);
  if (await item.isVisible().catch(() => false)) await page.keyboard.press('Enter');
}

/** The prefix step: the default (the model's name) accepted with Enter, whether an input box or a browsable pick. */
async function acceptDefaultPrefix(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget').first();
  await waitUntil(async () => (await widget.isVisible().catch(() => false)) && /prefix/i.test(await widget.innerText().catch(() => '')), 20_000, 'the prefix step');
  await waitUntil(async () => (await quickInput(page).inputValue().catch(() => '')).includes(PREFIX) || (await widget.innerText().catch(() => '')).includes(PREFIX), 10_000, `the default prefix ${PREFIX}`);
}

void uiTest('upload.ui', async ({ page, rig, checks }) => {
  const endpoint = process.env.MLWF_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('MLWF_TEST_S3_ENDPOINT is not set: the rig found no moto_server');
  const proxy = await slowPartsProxy(new URL(endpoint), 700);
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    const dir = path.join(rig.workspace, FOLDER);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'model.tar.gz'), randomBytes(SIZE));
    const infoYaml = path.join(dir, 'info.yaml');
    fs.writeFileSync(infoYaml, INFO_YAML);
    // Cloud Storage settings of this workspace (mlwf.s3.* may be set per workspace): the generic
    // site profile, so the public URL is the endpoint's own; 5 MiB parts one at a time.
    fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(rig.workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'mlwf.siteProfile': 'generic', 'mlwf.s3.endpoint': proxy.url, 'mlwf.s3.region': 'us-east-1', 'mlwf.s3.partSizeMiB': 5, 'mlwf.s3.parallelism': 1 }, null, 2),
    );
    const packageUrl = `${proxy.url}/${BUCKET}/${PREFIX}/model.tar.gz`;

    await checks.step('workbench loads with the extension active', async () => {
      await openWorkbench(page, rig);
      // The palette lists the extension's commands once the remote host has registered it.
      await activityBarItem(page).waitFor({ timeout: 60_000 });
      await waitForStatusBarItem(page, /MLflow/, 60_000);
    });
    await checks.step('Set Cloud Storage Keys…: access key and secret typed into the input boxes', async () => {
      await runCommand(page, 'MLWF: Set Cloud Storage Keys…');
      await answerInputBox(page, 'testing', { prompt: /Access key ID/ });
      await waitUntil(async () => (await quickInput(page).getAttribute('type').catch(() => '')) === 'password', 10_000, 'a password box for the secret');
      await answerInputBox(page, 'testing', { prompt: /Secret access key/ });
      await waitForNotification(page, /are kept in the secret storage/);
    });
    await clearNotifications(page).catch(() => undefined);
    await hideNotificationCenter(page).catch(() => undefined);

    await checks.step('right-click model.tar.gz → Upload Model Package… lists the buckets with "Create a Bucket…"', async () => {
      await (await waitForTreeRow(page, new RegExp(FOLDER))).click();
      // info.yaml open beside, as after an export: its ContentURL changes in front of the user.
      await (await waitForTreeRow(page, /^\s*info\.yaml\s*$/)).click();
      await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().waitFor({ timeout: 20_000 });
      await rightClickUpload(page);
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Create a Bucket…' }).first().waitFor({ timeout: 20_000 });
    });
    await screenshot(page, 'upload-01-bucket');
    await checks.step('a bad bucket name is refused in the box before the server is asked', async () => {
      await pickQuickItem(page, /Create a Bucket…/);
      await quickInput(page).waitFor({ timeout: 10_000 });
      await quickInput(page).fill('My Models');
      await page.locator('.quick-input-widget', { hasText: 'only use lower-case letters' }).first().waitFor({ timeout: 10_000 });
    });
    await screenshot(page, 'upload-02-bucket-name-refused');
    await checks.step('a good name creates the bucket; the prefix defaults to the model name (Enter accepts it)', async () => {
      await quickInput(page).fill(BUCKET);
      await page.keyboard.press('Enter');
      await acceptDefaultPrefix(page);
    });
    await screenshot(page, 'upload-03-prefix');
    await page.keyboard.press('Enter');
    await checks.step('the URL for info.yaml: Public URL', async () => {
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Public URL' }).first().waitFor({ timeout: 20_000 });
      await pickQuickItem(page, /Public URL/);
    });
    await checks.step('the upload shows its progress with bytes and rate', () => waitForNotification(page, /Uploading model\.tar\.gz to .*MiB \/ 24(\.0)? MiB/, 20_000));
    await dismissYamlSuggestion(page);
    await screenshot(page, 'upload-04-progress');
    await checks.step('then asks whether info.yaml is public-read', () => dialog(page, /public-read/).waitFor({ timeout: 60_000 }));
    await screenshot(page, 'upload-05-public-read');
    await dialogButton(page, /public-read/, 'Make Public').click();
    await checks.step('the summary names both URLs and offers Prepare Registration E-mail', async () => {
      const summary = await waitForNotification(page, /Uploaded\. Package:/, 30_000);
      const text = await summary.innerText();
      if (!text.includes(packageUrl)) throw new Error(`summary without ${packageUrl}: ${text}`);
      await summary.locator('.monaco-button', { hasText: 'Prepare Registration E-mail' }).first().waitFor({ timeout: 5_000 });
      await waitUntil(async () => (await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes(`- ${packageUrl}`), 10_000, 'the URL in the open info.yaml');
    });
    await dismissYamlSuggestion(page);
    await screenshot(page, 'upload-06-summary');
    await checks.step('Prepare Registration E-mail opens the application text with the YAML URL', async () => {
      const summary = await waitForNotification(page, /Uploaded\. Package:/);
      await summary.locator('.monaco-button', { hasText: 'Prepare Registration E-mail' }).first().click();
      await waitUntil(async () => (await page.locator('.editor-instance .view-lines').allInnerTexts().catch(() => [])).join('\n').replace(/\u00a0/g, ' ').includes('ABCI Datasets registration: Wine Model'), 15_000, 'the e-mail document');
    });
    await hideNotificationCenter(page).catch(() => undefined);
    await screenshot(page, 'upload-07-email');

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/model.tar.gz` })).catch((e: Error) => e);
    checks.check(!(head instanceof Error) && head.ContentLength === SIZE, `moto holds ${PREFIX}/model.tar.gz with ${SIZE} bytes`, head instanceof Error ? head.message : String(head.ContentLength));
    const written = fs.readFileSync(infoYaml, 'utf8');
    checks.check(written === INFO_YAML.replace('"<<FILL IN: the URL of model.tar.gz, filled in by the upload>>"', packageUrl), 'info.yaml ContentURL is the package URL, comments kept', written);
    const yamlHead = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/info.yaml` })).catch((e: Error) => e);
    checks.check(!(yamlHead instanceof Error) && yamlHead.ContentLength === Buffer.byteLength(written), 'the edited info.yaml is uploaded next to it');
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: `${PREFIX}/info.yaml` })).catch(() => undefined);
    checks.check(Boolean(acl?.Grants?.some((g) => g.Grantee?.URI?.endsWith('/global/AllUsers') && g.Permission === 'READ')), 'info.yaml is public-read');

    await clearNotifications(page).catch(() => undefined);
    await hideNotificationCenter(page).catch(() => undefined);
    await checks.step('a second upload of the same package asks before overwriting', async () => {
      await rightClickUpload(page);
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: BUCKET }).first().waitFor({ timeout: 20_000 });
      await pickQuickItem(page, BUCKET);
      await acceptDefaultPrefix(page);
      await page.keyboard.press('Enter');
      await dialog(page, /already exists/).waitFor({ timeout: 20_000 });
      const text = await dialog(page, /already exists/).innerText();
      if (!text.includes(`s3://${BUCKET}/${PREFIX}/model.tar.gz`) || !text.includes('24')) throw new Error(`overwrite question: ${text}`);
    });
    await screenshot(page, 'upload-08-overwrite');
    await checks.step('Overwrite: the upload runs again and ends with the summary', async () => {
      await dialogButton(page, /already exists/, 'Overwrite').click();
      await pickQuickItem(page, /Public URL/, 20_000);
      await dialog(page, /public-read/).waitFor({ timeout: 60_000 });
      await dialogButton(page, /public-read/, 'Make Public').click();
      await waitForNotification(page, /Uploaded\. Package:/, 30_000);
    });
    const pending = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    checks.check((pending.Uploads ?? []).length === 0, 'no multipart upload is left pending', JSON.stringify(pending.Uploads));
    const again = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/model.tar.gz` })).catch((e: Error) => e);
    checks.check(!(again instanceof Error) && again.ContentLength === SIZE, 'the overwritten object has the right size');
  } finally {
    s3.destroy();
    proxy.close();
  }
});
