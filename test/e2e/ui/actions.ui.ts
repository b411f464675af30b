// The register and alias-move flows in the real workbench, once against each real MLflow server
// (2.14.3 and 3.6, behind nginx): right-click a run → Register Model… → pick the existing model →
// a new READY version; right-click that version → Set or Move Alias… → @champion → the modal
// question names both versions → the Models view shows @champion on the new version. Then the
// texts and tags a user edits by hand: Edit Description… on the model, on a version and on the
// experiment (typed in the Markdown tab, Ctrl+S), Set Tag… on the experiment — first a bad key, an
// empty key and a too-long value, each refused under the input box with nothing sent (nginx's
// access log) and nothing changed, then a good one. After each flow the real MLflow client reads
// the server's state. Each server first gets an experiment and
// a model of this test's own (actions-setup.py), so the shared scenario stays untouched.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { realMlflowServers, runRealClient, type RealServer } from '../../servers/realMlflow';
import {
  answerInputBox,
  childTreeRow,
  clearNotifications,
  escapeRegExp,
  expandTreeRow,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  screenshot,
  scrollToTreeRow,
  uiTest,
  viewPane,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
  type Checks,
} from './lib';
import { contextMenuItem, noErrors, paletteCommand } from './workbench';
import { signInToRealServer } from './realServerSteps';

const EXPERIMENTS = 'Experiments';
const MODELS = 'Models';
const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'real-mlflow');

interface Ids {
  mlflow3: boolean;
  experiment_id: string;
  model_run: { run_id: string; artifact_uri: string; model_id: string | null };
  registered_model: { name: string; version: string };
}

interface ModelState {
  description: string;
  aliases: Record<string, string>;
  versions: Record<string, { status: string; source: string; run_id: string; description: string }>;
}

async function modelState(server: RealServer, name: string): Promise<ModelState> {
  const out = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-read.py'), [JSON.stringify({ models: [name] })])) as { models: Record<string, ModelState> };
  return out.models[name]!;
}

async function experimentTags(server: RealServer, id: string): Promise<Record<string, string>> {
  const out = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-read.py'), [JSON.stringify({ experiments: [id] })])) as { experiments: Record<string, { tags: Record<string, string> }> };
  return out.experiments[id]!.tags;
}

/** Lines of nginx's access log that name `route` (every request to the server goes through it). */
function requestsTo(server: RealServer, route: string): number {
  return readFileSync(server.accessLog, 'utf8').split('\n').filter((l) => l.includes(route)).length;
}

/** Whether an editor tab with this title is open (each tab of this test has a title of its own). */
const tabOpen = (page: Page, title: string) => async () => (await page.locator('.tabs-container .tab', { hasText: title }).count()) > 0;

/**
 * Replaces the text of the Markdown tab `title` as a user does (select all, type, one line at a
 * time), then saves with Ctrl+S and waits until the tab is no longer dirty. (In the browser
 * workbench `files.autoSave` defaults to afterDelay: a pause while typing may save already.)
 */
async function typeAndSave(page: Page, title: string, lines: string[]): Promise<void> {
  const editor = page.locator('.editor-instance .monaco-editor:visible').first();
  await editor.waitFor({ timeout: 15_000 });
  if (!(await editor.evaluate((e) => e.classList.contains('focused')).catch(() => false))) await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Escape'); // a suggestion widget must not take the Enter
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(line);
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S');
  const dirty = page.locator('.tabs-container .tab.dirty', { hasText: title });
  await waitUntil(async () => (await dirty.count()) === 0, 20_000, `${title} saved (its tab no longer dirty)`);
}

/** The validation message under the open input box (empty while the input is accepted). */
const inputMessage = async (page: Page) => (await page.locator('.quick-input-widget .quick-input-message').first().innerText().catch(() => '')).trim();

async function collapse(page: Page, title: string): Promise<void> {
  const header = viewPane(page, title).locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded').catch(() => null)) === 'true') await header.click();
}

const quickPickOpen = (page: Page) => () => page.locator('.quick-input-widget').first().isVisible().catch(() => false);

async function flowsOn(page: Page, checks: Checks, server: RealServer): Promise<void> {
  const tag = `[real MLflow ${server.kit}]`;
  const prefix = `ui-${server.kit.replace(/\./g, '')}-${Date.now().toString(36)}`;
  const ids = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-setup.py'), [prefix])) as Ids;
  const model = ids.registered_model.name;
  const first = ids.registered_model.version;
  const step = async (message: string, fn: () => Promise<unknown>) => {
    const ok = await checks.step(`${tag} ${message}`, fn);
    if (!ok) await screenshot(page, `actions-${server.kit}-failed`).catch(() => undefined);
    return ok;
  };

  await step(`connects to ${server.trackingUri}`, async () => {
    await signInToRealServer(page, server);
  });
  await clearNotifications(page).catch(() => undefined);

  let version = '';
  await step(`right-click the run → Register Model… → ${model}: a new version, READY, as the client reads it`, async () => {
    await collapse(page, MODELS);
    await expandView(page, EXPERIMENTS);
    await (await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(prefix)}-sandbox`), EXPERIMENTS)).click();
    const run = await scrollToTreeRow(page, /^candidate(?!-)/, EXPERIMENTS);
    await screenshot(page, `actions-${server.kit}-01-run`);
    await contextMenuItem(page, run, 'Register Model…', quickPickOpen(page));
    await pickQuickItem(page, new RegExp(`^${escapeRegExp(model)}`));
    const note = await waitForNotification(page, new RegExp(`Registered version (\\d+) of ${escapeRegExp(model)}\\.`), 90_000);
    version = /Registered version (\d+)/.exec(await note.innerText())?.[1] ?? '';
    await screenshot(page, `actions-${server.kit}-02-registered`);
    const state = await modelState(server, model);
    const v = state.versions[version];
    if (!v || v.status !== 'READY') throw new Error(`version ${version}: ${JSON.stringify(v)}`);
    const source = ids.mlflow3 ? `models:/${ids.model_run.model_id}` : `${ids.model_run.artifact_uri}/model`;
    if (v.source !== source || v.run_id !== ids.model_run.run_id) throw new Error(`source ${v.source} run ${v.run_id}, expected ${source} run ${ids.model_run.run_id}`);
  });
  await clearNotifications(page).catch(() => undefined);

  await step(`right-click version ${version} → Set or Move Alias… → @champion: the question names versions ${first} and ${version}`, async () => {
    await collapse(page, EXPERIMENTS);
    await expandView(page, MODELS);
    await (await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(model)}(?!-)`), MODELS)).click();
    const row = await scrollToTreeRow(page, new RegExp(`^Version ${version}(?!\\d)`), MODELS);
    await contextMenuItem(page, row, 'Set or Move Alias…', quickPickOpen(page));
    await pickQuickItem(page, /@champion/);
    const dialog = page.locator('.monaco-dialog-box', { hasText: `Move @champion of ${model} from version ${first} to version ${version}?` }).first();
    await dialog.waitFor({ timeout: 15_000 });
    await screenshot(page, `actions-${server.kit}-03-move-question`);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Move Alias$/ }).first().click();
    await waitForTreeRow(page, new RegExp(`Version ${version}(?!\\d).*@champion`), MODELS, 20_000);
    await waitUntil(async () => (await modelState(server, model)).aliases.champion === version, 20_000, `@champion on version ${version} for the real client`, 1000);
  });
  await screenshot(page, `actions-${server.kit}-04-moved`);

  const modelText = ['Linear model on two features', 'approved in the workbench'];
  await step(`right-click ${model} → Edit Description… → type in the Markdown tab → Ctrl+S: the real client reads the new description`, async () => {
    const row = await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(model)}(?!-)`), MODELS);
    await contextMenuItem(page, row, 'Edit Description…', tabOpen(page, `${model}.md`));
    await typeAndSave(page, `${model}.md`, modelText);
    await screenshot(page, `actions-${server.kit}-05-model-description`);
    await waitUntil(async () => (await modelState(server, model)).description === modelText.join('\n'), 20_000, 'the model description for the real client', 1000);
  });

  await step(`right-click version ${first} → Edit Description… → type → Ctrl+S: the real client reads the version's description`, async () => {
    // Saving the model's description redrew its row: expand it again if it closed.
    const modelRow = await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(model)}(?!-)`), MODELS);
    await expandTreeRow(modelRow);
    const row = await childTreeRow(page, MODELS, modelRow, new RegExp(`^Version ${first}(?!\\d)`), 45_000);
    await contextMenuItem(page, row, 'Edit Description…', tabOpen(page, `${model} v${first}.md`));
    await typeAndSave(page, `${model} v${first}.md`, ['First fit, kept as the baseline']);
    await screenshot(page, `actions-${server.kit}-06-version-description`);
    await waitUntil(async () => (await modelState(server, model)).versions[first]?.description === 'First fit, kept as the baseline', 20_000, 'the version description for the real client', 1000);
    const state = await modelState(server, model);
    if (state.description !== modelText.join('\n')) throw new Error(`the model description changed too: ${JSON.stringify(state.description)}`);
  });
  await clearNotifications(page).catch(() => undefined);

  const sandbox = new RegExp(`^${escapeRegExp(prefix)}-sandbox`);
  await step('Set Tag… on the experiment refuses a bad key and a too-long value as you type: nothing is sent, nothing changes', async () => {
    await collapse(page, MODELS);
    await expandView(page, EXPERIMENTS);
    const sent = requestsTo(server, 'set-experiment-tag');
    const row = await scrollToTreeRow(page, sandbox, EXPERIMENTS);
    await contextMenuItem(page, row, 'Set Tag…', quickPickOpen(page));
    await waitUntil(async () => /Tag key/.test(await page.locator('.quick-input-widget').first().innerText().catch(() => '')), 10_000, 'the Tag key box');
    await quickInput(page).fill('bad:key');
    await waitUntil(async () => /may contain only letters, digits/.test(await inputMessage(page)), 10_000, 'the message about the key');
    await page.keyboard.press('Enter'); // refused: the box stays, with its message
    await page.waitForTimeout(500);
    if (!(await quickPickOpen(page)())) throw new Error('the input box closed on a bad key');
    await screenshot(page, `actions-${server.kit}-07-tag-key-refused`);
    await quickInput(page).fill('');
    await waitUntil(async () => /cannot be empty/.test(await inputMessage(page)), 10_000, 'the message about an empty key');
    await quickInput(page).fill('ui-long');
    // Without a problem the message line shows the prompt again ("Tag key").
    await waitUntil(async () => !/may contain|cannot be empty|at most/.test(await inputMessage(page)), 10_000, 'the key to be accepted');
    await page.keyboard.press('Enter');
    await waitUntil(async () => /Value of tag "ui-long"/.test(await page.locator('.quick-input-widget').first().innerText().catch(() => '')), 10_000, 'the value box');
    await quickInput(page).fill('v'.repeat(5001));
    await waitUntil(async () => /at most 5000 characters on this server \(this one has 5001\)/.test(await inputMessage(page)), 10_000, 'the message about the value');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    if (!(await quickPickOpen(page)())) throw new Error('the input box closed on a too-long value');
    await screenshot(page, `actions-${server.kit}-08-tag-value-refused`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
    if (requestsTo(server, 'set-experiment-tag') !== sent) throw new Error('a set-experiment-tag request was sent');
    const tags = await experimentTags(server, ids.experiment_id);
    if ('bad:key' in tags || 'ui-long' in tags) throw new Error(`tags changed: ${JSON.stringify(tags)}`);
  });

  await step('Set Tag… on the experiment → purpose = ui-check: the real client reads the tag', async () => {
    const row = await scrollToTreeRow(page, sandbox, EXPERIMENTS);
    await contextMenuItem(page, row, 'Set Tag…', quickPickOpen(page));
    await answerInputBox(page, 'purpose', { prompt: /Tag key/ });
    await answerInputBox(page, 'ui-check', { prompt: /Value of tag "purpose"/ });
    await waitUntil(async () => (await experimentTags(server, ids.experiment_id)).purpose === 'ui-check', 20_000, 'the experiment tag for the real client', 1000);
  });

  const note = ['Sandbox for the workbench tests', 'the runs here are throwaway'];
  await step(`right-click the experiment → Edit Description… → type → Ctrl+S: the real client reads the note (${'mlflow.note.content'})`, async () => {
    const row = await scrollToTreeRow(page, sandbox, EXPERIMENTS);
    await contextMenuItem(page, row, 'Edit Description…', tabOpen(page, `${prefix}-sandbox.md`));
    await typeAndSave(page, `${prefix}-sandbox.md`, note);
    await screenshot(page, `actions-${server.kit}-09-experiment-note`);
    await waitUntil(async () => (await experimentTags(server, ids.experiment_id))['mlflow.note.content'] === note.join('\n'), 20_000, 'the experiment note for the real client', 1000);
    const tags = await experimentTags(server, ids.experiment_id);
    if (tags.purpose !== 'ui-check' || tags.team !== 'actions') throw new Error(`the other tags changed: ${JSON.stringify(tags)}`);
  });
  await paletteCommand(page, 'View: Close All Editors').catch(() => undefined);
  await noErrors(page, checks, `${tag} actions`);
  await clearNotifications(page).catch(() => undefined);
  await removeOwn(server, model, ids.experiment_id);
}

/** Leaves the shared server as the other suites expect it: this test's model and experiment go. */
async function removeOwn(server: RealServer, model: string, experimentId: string): Promise<void> {
  const headers = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}`, 'content-type': 'application/json' };
  const api = `${server.trackingUri}api/2.0/mlflow`;
  await fetch(`${api}/registered-models/delete`, { method: 'DELETE', headers, body: JSON.stringify({ name: model }) }).catch(() => undefined);
  await fetch(`${api}/experiments/delete`, { method: 'POST', headers, body: JSON.stringify({ experiment_id: experimentId }) }).catch(() => undefined);
}

void uiTest('actions.ui', async ({ page, rig, checks }) => {
  const servers = await realMlflowServers();
  if (!Array.isArray(servers)) {
    checks.skip(servers.skipped);
    return;
  }
  await checks.step('workbench loads and the MLflow side bar opens', async () => {
    await openWorkbench(page, rig);
    await openMlflowContainer(page);
  });
  for (const server of servers) await flowsOn(page, checks, server);
});
