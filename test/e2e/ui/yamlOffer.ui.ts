// The Red Hat YAML suggestion as a newcomer meets it: never while the marketplace cannot be
// reached, once when it can, and not again after it was dismissed (not on the next info.yaml,
// not after a reload). The rig points code-server's extension gallery at a local port
// (MLWF_TEST_GALLERY_PORT) where nothing listens: offline until this test serves it.
import * as fs from 'fs';
import { createServer } from 'http';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { hideNotificationCenter, notificationItems, notificationTexts, openWorkbench, quickInput, screenshot, uiTest, waitForNotification, waitUntil } from './lib';

const OFFER = /Install the Red Hat YAML extension for completion and hover in info\.yaml\? MLWF checks the file either way\./;
const FOLDERS = ['MLWFExportModel_20240101000000', 'MLWFExportModel_20240202000000', 'MLWFExportModel_20240303000000'];

const infoYaml = (n: number) => `Name: Offer test model ${n}\nDescription: Too short.\n`;
const editorText = async (page: Page) => (await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');

/** Opens FOLDER/info.yaml with Go to File (the palette without ">"), as a user would. */
async function openInfoYaml(page: Page, index: number): Promise<void> {
  await hideNotificationCenter(page).catch(() => undefined);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: FOLDERS[index]! }).first();
  // The file search can miss a file it has not indexed yet (a busy machine): ask again.
  await waitUntil(
    async () => {
      await page.keyboard.press('F1');
      await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput(page).fill(`${FOLDERS[index]}/info.yaml`);
      if (await row.waitFor({ timeout: 8_000 }).then(() => true, () => false)) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    60_000,
    `Go to File to list ${FOLDERS[index]}/info.yaml`,
    500,
  );
  await page.keyboard.press('Enter');
  await waitUntil(async () => (await editorText(page)).includes(`Offer test model ${index}`), 30_000, `info.yaml of ${FOLDERS[index]} in the editor`);
}

/** The offers in the notifications (toasts and the Notifications Center), after a settling time. */
async function offersAfter(page: Page, ms: number): Promise<number> {
  // Longer than the extension's 3 s reachability check.
  await page.waitForTimeout(ms);
  await waitForNotification(page, /./, 1_000).catch(() => undefined); // opens the center when it has entries
  return (await notificationTexts(page)).filter((t) => OFFER.test(t)).length;
}

void uiTest('yamlOffer.ui', async ({ page, rig, checks }) => {
  const port = Number(process.env.MLWF_TEST_GALLERY_PORT);
  if (!port) throw new Error('MLWF_TEST_GALLERY_PORT is not set: run through test/e2e/run-in-code-server.sh ui');
  FOLDERS.forEach((folder, i) => {
    fs.mkdirSync(path.join(rig.workspace, folder), { recursive: true });
    fs.writeFileSync(path.join(rig.workspace, folder, 'info.yaml'), infoYaml(i));
  });

  await checks.step('workbench loads (the Red Hat YAML extension is not installed)', () => openWorkbench(page, rig));

  // Offline: the gallery's port does not answer.
  await checks.step('opens an info.yaml while the marketplace cannot be reached', () => openInfoYaml(page, 0));
  checks.check((await offersAfter(page, 6_000)) === 0, 'offline: the Red Hat YAML extension is not offered');

  // Online: a stand-in for the marketplace answers on the gallery's port (any HTTP answer counts).
  const probes: string[] = [];
  const gallery = createServer((req, res) => {
    if (req.method === 'HEAD') probes.push(req.url ?? '');
    res.statusCode = req.method === 'POST' ? 200 : 404;
    res.setHeader('Content-Type', 'application/json');
    // An empty answer to the workbench's own queries (extensionquery), should it ask.
    res.end(req.method === 'POST' ? JSON.stringify({ results: [{ extensions: [], resultMetadata: [{ metadataType: 'ResultCount', metadataItems: [{ name: 'TotalCount', count: 0 }] }] }] }) : '');
  });
  await new Promise<void>((resolve, reject) => gallery.once('error', reject).listen(port, '127.0.0.1', resolve));
  try {
    await checks.step('opens another info.yaml once the marketplace answers: the offer is shown', async () => {
      await openInfoYaml(page, 1);
      await waitForNotification(page, OFFER, 20_000);
    });
    await screenshot(page, 'yamlOffer-01-offered');
    checks.check((await offersAfter(page, 3_000)) === 1, 'it is shown once (one notification)');
    checks.check(probes.length === 1 && probes[0] === '/vscode/gallery', 'the extension asked the gallery once whether it answers', JSON.stringify(probes));

    await checks.step("dismisses it (the notification's close button)", async () => {
      const offer = notificationItems(page).filter({ hasText: OFFER }).first();
      let clickedAt = 0;
      await waitUntil(async () => {
        if ((await notificationItems(page).filter({ hasText: OFFER }).count()) === 0) return true;
        if (Date.now() - clickedAt > 3_000) {
          await offer.hover().catch(() => undefined);
          await offer.locator('.codicon-notifications-clear').first().click({ timeout: 2_000 }).catch(() => undefined);
          clickedAt = Date.now();
        }
        return false;
      }, 20_000, 'the offer to close', 300);
    });
    await checks.step('opens the other info.yaml files again', async () => {
      await openInfoYaml(page, 2);
      await openInfoYaml(page, 0);
    });
    checks.check((await offersAfter(page, 6_000)) === 0, 'after it was dismissed: not offered again');

    await checks.step('reloads the window and opens an info.yaml', async () => {
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
      await openInfoYaml(page, 1);
    });
    checks.check((await offersAfter(page, 8_000)) === 0, 'after a reload: still not offered (the answer is remembered)');
    checks.check(probes.length === 1, 'nor was the marketplace asked again', JSON.stringify(probes));
  } finally {
    gallery.close();
  }
});
