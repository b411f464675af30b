// A comparison of many runs in the real workbench: the legend of 30 runs starts collapsed to one
// line (the run count, no chips above the charts) while the first chart draws; opened from the
// keyboard it lists every run, its filter box narrows the chips to the names that match (and
// says how many), "Hide Matching" hides exactly those runs at once (the collapsed line then says
// how many are hidden), Escape clears the filter. Against the project's own test MLflow server
// with a generated experiment of 30 runs (a scale case the demo scenario does not have), behind
// nginx, started by this file.
import { startRigProcess, type RigProcess } from '../../../bench/rigProcess';
import {
  activeWebview,
  clearNotifications,
  openMlflowContainer,
  openWorkbench,
  runCommand,
  screenshot,
  uiTest,
  waitForTreeRow,
  waitUntil,
} from './lib';
import { collapseView, signInFromWelcome } from './workbench';

const VIEW = 'Experiments';
const RUNS = 30;

void uiTest('compareManyRuns.ui', async ({ page, rig, checks }) => {
  let server: RigProcess | undefined;
  try {
    server = await startRigProcess({ seed: 11, runs: RUNS, historyRuns: RUNS, historySteps: 300, historyKeys: ['loss'] });
    const own = server;
    await checks.step('workbench loads and signs in to a server with a 30-run experiment', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      await signInFromWelcome(page, VIEW, own);
    });
    await clearNotifications(page).catch(() => undefined);
    await collapseView(page, 'Models');

    let title = '';
    await checks.step('selects every run of gen-big-runs and compares them', async () => {
      await (await waitForTreeRow(page, /^gen-big-runs/, VIEW)).click();
      await page.keyboard.press('ArrowRight');
      await (await waitForTreeRow(page, /^run-\d{6}/, VIEW, 60_000)).click();
      await page.keyboard.press('Control+A');
      await runCommand(page, 'MLWF: Compare Selected Runs');
      const tab = page.locator('.tab', { hasText: /Compare: gen-big-runs \(\d+ runs\)/ }).first();
      await tab.waitFor({ timeout: 30_000 });
      title = (await tab.textContent()) ?? '';
    });
    // The generator nests a few runs under parents: the compared top-level rows may be fewer than 30.
    const compared = Number(/\((\d+) runs\)/.exec(title)?.[1] ?? 0);
    checks.check(compared > 20, `more than 20 runs compared (${compared})`);

    const web = activeWebview(page);
    const toggle = web.locator('.legend button[data-name="legend-toggle"]');
    await checks.step('the legend starts collapsed to one line with the run count, no chips shown', async () => {
      await toggle.waitFor({ timeout: 30_000 });
      const text = (await toggle.textContent())?.trim();
      if (text !== `Runs (${compared})`) throw new Error(`toggle says ${JSON.stringify(text)}`);
      if ((await toggle.getAttribute('aria-expanded')) !== 'false') throw new Error('not collapsed');
      const visibleChips = await web.locator('.legend .chip').evaluateAll((chips) => chips.filter((c) => (c as unknown as { offsetParent: unknown }).offsetParent !== null).length);
      if (visibleChips !== 0) throw new Error(`${visibleChips} chips visible while collapsed`);
      await web.locator('.chart-card[data-metric="loss"] canvas').first().waitFor({ timeout: 30_000 });
    });
    await screenshot(page, 'compare-many-01-legend-collapsed');

    let names: string[] = [];
    await checks.step('Enter on the focused toggle opens it: a filter box and a chip for every run', async () => {
      await toggle.focus();
      await page.keyboard.press('Enter');
      await waitUntil(async () => (await toggle.getAttribute('aria-expanded')) === 'true', 5_000, 'the legend to open');
      await web.locator('.legend input[data-name="legend-filter"]').waitFor({ state: 'visible', timeout: 5_000 });
      names = await web.locator('.legend-chips .chip:not([hidden]) .run-name').allTextContents();
      if (names.length !== compared) throw new Error(`${names.length} chips for ${compared} runs`);
      // The chips scroll inside the legend instead of pushing the charts down the page.
      const box = await web.locator('.legend-chips').evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
      if (!(box.client < box.scroll)) throw new Error(`the chip box does not scroll (${JSON.stringify(box)})`);
    });

    const needle = 'run-00001';
    const expected = names.filter((n) => n.toLowerCase().includes(needle));
    await checks.step(`typing "${needle}" in the filter leaves only the matching chips and says how many`, async () => {
      if (expected.length === 0 || expected.length === names.length) throw new Error(`a useless filter: ${expected.length} of ${names.length}`);
      await web.locator('.legend input[data-name="legend-filter"]').fill(needle);
      await waitUntil(async () => (await web.locator('.legend-chips .chip:not([hidden])').count()) === expected.length, 5_000, `${expected.length} chips`);
      const shown = await web.locator('.legend-chips .chip:not([hidden]) .run-name').allTextContents();
      if (shown.join() !== expected.join()) throw new Error(`shown ${shown.join()} ≠ ${expected.join()}`);
      const matches = (await web.locator('.legend-matches').textContent())?.trim();
      if (matches !== `${expected.length} of ${compared} runs match`) throw new Error(`says ${JSON.stringify(matches)}`);
    });
    await screenshot(page, 'compare-many-02-legend-filtered');

    await checks.step('"Hide Matching" hides exactly the matching runs', async () => {
      await web.locator('.legend vscode-button[data-name="legend-hide-matching"]').click();
      await waitUntil(async () => (await web.locator('.legend-chips .chip.hidden-run').count()) === expected.length, 5_000, 'hidden chips');
      const hidden = await web.locator('.legend-chips .chip.hidden-run .run-name').allTextContents();
      if (hidden.join() !== expected.join()) throw new Error(`hidden ${hidden.join()}`);
      const pressed = await web.locator('.legend-chips .chip.hidden-run .chip-toggle').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-pressed')));
      if (!pressed.every((p) => p === 'false')) throw new Error(`aria-pressed ${pressed.join()}`);
      const said = (await web.locator('.legend-hidden').textContent())?.trim();
      if (said !== `${expected.length} hidden`) throw new Error(`the head says ${JSON.stringify(said)}`);
    });

    await checks.step('Escape in the filter clears it: every chip is listed again', async () => {
      await web.locator('.legend input[data-name="legend-filter"]').press('Escape');
      await waitUntil(async () => (await web.locator('.legend-chips .chip:not([hidden])').count()) === compared, 5_000, 'all chips');
      if (((await web.locator('.legend-matches').textContent()) ?? '').trim() !== '') throw new Error('the match count is still shown');
    });

    await checks.step('clicking the toggle collapses it again; the hidden count stays in view', async () => {
      await toggle.click();
      await waitUntil(async () => (await toggle.getAttribute('aria-expanded')) === 'false', 5_000, 'collapsed');
      if (await web.locator('.legend-body').isVisible()) throw new Error('the chips are still shown');
      if (!(await web.locator('.legend-hidden', { hasText: `${expected.length} hidden` }).isVisible())) throw new Error('the hidden count is not shown');
    });
    await screenshot(page, 'compare-many-03-legend-collapsed-hidden');
  } finally {
    await server?.stop();
  }
});
