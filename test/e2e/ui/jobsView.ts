// Finding a row of the Jobs view in the workbench. Other suites' jobs on the same Grid Engine cell
// are listed too (active ones first, then newest first), and the view is a few rows high: a test's
// row may be outside the rendered rows. So the list goes back to its first row, then down row by
// row until the row is rendered, and again from the top should it reach the bottom first
// (scrollToTreeRow only scrolls down, from wherever it is).
import type { Locator, Page } from 'playwright-core';
import { treeRows, treeRowTexts, viewPane, waitUntil } from './lib';

export async function findJobRow(page: Page, view: string, text: RegExp, timeout = 30_000): Promise<Locator> {
  const pane = viewPane(page, view);
  const list = pane.locator('.monaco-list').first();
  const row = treeRows(page, view).filter({ hasText: text }).first();
  const first = pane.locator('.monaco-list-row[data-index="0"]').first();
  const last = pane.locator('.monaco-list-row[data-last-element="true"]').first();
  try {
    await waitUntil(async () => {
      if (await row.isVisible().catch(() => false)) return true;
      await list.hover({ timeout: 2_000 }).catch(() => undefined);
      await page.mouse.wheel(0, -2_000);
      return first.isVisible().catch(() => false);
    }, Math.min(timeout, 10_000), 'the first row of the list', 100);
    await waitUntil(async () => {
      if (await row.isVisible().catch(() => false)) return true;
      await list.hover({ timeout: 2_000 }).catch(() => undefined);
      // At the bottom without it: the row may have come (or moved up) after the search passed its
      // place, as the view refreshes while a job starts. Start again from the top.
      await page.mouse.wheel(0, (await last.isVisible().catch(() => false)) ? -100_000 : 44);
      return false;
    }, timeout, `the row ${text}`, 250);
  } catch (e) {
    throw new Error(`${(e as Error).message} (rendered: ${(await treeRowTexts(page, view)).join(' | ')})`);
  } finally {
    await page.mouse.move(1200, 450);
  }
  return row;
}

/** The row's text (blanks folded) once it matches `text`, scrolling to it if needed; '' when it is not listed. */
export async function jobRowText(page: Page, view: string, text: RegExp): Promise<string> {
  const rendered = async () => (await treeRowTexts(page, view)).find((t) => text.test(t));
  const now = await rendered();
  if (now) return now;
  if (!(await findJobRow(page, view, text, 3_000).catch(() => undefined))) return '';
  return (await rendered()) ?? '';
}
