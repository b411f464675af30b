// The whole journey as one researcher's Monday, in the real workbench: sign in (a mistyped
// password first), find the experiment, filter its runs by a metric, compare three runs and pick
// the best from the table, open that run's registered model version, export it, fix info.yaml
// until it validates (by typing, then through the form), upload the package and the YAML to
// Cloud Storage, generate the container recipe, build and serve it with the stand-in scheduler
// and singularity, and send the sample request. Against the test MLflow server behind nginx
// ('demo' scenario) and the S3-compatible server (moto) of the rig. Any error notification the
// user did not cause fails the step it appeared in. The last leg (container recipe, build, serve,
// sample request) is in journeyContainer.ts, the server-side checks of the upload in
// journeyStorage.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  REPO_ROOT,
  activeWebview,
  answerInputBox,
  clearNotifications,
  clickNotificationButton,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  screenshot,
  treeRowTexts,
  treeRows,
  uiTest,
  viewPane,
  waitForNotification,
  waitForStatusBarItem,
  waitForTreeRow,
  waitUntil,
  type Checks,
  type Rig,
} from './lib';
import { buildServeAndRequest } from './journeyContainer';
import { checkUploadedObjects } from './journeyStorage';
import { contextMenuItem, goToLine, noErrors, paletteCommand, problemTexts } from './workbench';

const EXPERIMENTS = 'Experiments';
const MODELS = 'Models';
const METRIC_FILTER = 'metrics.rmse < 0.74';
/** The three runs compared: the filter keeps them (and two fold runs of a cross-validation, whose parent has no rmse). */
const CANDIDATES = ['elasticnet-a0.1-l0.2', 'elasticnet-a0.1-l0.5', 'elasticnet-a0.1-l0.8'];
const BUCKET = 'journey-models';
const ACCESS_KEY = 'journeyAccessKey';
const SECRET_KEY = 'journey-secret-key';
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/container');

let shotIndex = 0;
async function shot(page: Page, step: string): Promise<string> {
  shotIndex++;
  return screenshot(page, `journey-${String(shotIndex).padStart(2, '0')}-${step}`);
}

const hostRe = (uri: string) => new RegExp(`MLflow: ${new URL(uri).host.replace(/\./g, '\\.')}`);

void uiTest('journey.ui', async ({ page, rig, checks }) => {
  const { trackingUri, username, password } = rig;
  if (!trackingUri || !username || !password) throw new Error('MLWF_TEST_* variables are missing');
  // CI has moto: without the S3-compatible server the journey cannot be walked, and that is a failure.
  const s3Endpoint = process.env.MLWF_TEST_S3_ENDPOINT;
  if (!s3Endpoint) throw new Error('MLWF_TEST_S3_ENDPOINT is not set: the rig did not start the S3-compatible server (moto)');
  await journey(page, rig, checks, trackingUri, username, password, s3Endpoint);
});

async function journey(page: Page, rig: Rig, checks: Checks, trackingUri: string, username: string, password: string, s3Endpoint: string): Promise<void> {
  // A failed step leaves a picture of the moment it failed.
  let failures = 0;
  const step = async (message: string, fn: () => Promise<unknown>) => {
    const ok = await checks.step(message, fn);
    if (!ok) await screenshot(page, `journey-failed-${++failures}`).catch(() => undefined);
    return ok;
  };
  // The site's scheduler and singularity are stand-ins (test/fixtures/container/bin), first on the
  // PATH of terminals and tasks as a login node's module setup would put the real ones.
  fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(rig.workspace, '.vscode/settings.json'),
    JSON.stringify({ 'terminal.integrated.env.linux': { PATH: `${path.join(FIXTURES, 'bin')}:\${env:PATH}` } }, null, 2),
  );
  const exportsIn = () => fs.readdirSync(rig.workspace).filter((n) => /^MLWFExportModel_\d{14}/.test(n));
  checks.check(exportsIn().length === 0, 'the workspace starts without an export');

  // ---------- 1. connect, with a mistyped password first ----------
  await step('workbench loads and the MLflow side bar opens', async () => {
    await openWorkbench(page, rig);
    await openMlflowContainer(page);
  });
  await step('Connect: URL, user, a WRONG password → a clear error, nothing saved', async () => {
    await viewPane(page, EXPERIMENTS).locator('.welcome-view-content .monaco-button', { hasText: 'Connect to MLflow Server…' }).first().click({ timeout: 30_000 });
    await answerInputBox(page, trackingUri, { prompt: /Tracking server URL/ });
    await answerInputBox(page, username, { prompt: /User name/ });
    await answerInputBox(page, 'monday-morning-typo', { prompt: /Password for/ });
    await waitForNotification(page, /did not accept the user name or password\. Nothing was saved\./);
    await waitForStatusBarItem(page, /MLflow: sign in/);
  });
  await shot(page, 'wrong-password');
  await step('"Re-enter Password" with the right one signs in', async () => {
    await clickNotificationButton(page, /did not accept the user name or password/, 'Re-enter Password');
    // Only the password is asked again: the user name is the one just refused with it.
    await answerInputBox(page, password, { prompt: new RegExp(`Password for ${username}`) });
    await waitForStatusBarItem(page, hostRe(trackingUri));
  });
  // The wrong-password error was the user's own doing: clear it, then nothing else may be an error.
  await clearNotifications(page).catch(() => undefined);
  await shot(page, 'connected');
  await noErrors(page, checks, 'connect');

  // ---------- 2. find the experiment ----------
  const modelsHeader = viewPane(page, MODELS).locator('.pane-header').first();
  if ((await modelsHeader.getAttribute('aria-expanded').catch(() => null)) === 'true') await modelsHeader.click();
  await step('the Experiments view\'s "Filter Experiments by Name…" button with "wine" leaves only wine-quality', async () => {
    await waitForTreeRow(page, /image-classification/, EXPERIMENTS);
    const header = viewPane(page, EXPERIMENTS).locator('.pane-header').first();
    await header.hover();
    await header.locator('.action-label[aria-label^="Filter Experiments by Name"]').first().click({ timeout: 10_000 });
    await answerInputBox(page, 'wine', { prompt: /Part of the experiment name/ });
    await waitUntil(async () => {
      const rows = await treeRowTexts(page, EXPERIMENTS);
      return rows.length === 1 && /^wine-quality/.test(rows[0]!);
    }, 15_000, 'only wine-quality in the view');
  });
  await shot(page, 'experiment-found');
  await noErrors(page, checks, 'find the experiment');

  // ---------- 3. filter its runs by a metric ----------
  await step(`the experiment's inline "Filter Runs…" with ${METRIC_FILTER} keeps only runs below the bound`, async () => {
    const row = await waitForTreeRow(page, /^wine-quality/, EXPERIMENTS);
    await row.hover();
    await row.locator('.action-label[aria-label^="Filter Runs"]').first().click({ timeout: 10_000 });
    await answerInputBox(page, METRIC_FILTER, { prompt: /MLflow filter/ });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    // The server filters: the three a0.1 runs stay, and so do two fold runs of the cross-validation
    // (their parent has no rmse of its own, so they show at the top level); a0.3-l0.2 (0.7426) goes.
    await waitUntil(async () => {
      const runs = (await treeRowTexts(page, EXPERIMENTS)).slice(1);
      return CANDIDATES.every((name) => runs.some((t) => t.startsWith(name))) && !runs.some((t) => /^elasticnet-a0\.[357]/.test(t));
    }, 20_000, `${CANDIDATES.join(', ')} and no run with a higher rmse under wine-quality`);
    const runs = (await treeRowTexts(page, EXPERIMENTS)).slice(1);
    const values = runs.map((t) => Number(/rmse ([\d.]+)/.exec(t)?.[1] ?? NaN));
    if (!values.every((v) => v < 0.74)) throw new Error(`rows ${runs.join(' | ')}`);
  });
  checks.check((await viewPane(page, EXPERIMENTS).locator('.monaco-list-row', { hasText: /^wine-quality/ }).locator('.custom-view-tree-node-item-icon.codicon-filter').count()) > 0, 'the experiment row shows a filter icon instead of the beaker');
  await shot(page, 'runs-filtered');
  await noErrors(page, checks, 'filter runs');

  // ---------- 4. compare three runs and pick the best ----------
  let best = { runId: '', name: '', rmse: Number.NaN };
  await step('selects the three runs and compares them', async () => {
    for (const [i, name] of CANDIDATES.entries()) {
      await (await waitForTreeRow(page, new RegExp(`^${name.replace(/\./g, '\\.')}`), EXPERIMENTS)).click(i === 0 ? {} : { modifiers: ['Control'] });
    }
    await paletteCommand(page, 'MLWF: Compare Selected Runs');
    await page.locator('.tab', { hasText: 'Compare: wine-quality (3 runs)' }).first().waitFor({ timeout: 20_000 });
  });
  const web = activeWebview(page);
  await step('the Table tab shows rmse for each run; the lowest is marked best', async () => {
    await web.locator('vscode-panel-tab#tab-table').click({ timeout: 30_000 });
    await web.locator('table.compare-table tbody tr[data-key="metric:rmse"]').waitFor({ timeout: 20_000 });
    const runIds = await web.locator('table.compare-table thead th[data-run-id]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id') ?? ''));
    const names = (await web.locator('table.compare-table thead th[data-run-id] .run-name').allInnerTexts()).map((t) => t.trim());
    const cells = web.locator('table.compare-table tbody tr[data-key="metric:rmse"] td');
    const values: number[] = [];
    for (let i = 0; i < runIds.length; i++) values.push(Number((await cells.nth(i).evaluate((td) => td.firstChild?.textContent ?? '')).trim()));
    if (runIds.length !== 3 || values.some((v) => Number.isNaN(v))) throw new Error(`columns ${runIds.join(',')} values ${values.join(',')}`);
    const lowest = values.indexOf(Math.min(...values));
    best = { runId: runIds[lowest]!, name: names[lowest] ?? '', rmse: values[lowest]! };
    const marked = await cells.evaluateAll((tds) => tds.map((td) => td.classList.contains('best')));
    if (!marked[lowest] || marked.filter(Boolean).length !== 1) throw new Error(`best marks ${marked.join(',')} for values ${values.join(',')}`);
  });
  checks.check(best.name === 'elasticnet-a0.1-l0.2', `the best run by rmse is elasticnet-a0.1-l0.2 (${best.rmse})`, JSON.stringify(best));
  await shot(page, 'compare-best');
  await noErrors(page, checks, 'compare');

  // ---------- 5. open its registered model version ----------
  await step('Models: ElasticnetWineModel → the version whose source run is the best run', async () => {
    await page.locator('.tabs-container .tab', { hasText: 'Compare: wine-quality' }).first().locator('.tab-actions .action-label').first().click().catch(() => undefined);
    const experimentsHeader = viewPane(page, EXPERIMENTS).locator('.pane-header').first();
    if ((await experimentsHeader.getAttribute('aria-expanded').catch(() => null)) === 'true') await experimentsHeader.click();
    await expandView(page, MODELS);
    await (await waitForTreeRow(page, /ElasticnetWineModel/, MODELS)).click();
    // The tree renders only the rows in view and version 1 is the last of twelve: walk down with
    // the keyboard, which scrolls, until it is rendered.
    const version1 = treeRows(page, MODELS).filter({ hasText: /^Version 1\b/ }).first();
    await waitUntil(async () => {
      if (await version1.isVisible().catch(() => false)) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 30_000, 'the Version 1 row', 200);
    await version1.click();
    const source = treeRows(page, MODELS).filter({ hasText: new RegExp(`Source run\\s*${best.runId}`) }).first();
    await waitUntil(async () => {
      if (await source.isVisible().catch(() => false)) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 30_000, `the source run ${best.runId} under Version 1`, 300);
  });
  await shot(page, 'model-version');
  await noErrors(page, checks, 'model version');

  // ---------- 6. export it ----------
  await step('right-click the version → Export Model Version… → "Exported …" and info.yaml opens', async () => {
    const version = await waitForTreeRow(page, /^Version 1\b/, MODELS);
    await contextMenuItem(page, version, 'Export Model Version…', async () =>
      (await page.locator('.notifications-center .notification-list-item, .notifications-toasts .notification-toast', { hasText: /Export(ing|ed) ElasticnetWineModel version 1/ }).count()) > 0
      || exportsIn().length > 0,
    );
    await waitForNotification(page, /Exported ElasticnetWineModel version 1 to MLWFExportModel_\d{14}/, 60_000);
    await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().waitFor({ timeout: 15_000 });
  });
  const exported = exportsIn();
  checks.check(exported.length === 1, 'one MLWFExportModel_* folder was written', exported.join(', '));
  const exportDir = path.join(rig.workspace, exported[0] ?? 'missing');
  const infoYaml = path.join(exportDir, 'info.yaml');
  checks.check(fs.existsSync(path.join(exportDir, 'model.tar.gz')) && fs.statSync(path.join(exportDir, 'model.tar.gz')).size > 0, 'model.tar.gz is in it');
  await shot(page, 'exported');
  await noErrors(page, checks, 'export');
  await clearNotifications(page).catch(() => undefined);
  console.log(`    info.yaml after export:\n${fs.existsSync(infoYaml) ? fs.readFileSync(infoYaml, 'utf8') : '(none)'}`);


  // ---------- 7. fix info.yaml: once by typing, once through the form ----------
  const infoProblems = async () => (await problemTexts(page)).filter((t) => /MLWF info\.yaml/.test(t));
  // The count on info.yaml's row in the Problems panel (its marker rows are virtualised: only the
  // visible ones exist), 0 when the file has no row any more.
  const infoProblemCount = async () => {
    const fileRow = page.locator('.markers-panel .monaco-list-row', { hasText: exported[0]! }).filter({ hasText: 'info.yaml' }).first();
    if (!(await fileRow.isVisible().catch(() => false))) return 0;
    return Number((await fileRow.locator('.monaco-count-badge').first().innerText().catch(() => '')).trim() || NaN);
  };
  let before = 0;
  await step('the Problems panel lists what info.yaml still lacks (licence, contact, package URL)', async () => {
    await paletteCommand(page, 'Problems: Focus on Problems View');
    await waitUntil(async () => (await infoProblemCount()) === 3, 30_000, 'three info.yaml problems');
    const keys = ['License.Name', 'Creator.ContactPoint.Email', 'Distribution.ContentURL'];
    const listed = async () => {
      const rows = (await infoProblems()).join('\n');
      return keys.every((key) => new RegExp(`${key.replace(/\./g, '\\.')}( #\\d+)? is not filled in yet`).test(rows));
    };
    await waitUntil(listed, 10_000, `problems for ${keys.join(', ')}`);
    before = await infoProblemCount();
  });
  await shot(page, 'info-yaml-problems');

  await step('typing the licence in the text editor removes its problem (the count goes down)', async () => {
    const lines = fs.readFileSync(infoYaml, 'utf8').split('\n');
    const line = lines.findIndex((l) => /^ {2}Name: "<<FILL IN: a licence/.test(l)) + 1;
    if (line < 1) throw new Error('no License.Name placeholder line');
    await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().click();
    await page.locator('.editor-instance .view-lines').first().click();
    await goToLine(page, `${line}:3`);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('Name: MIT License');
    await page.keyboard.press('Escape'); // a completion popup, if any
    await waitUntil(async () => (await infoProblemCount()) === before - 1, 20_000, `${before - 1} info.yaml problems`);
    if ((await infoProblems()).some((t) => t.includes('License.Name'))) throw new Error('the License.Name problem is still listed');
    await page.keyboard.press('Control+S');
    await waitUntil(async () => /^ {2}Name: MIT License$/m.test(fs.readFileSync(infoYaml, 'utf8')), 10_000, 'the licence saved to disk');
  });
  await shot(page, 'info-yaml-typed');
  await noErrors(page, checks, 'info.yaml by text');

  const form = activeWebview(page);
  await step('the info.yaml form: typing the contact e-mail removes its problem too', async () => {
    await page.locator('.editor-actions [aria-label="Open info.yaml Form"]').first().click({ timeout: 15_000 });
    const email = form.locator('vscode-text-field[data-key="Creator.ContactPoint.Email"] input').first();
    await email.waitFor({ timeout: 30_000 });
    await waitUntil(async () => (await form.locator('.field[data-key="Creator.ContactPoint.Email"] .problems').innerText().catch(() => '')).includes('not filled in yet'), 15_000, 'the e-mail problem beside the field');
    await email.fill('ml-team@example.org');
    await waitUntil(async () => (await form.locator('.field[data-key="Creator.ContactPoint.Email"] .problems').innerText().catch(() => 'x')).trim() === '', 15_000, 'the e-mail problem to go in the form');
    await waitUntil(async () => (await infoProblemCount()) === before - 2, 20_000, `${before - 2} info.yaml problem in the Problems panel`);
    await page.keyboard.press('Control+S');
    await waitUntil(async () => /Email: ml-team@example\.org/.test(fs.readFileSync(infoYaml, 'utf8')), 10_000, 'the e-mail saved to disk');
  });
  const left = await infoProblems();
  checks.check((await infoProblemCount()) === 1 && left.length === 1 && left[0]!.includes('Distribution.ContentURL'), 'only the package URL is left, for the upload to fill in', left.join(' | '));
  await shot(page, 'info-yaml-form');
  await noErrors(page, checks, 'info.yaml by the form');

  // ---------- 8. upload the package and the YAML ----------
  // A remote window (code-server, like Remote-SSH) takes machine-scoped settings such as
  // mlwf.s3.endpoint from the remote host's settings: the Settings editor's Remote tab (the User
  // tab does not list them).
  const remoteSettings = path.join(path.dirname(rig.workspace), 'ud', 'Machine', 'settings.json');
  await step('Settings editor, Remote tab: mlwf.s3.endpoint set to the S3-compatible server', async () => {
    await paletteCommand(page, 'Preferences: Open Settings (UI)');
    const editor = page.locator('.settings-editor').first();
    await editor.locator('.settings-header').first().waitFor({ timeout: 20_000 });
    await editor.locator('.settings-tabs-widget .action-label', { hasText: /^Remote/ }).first().click({ timeout: 10_000 });
    await editor.locator('.settings-header .suggest-input-container').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('mlwf.s3.endpoint');
    const input = editor.locator('.settings-body .setting-item', { hasText: /S3: Endpoint/ }).locator('input').first();
    await input.waitFor({ timeout: 20_000 });
    await input.fill(s3Endpoint);
    await input.press('Tab');
    const endpointSetting = () => {
      try {
        return (JSON.parse(fs.readFileSync(remoteSettings, 'utf8')) as Record<string, unknown>)['mlwf.s3.endpoint'];
      } catch {
        return undefined; // not there or not valid JSON (yet)
      }
    };
    await waitUntil(async () => endpointSetting() === s3Endpoint, 15_000, 'the endpoint in the remote settings');
  });
  await shot(page, 'settings-endpoint');
  await page.locator('.tabs-container .tab.active', { hasText: 'Settings' }).first().locator('.tab-actions .action-label').first().click().catch(() => undefined);
  // Back to info.yaml's text (the form would be next, and F1 in a webview is not always taken).
  await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().click().catch(() => undefined);
  await step('MLWF: Set Cloud Storage Keys… keeps the keys in the secret storage', async () => {
    await paletteCommand(page, 'MLWF: Set Cloud Storage Keys…');
    await answerInputBox(page, ACCESS_KEY, { prompt: /Access key ID/ });
    await answerInputBox(page, SECRET_KEY, { prompt: /Secret access key/ });
    await waitForNotification(page, new RegExp(`Cloud Storage keys for ${s3Endpoint.replace(/[.:/]/g, '\\$&')} are kept in the secret storage`));
  });
  await noErrors(page, checks, 'cloud storage keys');
  await clearNotifications(page).catch(() => undefined);
  const settingsText = fs.readFileSync(remoteSettings, 'utf8');
  checks.check(!settingsText.includes(SECRET_KEY), 'the secret key is not in the settings');

  const explorerRow = (name: string | RegExp) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  let prefix = '';
  let packageUrl = '';
  let yamlUrl = '';
  await step('Explorer: right-click the export folder → Upload Model Package… → create a bucket', async () => {
    await page.keyboard.press('Control+Shift+E');
    await explorerRow(exported[0]!).waitFor({ timeout: 20_000 });
    const widget = page.locator('.quick-input-widget').first();
    await contextMenuItem(page, explorerRow(exported[0]!), 'Upload Model Package…', async () => /Pick a bucket or create one|Upload Model Package: bucket/.test(await widget.innerText().catch(() => '')) && (await widget.isVisible().catch(() => false)));
    await pickQuickItem(page, /Create a Bucket…/);
    await answerInputBox(page, BUCKET, { prompt: /3 to 63 lower-case letters/ });
  });
  await step('Enter accepts the default prefix (the model name)', async () => {
    const widget = page.locator('.quick-input-widget').first();
    await waitUntil(async () => /prefix/i.test(await widget.innerText().catch(() => '')), 20_000, 'the prefix step');
    prefix = (await quickInput(page).inputValue().catch(() => '')) || ((await widget.locator('.quick-input-list .monaco-list-row.focused').first().innerText().catch(() => '')).trim());
    await shot(page, 'upload-prefix');
    await page.keyboard.press('Enter');
  });
  await step('Public URL into info.yaml; the package uploads; "Make Public" for info.yaml', async () => {
    const widget = page.locator('.quick-input-widget').first();
    await waitUntil(async () => /Which URL goes into info\.yaml/.test(await widget.innerText().catch(() => '')), 20_000, 'the URL kind pick');
    await pickQuickItem(page, /^Public URL/);
    const makePublic = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Make Public' });
    await makePublic.waitFor({ timeout: 60_000 });
    await shot(page, 'upload-public-read');
    await makePublic.click();
  });
  await step('the summary names the package and info.yaml URLs', async () => {
    const note = await waitForNotification(page, /Uploaded\. Package: \S+ — info\.yaml: \S+/, 60_000);
    const text = (await note.innerText()).replace(/\s+/g, ' ');
    const m = /Package: (\S+) — info\.yaml: (\S+)/.exec(text);
    packageUrl = m?.[1] ?? '';
    yamlUrl = m?.[2] ?? '';
    await note.locator('.monaco-button', { hasText: 'Copy Package URL' }).first().waitFor({ timeout: 5_000 });
  });
  // The picture of the upload: info.yaml with the URL written in, and the summary beside it.
  await page.locator('.tabs-container .tab', { hasText: 'info.yaml' }).first().click();
  await page.locator('.editor-instance .view-lines').first().click();
  await goToLine(page, `${fs.readFileSync(infoYaml, 'utf8').split('\n').findIndex((l) => l.includes('ContentURL:')) + 1}:1`);
  await waitForNotification(page, /Uploaded\. Package:/);
  await shot(page, 'upload-summary');
  await noErrors(page, checks, 'upload');
  console.log(`    prefix shown "${prefix}", package ${packageUrl}, info.yaml ${yamlUrl}`);
  await checkUploadedObjects(checks, { endpoint: s3Endpoint, bucket: BUCKET, keys: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }, prefix, packageUrl, yamlUrl, exportDir });
  await step('info.yaml validates: the Problems panel has no info.yaml problem left', async () => {
    await waitUntil(async () => (await infoProblemCount()) === 0 && (await infoProblems()).length === 0, 20_000, 'no info.yaml problems');
  });
  await clearNotifications(page).catch(() => undefined);

  await buildServeAndRequest({ page, rig, checks, step, shot: (name) => shot(page, name) }, exported[0]!);
}
