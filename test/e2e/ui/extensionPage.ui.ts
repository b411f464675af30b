// The installed extension's page, as a user meets it: the .vsix installed with "Extensions:
// Install from VSIX…", its page in the Extensions view shows the README with every picture
// loaded (embedded in the package's README: there is no public repository the page could load
// them from), and its walkthrough's pictures are in the package too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

void uiTest('extensionPage.ui', async ({ page, rig, checks }) => {
  // The packaged extension, not the unpacked development copy the other UI files load. npm test
  // packages it just before the UI tests; run alone, this file packages it when it is stale.
  const vsix = path.join(REPO_ROOT, 'dist-vsix', 'mlwf.vsix');
  const inputs = ['README.md', 'package.json', '.vscodeignore', 'media/screenshots'].map((f) => statSync(path.join(REPO_ROOT, f)).mtimeMs);
  if (!existsSync(vsix) || statSync(vsix).mtimeMs < Math.max(...inputs)) {
    await checks.step('packages the .vsix (npm run package)', async () => {
      execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'package-vsix.sh')], { stdio: 'pipe' });
    });
  }
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
    await quickInput(page).fill(vsix);
    await waitUntil(async () => (await quickInput(page).inputValue()) === vsix, 5_000, 'the typed path');
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
  // The package's README carries each picture as a data: URI (the page loads images only from
  // https: and data:): each one shown must be the bytes of the README's file.
  const expected = images.map((src) => `data:image/png;base64,${readFileSync(path.join(REPO_ROOT, src)).toString('base64')}`);
  checks.check(
    expected.every((uri) => seen.some((s) => s.src === uri)),
    'the pictures are the README\'s own (media/screenshots/…, embedded in the package)',
    JSON.stringify(seen.map((s) => `${s.src.slice(0, 40)}… (${s.src.length} chars)`)),
  );
  await readme.locator('img').first().scrollIntoViewIfNeeded().catch(() => undefined);
  await screenshot(page, 'extensionPage-01-readme');

  // The walkthrough's pictures come from the package as well.
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { media: { image: string } }[] }[] } };
  const listing = execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies', '--readme-path', 'dist-vsix/README.md'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).split('\n');
  const walkthroughImages = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image));
  checks.check(walkthroughImages.every((img) => listing.includes(img)), 'every walkthrough picture is in the package', walkthroughImages.filter((i) => !listing.includes(i)).join(', '));
});
