// The register and alias-move flows in the real workbench, once against each real MLflow server
// (2.14.3 and 3.6, behind nginx): right-click a run → Register Model… → pick the existing model →
// a new READY version; right-click that version → Set or Move Alias… → @champion → the modal
// question names both versions → the Models view shows @champion on the new version. After each
// flow the real MLflow client reads the server's state. Each server first gets an experiment and
// a model of this test's own (actions-setup.py), so the shared scenario stays untouched.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { realMlflowServers, runRealClient, type RealServer } from '../../servers/realMlflow';
import {
  clearNotifications,
  escapeRegExp,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  screenshot,
  scrollToTreeRow,
  uiTest,
  viewPane,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
  type Checks,
} from './lib';
import { contextMenuItem, noErrors } from './workbench';
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
  aliases: Record<string, string>;
  versions: Record<string, { status: string; source: string; run_id: string }>;
}

async function modelState(server: RealServer, name: string): Promise<ModelState> {
  const out = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'actions-read.py'), [JSON.stringify({ models: [name] })])) as { models: Record<string, ModelState> };
  return out.models[name]!;
}

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
