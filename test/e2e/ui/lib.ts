// Shared helpers for the Playwright tests against the real VS Code workbench served by code-server.
// The rig (test/e2e/run-in-code-server.sh) starts code-server and the test MLflow server and passes:
//   CS_BASE_URL      http://127.0.0.1:PORT of code-server (started with --vscode-option enable-smoke-test-driver)
//   CS_WORKSPACE     absolute folder to open
//   DEV_EXT          absolute path of the unpacked extension (extensionDevelopmentPath), normally the repo root
//   SCREENSHOT_DIR   where screenshots go (default test-results/screenshots at the repo root)
//   CHROMIUM_PATH    browser binary (default: `chromium` found on PATH)
//   MLWF_TEST_TRACKING_URI / _USERNAME / _PASSWORD / _DIRECT_URL   the test MLflow server
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// The tree helpers live in treeRows.ts; re-exported so every test keeps one import.
export * from './treeRows';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Rig {
  baseUrl: string;
  workspace: string;
  devExt?: string;
  screenshotDir: string;
  trackingUri?: string;
  username?: string;
  password?: string;
  directUrl?: string;
}

export function rigFromEnv(): Rig {
  const baseUrl = process.env.CS_BASE_URL;
  const workspace = process.env.CS_WORKSPACE;
  if (!baseUrl || !workspace) {
    throw new Error('CS_BASE_URL and CS_WORKSPACE are not set: run through test/e2e/run-in-code-server.sh ui');
  }
  return {
    baseUrl: baseUrl.replace(/\/$/, ''),
    workspace,
    devExt: process.env.DEV_EXT || undefined,
    screenshotDir: process.env.SCREENSHOT_DIR || path.join(REPO_ROOT, 'test-results', 'screenshots'),
    trackingUri: process.env.MLWF_TEST_TRACKING_URI,
    username: process.env.MLWF_TEST_USERNAME,
    password: process.env.MLWF_TEST_PASSWORD,
    directUrl: process.env.MLWF_TEST_DIRECT_URL,
  };
}

// ---------- tiny assertion / reporting helper ----------
export class Checks {
  private passed = 0;
  private failed = 0;
  private readonly t0 = Date.now();
  constructor(readonly name: string) {
    console.log(`${name}`);
  }
  private ms(): string {
    return `${((Date.now() - this.t0) / 1000).toFixed(1)}s`;
  }
  /** Records one check; prints PASS/FAIL. Returns the condition. */
  check(ok: boolean, message: string, detail?: string): boolean {
    if (ok) this.passed++;
    else this.failed++;
    console.log(`  ${ok ? 'PASS' : 'FAIL'} ${message} (${this.ms()})${!ok && detail ? `\n       ${detail}` : ''}`);
    return ok;
  }
  /** Runs a step that throws on failure (e.g. a Playwright wait); a throw counts as FAIL. Returns success. */
  async step(message: string, fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn();
      return this.check(true, message);
    } catch (err) {
      return this.check(false, message, firstLine(err));
    }
  }
  get ok(): boolean {
    return this.failed === 0;
  }
  private skipped = false;
  /** The whole file cannot run here (a part from outside the project is missing): one line says why. */
  skip(reason: string): void {
    this.skipped = true;
    console.log(`  SKIP ${reason}`);
  }
  /** Prints "<name>: N passed, N failed" (the rig sums these up) and returns the exit code. */
  summary(): number {
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    return this.failed === 0 && (this.passed > 0 || this.skipped) ? 0 : 1;
  }
}

export function firstLine(err: unknown): string {
  // eslint-disable-next-line no-control-regex
  const text = (err instanceof Error ? err.message : String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  return text.split('\n').filter((l) => l.trim()).slice(0, 3).join(' | ');
}

/**
 * Runs one UI test file: launches the browser, calls body, always closes the browser, prints the
 * summary and sets the exit code (non-zero on any failure or crash).
 */
export async function uiTest(name: string, body: (ctx: { page: Page; rig: Rig; checks: Checks }) => Promise<void>): Promise<void> {
  const checks = new Checks(name);
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    const rig = rigFromEnv();
    browser = await launchBrowser();
    page = await newPage(browser);
    await body({ page, rig, checks });
  } catch (err) {
    checks.check(false, 'test body finished without an exception', firstLine(err));
    if (page) await screenshot(page, `${name}-error`).catch(() => undefined);
  } finally {
    await browser?.close().catch(() => undefined);
  }
  process.exitCode = checks.summary();
}

// ---------- browser and workbench ----------
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH: try the next name
    }
  }
  throw new Error('chromium not found on PATH (bash scripts/install-system-deps.sh installs it); or set CHROMIUM_PATH');
}

export async function launchBrowser(): Promise<Browser> {
  // CHROMIUM_EXTRA_ARGS: a test's own flags (space-separated), e.g. for a local https server.
  const extra = (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean);
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...extra] });
}

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  if (process.env.VERBOSE) page.on('console', (m) => console.log(`    [browser ${m.type()}] ${m.text()}`));
  return page;
}

/** vscode-remote URI for an absolute path on the code-server machine (authority = host:port the browser uses). */
export function remoteUri(baseUrl: string, absPath: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${absPath}`;
}

/** Workbench URL opening the workspace folder, with the unpacked extension loaded when devExt is given. */
export function workbenchUrl(rig: Rig, extraPayload: [string, string][] = []): string {
  const payload: [string, string][] = [...extraPayload];
  if (rig.devExt) payload.unshift(['extensionDevelopmentPath', remoteUri(rig.baseUrl, rig.devExt)]);
  let url = `${rig.baseUrl}/?folder=${encodeURIComponent(rig.workspace)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Opens the workbench and waits until it is rendered. */
export async function openWorkbench(page: Page, rig: Rig, timeout = 60_000): Promise<void> {
  await page.goto(workbenchUrl(rig));
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.part.statusbar').waitFor({ timeout });
}

// ---------- activity bar, views, tree rows ----------
export function activityBarItem(page: Page, title = 'MLflow'): Locator {
  return page.locator(`.part.activitybar [aria-label^="${title}"]`).first();
}

/** Clicks the MLflow activity-bar icon (waits for it; it appears once the extension is registered). */
export async function openMlflowContainer(page: Page, timeout = 60_000): Promise<void> {
  const icon = activityBarItem(page);
  await icon.waitFor({ timeout });
  // Clicking an already-open container closes the side bar: only click when it is not shown.
  const sidebarTitle = page.locator('.part.sidebar .composite.title', { hasText: /MLflow/i });
  if (!(await sidebarTitle.isVisible().catch(() => false))) await icon.click();
  await sidebarTitle.waitFor({ timeout: 15_000 });
}

/** The pane (header + body) of one view in the side bar, by its title, e.g. "Experiments". */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: title }) });
}

/** Expands a collapsed view pane. */
export async function expandView(page: Page, title: string): Promise<void> {
  const header = viewPane(page, title).locator('.pane-header').first();
  await header.waitFor({ timeout: 15_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

/** A button of a view's welcome content (viewsWelcome), by its label. */
export function welcomeButton(page: Page, viewTitle: string, label: string | RegExp): Locator {
  return viewPane(page, viewTitle).locator('.welcome-view-content .monaco-button', { hasText: label }).first();
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input').first();
}

/** Runs a command through F1 by its palette title, e.g. "MLWF: Connect to MLflow Server…". */
export async function runCommand(page: Page, title: string, timeout = 15_000): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
}

/** Waits for an input box / quick pick (optionally with this prompt or placeholder text) and answers it. */
export async function answerInputBox(page: Page, value: string, opts: { prompt?: string | RegExp; timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 15_000;
  const widget = page.locator('.quick-input-widget').first();
  await widget.waitFor({ state: 'visible', timeout });
  if (opts.prompt) {
    const promptRe = typeof opts.prompt === 'string' ? new RegExp(escapeRegExp(opts.prompt)) : opts.prompt;
    await waitUntil(async () => {
      const text = await widget.innerText().catch(() => '');
      const placeholder = (await quickInput(page).getAttribute('placeholder').catch(() => '')) ?? '';
      return promptRe.test(text) || promptRe.test(placeholder);
    }, timeout, `input box with prompt ${promptRe}`);
  }
  await quickInput(page).fill(value);
  await page.keyboard.press('Enter');
}

/** Picks an item of an open quick pick by its label. */
export async function pickQuickItem(page: Page, label: string | RegExp, timeout = 15_000): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout });
  await row.click();
}

// ---------- notifications and status bar ----------
// code-server runs with --vscode-option enable-smoke-test-driver (needed for the dev-extension payload),
// and in that mode the workbench never shows notification toasts: notifications only go to the
// Notifications Center. These helpers read toasts when there are any, else open the center.
const TOASTS = '.notifications-toasts .notification-toast';
const CENTER_ITEMS = '.notifications-center .notification-list-item';

export function notificationToasts(page: Page): Locator {
  return page.locator(TOASTS);
}

/** Toasts and Notifications Center entries. */
export function notificationItems(page: Page): Locator {
  return page.locator(`${TOASTS}, ${CENTER_ITEMS}`);
}

export async function isNotificationCenterVisible(page: Page): Promise<boolean> {
  return page.locator('.notifications-center.visible').first().isVisible().catch(() => false);
}

/** Opens the Notifications Center (the bell in the status bar). */
export async function showNotificationCenter(page: Page): Promise<void> {
  if (await isNotificationCenterVisible(page)) return;
  await page.locator('.part.statusbar [id="status.notifications"]').first().click();
  await page.locator('.notifications-center.visible').first().waitFor({ timeout: 5_000 });
}

export async function hideNotificationCenter(page: Page): Promise<void> {
  if (await isNotificationCenterVisible(page)) await page.locator('.part.statusbar [id="status.notifications"]').first().click();
}

export async function notificationTexts(page: Page): Promise<string[]> {
  return (await notificationItems(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits for a notification (toast or center entry) containing text; opens the center if needed. */
export async function waitForNotification(page: Page, text: string | RegExp, timeout = 30_000): Promise<Locator> {
  const item = notificationItems(page).filter({ hasText: text }).first();
  await waitUntil(
    async () => {
      if (await item.isVisible().catch(() => false)) return true;
      await showNotificationCenter(page).catch(() => undefined);
      return item.isVisible().catch(() => false);
    },
    timeout,
    `notification ${text}`,
    500,
  );
  return item;
}

/** Clicks a button (e.g. "Sign In…") of a notification. */
export async function clickNotificationButton(page: Page, notificationText: string | RegExp, button: string | RegExp): Promise<void> {
  const item = await waitForNotification(page, notificationText);
  await item.locator('.monaco-button', { hasText: button }).first().click();
}

/** Clears all notifications (so later waits do not match old ones). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitUntil(async () => (await notificationItems(page).count()) === 0, 5_000, 'notifications to clear');
  // The palette fades out after the command: a screenshot taken meanwhile would show it.
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

export function statusBarItems(page: Page): Locator {
  return page.locator('.part.statusbar .statusbar-item');
}

/** Texts of the status bar items (with their aria-labels, which carry the tooltip-like text). */
export async function statusBarTexts(page: Page): Promise<string[]> {
  const items = statusBarItems(page);
  const out: string[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    const text = (await item.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    const aria = (await item.getAttribute('aria-label').catch(() => null)) ?? '';
    if (text || aria) out.push(aria && aria !== text ? `${text} [${aria}]` : text);
  }
  return out;
}

export async function waitForStatusBarItem(page: Page, text: string | RegExp, timeout = 30_000): Promise<Locator> {
  const item = statusBarItems(page).filter({ hasText: text }).first();
  await item.waitFor({ timeout });
  return item;
}

// ---------- webviews ----------
/** Content of the active webview (VS Code nests it in two iframes). */
export function activeWebview(page: Page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

// ---------- screenshots and waiting ----------
/** Saves SCREENSHOT_DIR/<name>.png (name like "smoke-01-workbench") and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.SCREENSHOT_DIR || path.join(REPO_ROOT, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  console.log(`    screenshot ${path.relative(REPO_ROOT, file)}`);
  return file;
}

export async function waitUntil(cond: () => Promise<boolean>, timeout: number, what: string, intervalMs = 200): Promise<void> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
