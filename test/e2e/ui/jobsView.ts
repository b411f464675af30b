// Finding a row of the Jobs view in the workbench. Other suites' jobs on the same Grid Engine cell
// are listed too, newest first (active ones on top), and the view is a few rows high: a test's row
// may be outside the rendered rows. scrollToTreeRow only scrolls down, so the list goes back to
// its top first (a new or newly active row appears there).
import type { Locator, Page } from 'playwright-core';
import { scrollToTreeRow, treeRowTexts, viewPane } from './lib';

export async function findJobRow(page: Page, view: string, text: RegExp, timeout = 30_000): Promise<Locator> {
  const list = viewPane(page, view).locator('.monaco-list').first();
  await list.hover().catch(() => undefined);
  await page.mouse.wheel(0, -100_000);
  await page.mouse.move(1200, 450);
  return scrollToTreeRow(page, text, view, timeout);
}

/** The row's text (blanks folded) once it matches `text`, scrolling to it if needed; '' when it is not listed. */
export async function jobRowText(page: Page, view: string, text: RegExp): Promise<string> {
  const rendered = async () => (await treeRowTexts(page, view)).find((t) => text.test(t));
  const now = await rendered();
  if (now) return now;
  if (!(await findJobRow(page, view, text, 3_000).catch(() => undefined))) return '';
  return (await rendered()) ?? '';
}
