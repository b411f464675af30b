// The journey's MLflow legs in the real workbench, once against each real upstream MLflow server
// (2.14.3 and 3.6, behind the project's nginx, filled by the real MLflow client): sign in, the
// experiment and its runs (an HTML payload shown as text), compare two runs (the table's rmse is
// the value the client logged), a registered version's MLmodel opened from the Models view (the
// server's bytes), and the export of that version (artifacts/ byte-identical to the server's
// files). Every check names the server it ran on, so npm test can count them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { realMlflowServers, type RealServer } from '../../servers/realMlflow';
import {
  activeWebview,
  answerInputBox,
  clearNotifications,
  expandView,
  openMlflowContainer,
  openWorkbench,
  screenshot,
  scrollToTreeRow,
  uiTest,
  viewPane,
  waitForNotification,
  waitForTreeRow,
  waitUntil,
  escapeRegExp,
  expandTreeRow,
  childTreeRow,
  pickQuickItem,
  type Checks,
  type Rig,
} from './lib';
import { contextMenuItem, noErrors, paletteCommand } from './workbench';
import { signInToRealServer } from './realServerSteps';

const EXPERIMENTS = 'Experiments';
const MODELS = 'Models';

type Tree = Map<string, Buffer>;

/** The model files of a version as the server serves them (plain HTTP, not the code under test). */
async function versionFiles(server: RealServer, name: string, version: string): Promise<Tree> {
  const auth = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` };
  const api = `${server.trackingUri}api/2.0/mlflow`;
  const uri = ((await (await fetch(`${api}/model-versions/get-download-uri?name=${encodeURIComponent(name)}&version=${version}`, { headers: auth })).json()) as { artifact_uri: string }).artifact_uri;
  return filesUnder(server, uri.replace(/^mlflow-artifacts:\/*/, ''));
}

/** Every file under an mlflow-artifacts path, read through the proxy's artifact routes. */
async function filesUnder(server: RealServer, root: string): Promise<Tree> {
  const auth = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` };
  const base = `${server.trackingUri}api/2.0/mlflow-artifacts/artifacts`;
  const out: Tree = new Map();
  const walk = async (rel: string): Promise<void> => {
    const res = await fetch(`${base}?path=${encodeURIComponent([root, rel].filter(Boolean).join('/'))}`, { headers: auth });
    const { files = [] } = (await res.json()) as { files?: Array<{ path: string; is_dir: boolean }> };
    for (const f of files) {
      const child = rel ? `${rel}/${f.path}` : f.path;
      if (f.is_dir) await walk(child);
      else out.set(child, Buffer.from(await (await fetch(`${base}/${root}/${child}`, { headers: auth })).arrayBuffer()));
    }
  };
  await walk('');
  return out;
}

/** The MLmodel of run alpha-0.9's model as the server serves it: on MLflow 3 the logged model's own
 * files (`logged-models/get` → its artifact_uri), on MLflow 2 the run's `model/` folder. */
async function runModelMlmodel(server: RealServer, runId: string, modelId: string | undefined): Promise<string> {
  const auth = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` };
  const api = `${server.trackingUri}api/2.0/mlflow`;
  const root = modelId
    ? ((await (await fetch(`${api}/logged-models/${modelId}`, { headers: auth })).json()) as { model: { info: { artifact_uri: string } } }).model.info.artifact_uri
    : `${((await (await fetch(`${api}/runs/get?run_id=${runId}`, { headers: auth })).json()) as { run: { info: { artifact_uri: string } } }).run.info.artifact_uri}/model`;
  const res = await fetch(`${server.trackingUri}api/2.0/mlflow-artifacts/artifacts/${root.replace(/^mlflow-artifacts:\/*/, '')}/MLmodel`, { headers: auth });
  if (!res.ok) throw new Error(`MLmodel of ${modelId ?? runId}: HTTP ${res.status}`);
  return res.text();
}

/** A logged model's files as the server serves them (its own artifact location, not the run's). */
async function loggedModelFiles(server: RealServer, modelId: string): Promise<Tree> {
  const auth = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` };
  const info = (await (await fetch(`${server.trackingUri}api/2.0/mlflow/logged-models/${modelId}`, { headers: auth })).json()) as { model: { info: { artifact_uri: string } } };
  return filesUnder(server, info.model.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, ''));
}

function readTree(dir: string, rel = '', out: Tree = new Map()): Tree {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) readTree(dir, child, out);
    else out.set(child, fs.readFileSync(path.join(dir, child)));
  }
  return out;
}

const editorText = async (page: Page) => (await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');

/**
 * Collapses a view pane so the other one has the height, clicking again if a click was lost. Best
 * effort: expand the other pane first (VS Code keeps one pane of a container open).
 */
async function collapse(page: Page, title: string): Promise<void> {
  const header = viewPane(page, title).locator('.pane-header').first();
  let clickedAt = 0;
  await waitUntil(async () => {
    if ((await header.getAttribute('aria-expanded').catch(() => null)) !== 'true') return true;
    if (Date.now() - clickedAt > 3000) {
      await header.click({ timeout: 5000 }).catch(() => undefined);
      clickedAt = Date.now();
    }
    return false;
  }, 10_000, `the ${title} view to collapse`, 250).catch(() => undefined);
}

async function closeEditors(page: Page): Promise<void> {
  await paletteCommand(page, 'View: Close All Editors').catch(() => undefined);
}

async function legsOn(page: Page, rig: Rig, checks: Checks, server: RealServer): Promise<void> {
  const tag = `[real MLflow ${server.kit}]`;
  const sc = server.scenario;
  const model = sc.registered_model.name;
  const champion = sc.registered_model.champion;
  const step = async (message: string, fn: () => Promise<unknown>) => {
    const ok = await checks.step(`${tag} ${message}`, fn);
    if (!ok) await screenshot(page, `real-${server.kit}-failed`).catch(() => undefined);
    return ok;
  };

  await step(`connects to ${server.trackingUri} with the password typed once`, async () => {
    await signInToRealServer(page, server);
  });
  await clearNotifications(page).catch(() => undefined);

  await step('Experiments: wine-quality and its runs, the HTML-named run as plain text', async () => {
    await expandView(page, EXPERIMENTS);
    await collapse(page, MODELS);
    await (await waitForTreeRow(page, /^wine-quality/, EXPERIMENTS)).click();
    await scrollToTreeRow(page, /^elasticnet-alpha-0\.1(?!\d)/, EXPERIMENTS);
    await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(String(sc.runs['xss'].name))}`), EXPERIMENTS);
    const injected = await page.evaluate(() => (globalThis as { __mlwfXss?: number }).__mlwfXss);
    if (injected !== undefined) throw new Error(`the run name ran as HTML (window.__mlwfXss = ${injected})`);
  });
  await screenshot(page, `real-${server.kit}-01-runs`);

  await step('compares alpha-0.1 and alpha-0.5: the table shows the rmse the client logged', async () => {
    const a = await scrollToTreeRow(page, /^elasticnet-alpha-0\.1(?!\d)/, EXPERIMENTS);
    await a.click();
    const b = await scrollToTreeRow(page, /^elasticnet-alpha-0\.5(?!\d)/, EXPERIMENTS);
    await b.click({ modifiers: ['Control'] });
    await paletteCommand(page, 'MLWF: Compare Selected Runs');
    await page.locator('.tab', { hasText: 'Compare: wine-quality (2 runs)' }).first().waitFor({ timeout: 30_000 });
    const web = activeWebview(page);
    await web.locator('vscode-panel-tab#tab-table').click({ timeout: 30_000 });
    await web.locator('table.compare-table tbody tr[data-key="metric:rmse"]').waitFor({ timeout: 30_000 });
    const runIds = await web.locator('table.compare-table thead th[data-run-id]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id') ?? ''));
    const cells = web.locator('table.compare-table tbody tr[data-key="metric:rmse"] td');
    for (const [i, runId] of runIds.entries()) {
      const entry = Object.values(sc.runs).find((r) => r.run_id === runId);
      const shown = Number((await cells.nth(i).evaluate((td) => td.firstChild?.textContent ?? '')).trim());
      const logged = Number(entry?.rmse);
      // The table rounds for display: equal to the logged value at the digits it shows.
      if (!entry || !(Math.abs(shown - logged) < 1e-3)) throw new Error(`run ${runId}: table ${shown}, client logged ${logged}`);
    }
    if (runIds.length !== 2) throw new Error(`columns ${runIds.join(',')}`);
  });
  await screenshot(page, `real-${server.kit}-02-compare`);
  await closeEditors(page);

  const expected = await versionFiles(server, model, champion);
  const mlmodel = expected.get('MLmodel')?.toString('utf8') ?? '';
  const uuidLine = /^model_uuid: .+$/m.exec(mlmodel)?.[0] ?? 'model_uuid: (none on the server)';
  await step(`Models: ${model} → Version ${champion} → its MLmodel opens with the server's bytes`, async () => {
    await expandView(page, MODELS);
    await collapse(page, EXPERIMENTS);
    // Expanded, not clicked: the tree remembers rows expanded on the other server (same ids), and a
    // click would close them again.
    const modelRow = await waitForTreeRow(page, new RegExp(`^${escapeRegExp(model)}(?!-)`), MODELS);
    await expandTreeRow(modelRow);
    const version = await childTreeRow(page, MODELS, modelRow, new RegExp(`^Version ${champion}(?!\\d)`));
    await expandTreeRow(version);
    const files = await childTreeRow(page, MODELS, version, /^(Artifacts|Model files|Files)$/);
    await expandTreeRow(files);
    await (await childTreeRow(page, MODELS, files, /^MLmodel(?![a-z._])/)).click();
    await page.locator('.tabs-container .tab', { hasText: 'MLmodel' }).first().waitFor({ timeout: 20_000 });
    await waitUntil(async () => (await editorText(page)).includes(uuidLine), 20_000, `"${uuidLine}" in the editor`);
  });
  await screenshot(page, `real-${server.kit}-03-mlmodel`);

  const exportsIn = () => new Set(fs.readdirSync(rig.workspace).filter((n) => /^MLWFExportModel_\d{14}/.test(n)));
  // An export writes into a hidden `.MLWFExportModel_….partial-…` folder and renames it when done:
  // the menu item has worked once either exists (a long export must not be started twice).
  const startedSince = (before: Set<string>) => () =>
    Promise.resolve(fs.readdirSync(rig.workspace).some((n) => /^\.?MLWFExportModel_\d{14}/.test(n) && !before.has(n)));
  const before = exportsIn();
  let folder = '';
  await step(`exports ${model} version ${champion}: artifacts/ byte-identical to the server's files`, async () => {
    await expandView(page, MODELS);
    await collapse(page, EXPERIMENTS);
    const version = await scrollToTreeRow(page, new RegExp(`^Version ${champion}(?!\\d)`), MODELS);
    await contextMenuItem(page, version, 'Export Model Version…', startedSince(before));
    await waitForNotification(page, new RegExp(`Exported ${escapeRegExp(model)} version ${champion} to MLWFExportModel_\\d{14}`), 90_000);
    folder = [...exportsIn()].find((n) => !before.has(n)) ?? '';
    const got = readTree(path.join(rig.workspace, folder, 'artifacts'));
    if ([...got.keys()].sort().join() !== [...expected.keys()].sort().join()) throw new Error(`files ${[...got.keys()].sort().join(', ')} vs ${[...expected.keys()].sort().join(', ')}`);
    for (const [rel, bytes] of expected) if (!got.get(rel)?.equals(bytes)) throw new Error(`${rel} differs from the server's`);
  });
  checks.check(folder !== '' && fs.statSync(path.join(rig.workspace, folder, 'model.tar.gz')).size > 0, `${tag} model.tar.gz was written`);
  await screenshot(page, `real-${server.kit}-04-exported`);

  // A run's Models node: what the run logged. MLflow 3: its logged model (m-…) with the model's own
  // files; MLflow 2: the run's folder holding an MLmodel. The third grid run's model is not registered.
  const unregistered = sc.runs['alpha-0.9'] as { run_id: string; model_id?: string };
  const runMlmodel = await runModelMlmodel(server, unregistered.run_id, unregistered.model_id);
  const runUuid = /^model_uuid: .+$/m.exec(runMlmodel)?.[0] ?? 'model_uuid: (none on the server)';
  // Label and description are separate spans: no space between them in the row's text.
  const lmRow = new RegExp(`^model\\s*${escapeRegExp(unregistered.model_id ?? '')}`);
  let modelRow: Awaited<ReturnType<typeof childTreeRow>> | undefined;
  await step(`Experiments: run alpha-0.9 → Models → ${sc.mlflow3 ? 'its logged model' : 'the model folder'} → MLmodel opens with the server's bytes`, async () => {
    await expandView(page, EXPERIMENTS);
    await collapse(page, MODELS);
    const run = await scrollToTreeRow(page, /^elasticnet-alpha-0\.9(?!\d)/, EXPERIMENTS);
    await expandTreeRow(run);
    const models = await childTreeRow(page, EXPERIMENTS, run, /^Models$/);
    await expandTreeRow(models);
    modelRow = await childTreeRow(page, EXPERIMENTS, models, sc.mlflow3 ? lmRow : /^model$/);
    await expandTreeRow(modelRow);
    let files = modelRow;
    if (sc.mlflow3) {
      files = await childTreeRow(page, EXPERIMENTS, modelRow, /^Artifacts/);
      await expandTreeRow(files);
    }
    await (await childTreeRow(page, EXPERIMENTS, files, /^MLmodel(?![a-z._])/)).click();
    await page.locator('.tabs-container .tab', { hasText: 'MLmodel' }).first().waitFor({ timeout: 20_000 });
    await waitUntil(async () => (await editorText(page)).includes(runUuid), 20_000, `"${runUuid}" in the editor`);
  });
  await screenshot(page, `real-${server.kit}-05-run-models`);
  await closeEditors(page);

  if (sc.mlflow3 && unregistered.model_id) {
    const modelId = unregistered.model_id;
    const expectedLm = await loggedModelFiles(server, modelId);
    const beforeLm = exportsIn();
    let lmFolder = '';
    await step(`exports the logged model ${modelId} (not registered): artifacts/ byte-identical to its files on the server`, async () => {
      const row = modelRow ?? (await scrollToTreeRow(page, lmRow, EXPERIMENTS));
      await contextMenuItem(page, row, 'Export Model Version…', startedSince(beforeLm));
      await waitForNotification(page, /Exported .* to MLWFExportModel_\d{14}/, 90_000);
      lmFolder = [...exportsIn()].find((n) => !beforeLm.has(n)) ?? '';
      await waitUntil(async () => fs.existsSync(path.join(rig.workspace, lmFolder, 'model.tar.gz')), 30_000, 'model.tar.gz');
      const got = readTree(path.join(rig.workspace, lmFolder, 'artifacts'));
      if ([...got.keys()].sort().join() !== [...expectedLm.keys()].sort().join()) throw new Error(`files ${[...got.keys()].sort().join(', ')} vs ${[...expectedLm.keys()].sort().join(', ')}`);
      for (const [rel, bytes] of expectedLm) if (!got.get(rel)?.equals(bytes)) throw new Error(`${rel} differs from the server's`);
      const info = fs.readFileSync(path.join(rig.workspace, lmFolder, 'info.yaml'), 'utf8');
      if (!info.includes(modelId)) throw new Error(`info.yaml does not name ${modelId}`);
    });
    await screenshot(page, `real-${server.kit}-06-logged-model-exported`);
    await clearNotifications(page).catch(() => undefined);
    await closeEditors(page);

    const imagesIn = () => new Set(fs.readdirSync(rig.workspace).filter((n) => /^MLWFCreateImage_\d{14}$/.test(n)));
    const beforeImages = imagesIn();
    await step(`Export and Generate Container Recipe… on the logged model: the recipe folder holds its MLmodel`, async () => {
      const row = modelRow ?? (await scrollToTreeRow(page, lmRow, EXPERIMENTS));
      const widget = page.locator('.quick-input-widget').first();
      await contextMenuItem(page, row, 'Export and Generate Container Recipe…', async () => /ABCI group/.test(await widget.innerText().catch(() => '')) && (await widget.isVisible().catch(() => false)));
      await answerInputBox(page, 'gaa50000', { prompt: /ABCI group/ });
      await pickQuickItem(page, 'rt_HC');
      await answerInputBox(page, '0:30:00', { prompt: /Wall time/ });
      await waitUntil(async () => /Base image of the container/.test(await widget.innerText().catch(() => '')), 15_000, 'the base image pick');
      await page.keyboard.press('Enter'); // the model's default image
      let image = '';
      await waitUntil(async () => {
        image = [...imagesIn()].find((n) => !beforeImages.has(n)) ?? '';
        return image !== '' && fs.existsSync(path.join(rig.workspace, image, 'build.sh'));
      }, 60_000, 'the MLWFCreateImage folder with build.sh');
      const mlmodelInImage = fs.readFileSync(path.join(rig.workspace, image, 'model', 'MLmodel'));
      if (!mlmodelInImage.equals(expectedLm.get('MLmodel') ?? Buffer.alloc(0))) throw new Error("the recipe's model/MLmodel is not the logged model's");
    });
    await screenshot(page, `real-${server.kit}-07-logged-model-recipe`);
    await clearNotifications(page).catch(() => undefined);
    await closeEditors(page);
  }
  await noErrors(page, checks, `${tag} legs`);
  await clearNotifications(page).catch(() => undefined);
  await closeEditors(page);
}

void uiTest('realServers.ui', async ({ page, rig, checks }) => {
  const servers = await realMlflowServers();
  if (!Array.isArray(servers)) {
    checks.skip(servers.skipped);
    return;
  }
  await checks.step('workbench loads and the MLflow side bar opens', async () => {
    await openWorkbench(page, rig);
    await openMlflowContainer(page);
  });
  for (const server of servers) await legsOn(page, rig, checks, server);
});
