// Rows of the workbench's trees (the MLflow side bar's views): finding, scrolling to, expanding and
// finding a row's child. Trees are virtualised and re-render while rows load, so every helper
// re-finds its row by text and level rather than holding on to an element or an index.
import type { Locator, Page } from 'playwright-core';
import { viewPane, waitUntil } from './lib';

/**
 * A tree's own rows. VS Code's sticky scroll draws copies of the ancestors of the top row
 * (`.monaco-tree-sticky-row`) over the list: they are not the rows, and they cover the row that
 * has just scrolled under them.
 */
export const TREE_ROW = '.monaco-list-row:not(.monaco-tree-sticky-row)';

export function treeRows(page: Page, viewTitle?: string): Locator {
  return viewTitle ? viewPane(page, viewTitle).locator(TREE_ROW) : page.locator(`.part.sidebar ${TREE_ROW}`);
}

/** Whether a click at the row's centre reaches the row (not a sticky-scroll header over it). */
async function uncovered(row: Locator): Promise<boolean> {
  return row
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit !== null && el.contains(hit);
    })
    .catch(() => false);
}

export async function treeRowTexts(page: Page, viewTitle?: string): Promise<string[]> {
  return (await treeRows(page, viewTitle).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

export async function waitForTreeRow(page: Page, text: string | RegExp, viewTitle?: string, timeout = 30_000): Promise<Locator> {
  const row = treeRows(page, viewTitle).filter({ hasText: text }).first();
  await row.waitFor({ timeout });
  return row;
}

/**
 * A row that may be below the fold of its view (trees are virtualised: unrendered rows do not
 * exist): scrolls the view's list with the mouse wheel, which leaves focus and selection alone,
 * until the row is rendered and no sticky-scroll header covers it.
 */
export async function scrollToTreeRow(page: Page, text: string | RegExp, viewTitle?: string, timeout = 30_000): Promise<Locator> {
  const row = treeRows(page, viewTitle).filter({ hasText: text }).first();
  const list = (viewTitle ? viewPane(page, viewTitle) : page.locator('.part.sidebar')).locator('.monaco-list').first();
  await waitUntil(async () => {
    const visible = await row.isVisible().catch(() => false);
    if (visible && (await uncovered(row))) return true;
    await list.hover().catch(() => undefined);
    // Rendered but under the sticky headers: it is above, so scroll up to bring it out.
    await page.mouse.wheel(0, visible ? -66 : 66);
    // Away again before a row's hover can open and cover the rows (and the next click).
    await page.mouse.move(1200, 450);
    return false;
  }, timeout, `tree row ${text}`, 300);
  await page.mouse.move(1200, 450);
  return row;
}

/** Expands a tree row if it is collapsed (a click toggles, so a remembered expansion would close). */
export async function expandTreeRow(row: Locator, timeout = 20_000): Promise<void> {
  let clickedAt = 0;
  await waitUntil(async () => {
    if ((await row.getAttribute('aria-expanded').catch(() => null)) !== 'false') return true;
    // On a busy machine a click can land while the row is re-rendered: click again after a while.
    if (Date.now() - clickedAt > 4000) {
      await row.locator('.monaco-tl-twistie').first().click({ timeout: 5000 }).catch(() => undefined);
      clickedAt = Date.now();
    }
    return false;
  }, timeout, 'the row to expand', 250);
}

/**
 * The row under `parent` (at any depth below it, before the next row at its own level) whose text
 * matches: rows of the same label elsewhere in the tree (another run's "Models") do not count.
 * Scrolls with the mouse wheel until it is rendered.
 */
export async function childTreeRow(page: Page, viewTitle: string, parent: Locator, text: RegExp, timeout = 20_000): Promise<Locator> {
  const pane = viewPane(page, viewTitle);
  let found: Locator | undefined;
  let seen = '';
  let lastKey = '';
  await waitUntil(async () => {
    const top = Number(await parent.getAttribute('data-index').catch(() => NaN));
    const level = Number(await parent.getAttribute('aria-level').catch(() => NaN));
    const rows = await pane.locator(TREE_ROW).evaluateAll((els) =>
      els.map((e) => ({ index: Number(e.getAttribute('data-index')), level: Number(e.getAttribute('aria-level')), pos: e.getAttribute('aria-posinset') ?? '', text: (e.textContent ?? '').replace(/\s+/g, ' ').trim() })),
    );
    rows.sort((a, b) => a.index - b.index);
    seen = `parent #${top} (level ${level}); rows ${rows.map((r) => `#${r.index}/${r.level} ${r.text}`).join(' | ')}`;
    let pastParent = false;
    for (const r of rows.filter((r) => r.index > top)) {
      if (r.level <= level) {
        pastParent = true;
        break;
      }
      if (text.test(r.text)) {
        // By level and text, not by list index or position: rows loading or re-sorting above (a
        // version's other children, live updates) shift both between finding the row and clicking it.
        const key = `${r.level}/${r.pos}/${r.text}`;
        const stable = key === lastKey; // the same answer twice in a row: the tree has settled
        lastKey = key;
        found = pane.locator(`${TREE_ROW}[aria-level="${r.level}"]`).filter({ hasText: text }).first();
        return stable;
      }
    }
    // Scroll only while the parent's rows run on below the fold, or the parent is the last row
    // rendered (its children are all below it); children may also still be loading.
    if (pastParent || Number.isNaN(top)) return false;
    await pane.locator('.monaco-list').first().hover().catch(() => undefined);
    await page.mouse.wheel(0, 66);
    await page.mouse.move(1200, 450);
    return false;
  }, timeout, `a row ${text} under its parent`, 300).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}: ${seen}`);
  });
  await page.mouse.move(1200, 450);
  return found!;
}

// ---------- command palette and input boxes ----------
