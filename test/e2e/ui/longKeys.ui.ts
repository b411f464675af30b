// A run whose metric and parameter keys are 120 characters long, at the side bar's default
// width: the value of each row stays on screen (the key is shortened in its middle, not the
// value cut off at the row's end), and the row's tooltip shows the key whole. Against a real
// MLflow server of its own (the real client logs the run), so the shared servers stay as the
// other files expect them.
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { realMlflowSkipReason, runRealClient, startRealMlflow } from '../../servers/realMlflow';
import { REPO_ROOT, clearNotifications, expandTreeRow, openMlflowContainer, openWorkbench, screenshot, uiTest, viewPane, waitForTreeRow, waitUntil } from './lib';
import { signInToRealServer } from './realServerSteps';

const VIEW = 'Experiments';

/**
 * Whether `text` in the row is on screen: its right edge is inside every box that clips it
 * (the label's containers cut overflowing text with an ellipsis, the row and the side bar too),
 * and before the ellipsis where the box's text overflows.
 * Returns the figures for the failure message.
 */
async function shownWhole(row: Locator, text: string): Promise<{ shown: boolean; detail: string }> {
  return row.evaluate(SHOWN_WHOLE, text);
}

// Runs in the page (its text, because the test's TypeScript has no DOM types).
const SHOWN_WHOLE = new Function('el', 'wanted', `
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(wanted);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + wanted.length);
    const right = range.getBoundingClientRect().right;
    let clip = Infinity;
    for (let box = node.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') {
        // A box whose text overflows draws an ellipsis over the last characters it has room for.
        let limit = box.getBoundingClientRect().right;
        if (box.scrollWidth > box.clientWidth + 1) {
          const dots = document.createElement('span');
          dots.textContent = '…';
          box.appendChild(dots);
          limit -= dots.getBoundingClientRect().width;
          dots.remove();
        }
        clip = Math.min(clip, limit);
      }
      if (box.classList.contains('sidebar')) break;
    }
    return { shown: right <= clip + 0.5, detail: '"' + wanted + '" ends at x=' + right.toFixed(1) + ', the row shows up to x=' + clip.toFixed(1) };
  }
  return { shown: false, detail: '"' + wanted + '" is not in the row (' + el.textContent + ')' };
`) as (el: unknown, wanted: string) => { shown: boolean; detail: string };

/** Hovers a row and returns the text of the hover (its tooltip). */
async function hoverText(page: Page, row: Locator, expected: string): Promise<string> {
  let text = '';
  await waitUntil(async () => {
    await page.mouse.move(1200, 450);
    await row.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: expected.slice(0, 30) }).first();
    if (!(await hover.waitFor({ timeout: 3_000 }).then(() => true, () => false))) return false;
    text = (await hover.innerText()).replace(/\s+/g, '');
    return true;
  }, 30_000, 'the row\'s tooltip', 500);
  await page.mouse.move(1200, 450);
  return text;
}

void uiTest('longKeys.ui', async ({ page, rig, checks }) => {
  const skipped = realMlflowSkipReason();
  if (skipped) {
    checks.skip(skipped);
    return;
  }
  const server = await startRealMlflow('2.14.3');
  try {
    const logged = JSON.parse(await runRealClient(server, path.join(REPO_ROOT, 'test', 'fixtures', 'real-mlflow', 'long-keys.py'))) as { metric_key: string; param_key: string };
    checks.check(logged.metric_key.length === 120 && logged.param_key.length === 120, 'the real client logged a metric and a parameter with 120-character keys');

    await checks.step('workbench loads, signs in to the server', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      await signInToRealServer(page, server);
    });
    await clearNotifications(page).catch(() => undefined);
    // The tree renders only visible rows: give the Experiments view the side bar's height.
    const modelsHeader = viewPane(page, 'Models').locator('.pane-header').first();
    if ((await modelsHeader.getAttribute('aria-expanded').catch(() => null)) === 'true') await modelsHeader.click();

    const width = await page.locator('.part.sidebar').first().evaluate((el) => el.getBoundingClientRect().width);
    checks.check(width > 0 && width <= 320, `the side bar has its default width (${Math.round(width)} px)`);

    let runRow!: Locator;
    await checks.step('opens the experiment and its run', async () => {
      await expandTreeRow(await waitForTreeRow(page, /long-keys\s*updated/, VIEW));
      runRow = await waitForTreeRow(page, /long-keys-run/, VIEW);
    });
    const runValue = await shownWhole(runRow, '0.877');
    checks.check(runValue.shown, "the run row's primary metric value is on screen", runValue.detail);

    let metricRow!: Locator;
    await checks.step('opens the run\'s Metrics', async () => {
      await expandTreeRow(runRow);
      await expandTreeRow(await waitForTreeRow(page, /Metrics\s*1/, VIEW));
      metricRow = await waitForTreeRow(page, /= 0\.877/, VIEW);
    });
    await screenshot(page, 'longKeys-01-metric');
    const metricValue = await shownWhole(metricRow, '= 0.877');
    checks.check(metricValue.shown, 'the metric row with a 120-character key shows its value', metricValue.detail);
    const metricText = (await metricRow.innerText()).replace(/\s+/g, ' ');
    checks.check(metricText.startsWith('validati') && metricText.includes('…') && metricText.includes('f1_class_17'), 'its key keeps its start and end around an ellipsis', metricText);
    checks.check((await hoverText(page, metricRow, logged.metric_key)).includes(logged.metric_key), 'its tooltip shows the whole key');

    let paramRow!: Locator;
    await checks.step('opens the run\'s Parameters', async () => {
      await expandTreeRow(await waitForTreeRow(page, /Parameters\s*1/, VIEW));
      paramRow = await waitForTreeRow(page, /= 0\.05/, VIEW);
    });
    const paramValue = await shownWhole(paramRow, '= 0.05');
    checks.check(paramValue.shown, 'the parameter row with a 120-character key shows its value', paramValue.detail);
    checks.check((await hoverText(page, paramRow, logged.param_key)).includes(logged.param_key), 'its tooltip shows the whole key');
    await screenshot(page, 'longKeys-02-param');
  } finally {
    await server.stop();
  }
});
