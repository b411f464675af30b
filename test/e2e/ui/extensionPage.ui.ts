// The installed extension's page, as a user meets it: the .vsix installed with "Extensions:
// Install from VSIX…", its page in the Extensions view shows the README with every picture
// loaded from where they are published (VS Code shows only https pictures there, and there is
// no public repository: MLWF_IMAGES_BASE_URL names the folder), and its walkthrough's pictures
// are in the package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  REPO_ROOT,
  activeWebview,
  openWorkbench,
  quickInput,
  screenshot,
  uiTest,
  waitForNotification,
  waitUntil,
} from './lib';
import { paletteCommand } from './workbench';

/** The pictures README.md shows, in order. */
function readmeImages(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
}

/**
 * Where the pictures are published, as a group would publish them (a public-read https folder):
 * a local https server with a throw-away certificate (the browser is told to accept it).
 */
async function publishScreenshots(dir: string): Promise<{ url: string; requests: string[]; close: () => void }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const requests: string[] = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(REPO_ROOT, 'media', 'screenshots', path.basename(req.url ?? ''));
    if (!/^\/pictures\/media\/screenshots\/[\w-]+\.png$/.test(req.url ?? '') || !existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'image/png');
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/pictures/`, requests, close: () => server.close() };
}

// The page's pictures come from the https folder above, whose certificate is the test's own.
process.env.CHROMIUM_EXTRA_ARGS = '--ignore-certificate-errors';

void uiTest('extensionPage.ui', async ({ page, rig, checks }) => {
  const work = mkdtempSync(path.join(path.dirname(rig.workspace), 'vsix-'));
  const pictures = await publishScreenshots(work);
  // The packaged extension (not the unpacked development copy the other UI files load), with the
  // README's pictures pointed at where they are published.
  const vsix = path.join(work, 'mlwf.vsix');
  await checks.step('packages the .vsix (npm run package, MLWF_IMAGES_BASE_URL set)', async () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'package-vsix.sh')], { env: { ...process.env, MLWF_IMAGES_BASE_URL: pictures.url, VSIX_OUT: vsix }, stdio: 'pipe' });
  });
  const images = readmeImages();
  checks.check(images.length >= 5, `the README shows pictures (${images.length})`);

  await checks.step('workbench loads without the development copy', () => openWorkbench(page, { ...rig, devExt: undefined }));
  await checks.step('"Extensions: Install from VSIX…" installs the package', async () => {
    await paletteCommand(page, 'Extensions: Install from VSIX...');
    // code-server's simple file dialog: the path is typed into its input.
    const dialog = page.locator('.quick-input-widget').first();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    // The dialog fills in its start folder once it has listed it: type the path after that.
    await waitUntil(async () => (await quickInput(page).inputValue()).startsWith('/'), 15_000, 'the file dialog to show its folder');
    // It may fill it in once more after a slow listing, over what was typed: type again until
    // the path stays (a CI run lost the path to a second fill of the home folder).
    await waitUntil(
      async () => {
        if ((await quickInput(page).inputValue()) !== vsix) await quickInput(page).fill(vsix);
        await page.waitForTimeout(500);
        return (await quickInput(page).inputValue()) === vsix;
      },
      20_000,
      'the typed path to stay in the dialog',
    );
    await dialog.locator('.monaco-button', { hasText: /^Install$/ }).first().click();
    await waitForNotification(page, /Completed installing|installed/i, 60_000);
  });
  await screenshot(page, 'extensionPage-00-installed');

  await checks.step('its page opens from the Extensions view', async () => {
    await paletteCommand(page, 'Extensions: Show Installed Extensions');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: /MLWF/ }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('.extension-editor .header .name', { hasText: /MLWF/ }).first().waitFor({ timeout: 30_000 });
  });

  const readme = activeWebview(page);
  await checks.step('the page shows the README (what it does, install over Remote-SSH, features, settings, troubleshooting)', async () => {
    for (const heading of ['Install over Remote-SSH', 'Features', 'Settings', 'Commands', 'Troubleshooting']) {
      await readme.locator('h2', { hasText: heading }).first().waitFor({ timeout: 30_000 });
    }
  });
  const loaded = async () =>
    readme.locator('img').evaluateAll((imgs) =>
      (imgs as unknown as { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null }[]).map((img) => ({
        src: img.getAttribute('src') ?? '',
        ok: img.complete && img.naturalWidth > 0,
      })),
    );
  let seen: { src: string; ok: boolean }[] = [];
  await checks.step('every picture of the README is on the page and loads', async () => {
    await waitUntil(async () => {
      // Lazy pictures load once they are scrolled into view: scroll each one in.
      const imgs = readme.locator('img');
      for (let i = 0; i < (await imgs.count()); i++) await imgs.nth(i).scrollIntoViewIfNeeded().catch(() => undefined);
      seen = await loaded();
      return seen.length >= images.length && seen.every((i) => i.ok);
    }, 60_000, `${images.length} loaded pictures (saw ${JSON.stringify(seen)})`, 1_000);
  });
  checks.check(
    images.every((src) => seen.some((s) => s.src === `${pictures.url}${src}`)),
    "the pictures are the README's own, from where they are published",
    JSON.stringify(seen.map((s) => s.src)),
  );
  checks.check(images.every((src) => pictures.requests.includes(`/pictures/${src}`)), 'the page fetched each of them', JSON.stringify(pictures.requests));
  await readme.locator('img').first().scrollIntoViewIfNeeded().catch(() => undefined);
  await screenshot(page, 'extensionPage-01-readme');

  // The walkthrough's pictures come from the package as well.
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { media: { image: string } }[] }[] } };
  const listing = execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).split('\n');
  const walkthroughImages = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image));
  checks.check(walkthroughImages.every((img) => listing.includes(img)), 'every walkthrough picture is in the package', walkthroughImages.filter((i) => !listing.includes(i)).join(', '));
  pictures.close();
});
