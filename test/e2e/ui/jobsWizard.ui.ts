// "MLWF: Run on a Compute Node…" as one multi-step input, in the real workbench (code-server in
// headless Chromium) with the REAL Grid Engine cell and the REAL MLflow 2.14.3 server. The title
// counts the steps ("Run train.py on Grid Engine (2/3)"); an invalid wall time is said under the
// box and Enter does not go on; Escape on the last step submits nothing (no job folder) and
// remembers nothing (the next run asks all three steps again); Back keeps what was answered (the
// queue typed, the experiment highlighted) and what was typed on the step left; the answers
// submit a job whose row appears in the Jobs view, with that queue and wall time in its record;
// then the remembered settings leave one question, shown without a count or a Back button, and
// Set Job Settings… asks the same settings steps, prefilled.
// Skips with one line where the cell or the real servers cannot run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  clearNotifications,
  expandView,
  hideNotificationCenter,
  notificationTexts,
  openMlflowContainer,
  openWorkbench,
  quickInput,
  screenshot,
  showNotificationCenter,
  uiTest,
  waitForNotification,
  waitUntil,
} from './lib';
import { gridEngineAndRealServer, signInToRealServer } from './realServerSteps';
import { noErrors, paletteCommand } from './workbench';
import { jobRowRe } from '../jobRows';
import { findJobRow } from './jobsView';

const JOBS = 'Jobs';
const TITLE = 'Run train.py on Grid Engine';
const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

const widget = (page: Page) => page.locator('.quick-input-widget').first();
const titleText = async (page: Page) => ((await page.locator('.quick-input-widget .quick-input-title').first().innerText().catch(() => '')) ?? '').trim();
const backButton = (page: Page) => page.locator('.quick-input-widget .codicon-quick-input-back').first();

/** Clicks the quick pick's row that matches; a timeout lists the rows seen. */
async function pickRow(page: Page, re: RegExp, timeout = 30_000): Promise<void> {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const texts = async () => (await rows.allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim());
  await waitUntil(async () => (await texts()).some((t) => re.test(t)), timeout, `a row ${re}`).catch(async (e: Error) => {
    await screenshot(page, 'jobsWizard-no-row').catch(() => undefined);
    throw new Error(`${e.message} (rows: ${(await texts()).join(' | ')}; ${await rows.count()} in the DOM)`);
  });
  const index = (await texts()).findIndex((t) => re.test(t));
  await rows.nth(index).click();
}

/** Waits for the multi-step input's title to be exactly `title`; a timeout names the title seen. */
async function waitTitle(page: Page, title: string, timeout = 30_000): Promise<void> {
  await waitUntil(async () => (await widget(page).isVisible().catch(() => false)) && (await titleText(page)) === title, timeout, `the title "${title}"`).catch(async (e: Error) => {
    throw new Error(`${e.message} (the title: "${await titleText(page)}")`);
  });
}

void uiTest('jobsWizard.ui', async ({ page, rig, checks }) => {
  const server = await gridEngineAndRealServer(checks);
  if (!server) return;
  const experimentId = server.scenario.experiment_id;
  const experimentRow = new RegExp(`#${experimentId}\\b`);
  const jobsFolder = path.join(rig.workspace, 'mlwf-jobs');
  fs.writeFileSync(path.join(rig.workspace, 'train.py'), ['import mlflow', 'with mlflow.start_run():', '    mlflow.log_metric("loss", 0.5)', '    print("wizard job", flush=True)', ''].join('\n'));
  fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(rig.workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'mlwf.siteProfile': 'gridengine',
        'mlwf.jobs.python': '/usr/bin/python3',
        'mlwf.jobs.refreshSeconds': 2,
        'mlwf.jobs.setupCommands': Object.entries(server.clientEnv).map(([k, v]) => `export ${k}=${shq(v)}`),
      },
      null,
      2,
    ),
  );
  const jobFolders = () => (fs.existsSync(jobsFolder) ? fs.readdirSync(jobsFolder) : []);
  /** Every notification about a submission (no toasts in this rig: the center lists them). */
  const submittedNotices = async () => {
    await showNotificationCenter(page).catch(() => undefined);
    const texts = (await notificationTexts(page)).filter((t) => /Job \d+ submitted|Submitting train\.py|was not submitted/.test(t));
    await hideNotificationCenter(page).catch(() => undefined);
    return texts;
  };
  let jobId = '';

  try {
    await checks.step('workbench loads, signs in to the real server and opens train.py', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      await signInToRealServer(page, server);
      await page.keyboard.press('Control+P');
      await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput(page).fill('train.py');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'train.py' }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'mlflow.start_run' }).first().waitFor({ timeout: 20_000 });
    });
    await clearNotifications(page).catch(() => undefined);

    await checks.step(`the steps are counted: "${TITLE} (1/3)" the experiment (no Back yet), (2/3) the queue, (3/3) the wall time`, async () => {
      await paletteCommand(page, 'MLWF: Run on a Compute Node…');
      await waitTitle(page, `${TITLE} (1/3)`);
      if (await backButton(page).isVisible().catch(() => false)) throw new Error('a Back button on the first step');
      await pickRow(page, experimentRow);
      await waitTitle(page, `${TITLE} (2/3)`);
      if (!/Queue \(empty: the cell chooses\)/.test(await widget(page).innerText())) throw new Error(`step 2 says: ${await widget(page).innerText()}`);
      if (!(await backButton(page).isVisible())) throw new Error('no Back button on step 2');
      await quickInput(page).fill('all.q');
      await page.keyboard.press('Enter');
      await waitTitle(page, `${TITLE} (3/3)`);
      if (!/Wall time of the job \(H:MM:SS\)/.test(await widget(page).innerText())) throw new Error(`step 3 says: ${await widget(page).innerText()}`);
    });
    await checks.step('an invalid wall time is said under the box as it is typed, and Enter stays on the step', async () => {
      await quickInput(page).fill('10 min');
      await waitUntil(async () => /The wall time is H:MM:SS, e\.g\. 1:00:00\./.test(await widget(page).innerText()), 10_000, 'the inline validation message');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1_000);
      if ((await titleText(page)) !== `${TITLE} (3/3)`) throw new Error(`after Enter the title is "${await titleText(page)}"`);
    });
    await screenshot(page, 'jobsWizard-01-validation');
    await checks.step('Escape on the last step closes the input and submits nothing: no job folder, no submitted notification', async () => {
      await page.keyboard.press('Escape');
      await widget(page).waitFor({ state: 'hidden', timeout: 10_000 });
      // Long enough for a submission to have written its folder (it does so before qsub).
      await page.waitForTimeout(4_000);
      if (jobFolders().length) throw new Error(`job folders: ${jobFolders().join(', ')}`);
      const notices = await submittedNotices();
      if (notices.length) throw new Error(`notified: ${notices.join(' | ')}`);
    });

    await checks.step('the cancelled answers were not remembered: the next run asks (1/3) again', async () => {
      await paletteCommand(page, 'MLWF: Run on a Compute Node…');
      await waitTitle(page, `${TITLE} (1/3)`);
      await pickRow(page, experimentRow);
      await waitTitle(page, `${TITLE} (2/3)`);
      const queue = await quickInput(page).inputValue();
      if (queue !== '') throw new Error(`the queue box holds "${queue}"`);
      await quickInput(page).fill('all.q');
      await page.keyboard.press('Enter');
      await waitTitle(page, `${TITLE} (3/3)`);
      await quickInput(page).fill('0:07:00');
    });
    await checks.step('Back from (3/3) shows (2/3) with the queue answered; Back again shows (1/3) with the experiment highlighted', async () => {
      await backButton(page).click();
      await waitTitle(page, `${TITLE} (2/3)`);
      const queue = await quickInput(page).inputValue();
      if (queue !== 'all.q') throw new Error(`the queue box holds "${queue}"`);
      await backButton(page).click();
      await waitTitle(page, `${TITLE} (1/3)`);
      const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').first();
      await waitUntil(async () => experimentRow.test(await focused.innerText().catch(() => '')), 15_000, `the experiment #${experimentId} highlighted`);
    });
    await screenshot(page, 'jobsWizard-02-back');
    await checks.step('forward again: the queue and the wall time typed before Back are still there; Enter submits the job', async () => {
      await page.keyboard.press('Enter');
      await waitTitle(page, `${TITLE} (2/3)`);
      if ((await quickInput(page).inputValue()) !== 'all.q') throw new Error(`the queue box holds "${await quickInput(page).inputValue()}"`);
      await page.keyboard.press('Enter');
      await waitTitle(page, `${TITLE} (3/3)`);
      if ((await quickInput(page).inputValue()) !== '0:07:00') throw new Error(`the wall time box holds "${await quickInput(page).inputValue()}"`);
      await page.keyboard.press('Enter');
      const toast = await waitForNotification(page, /Job \d+ submitted: train\.py, logging to run [0-9a-f]{32}/, 60_000);
      jobId = /Job (\d+) submitted/.exec(await toast.innerText())![1]!;
      // The wait opened the Notifications Center: it would take the next Escape.
      await hideNotificationCenter(page).catch(() => undefined);
    });
    await checks.step('the job row appears in the Jobs view, and its record has the experiment, queue and wall time answered', async () => {
      await expandView(page, JOBS);
      await findJobRow(page, JOBS, jobRowRe('train.py', { id: jobId }));
      const records = jobFolders().map((d) => JSON.parse(fs.readFileSync(path.join(jobsFolder, d, 'job.json'), 'utf8')) as { id: string; experimentId: string; resource: string; walltime: string });
      if (records.length !== 1) throw new Error(`${records.length} job folders`);
      const r = records[0]!;
      if (r.id !== jobId || r.experimentId !== experimentId || r.resource !== 'all.q' || r.walltime !== '0:07:00') throw new Error(`job.json: ${JSON.stringify(r)}`);
    });
    await screenshot(page, 'jobsWizard-03-submitted');

    await checks.step(`with the settings remembered one question is left: "${TITLE}" without a count or Back, the last experiment first; Escape submits nothing`, async () => {
      await paletteCommand(page, 'MLWF: Run on a Compute Node…');
      await waitTitle(page, TITLE);
      if (await backButton(page).isVisible().catch(() => false)) throw new Error('a Back button on the only step');
      const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
      await waitUntil(async () => experimentRow.test(await first.innerText().catch(() => '')), 15_000, `the experiment #${experimentId} first`);
      await quickInput(page).focus();
      await page.keyboard.press('Escape');
      await widget(page).waitFor({ state: 'hidden', timeout: 10_000 });
      await page.waitForTimeout(3_000);
      if (jobFolders().length !== 1) throw new Error(`job folders: ${jobFolders().join(', ')}`);
      const submitted = (await submittedNotices()).filter((t) => /Job \d+ submitted/.test(t) && !t.includes(`Job ${jobId} `));
      if (submitted.length) throw new Error(`notified: ${submitted.join(' | ')}`);
    });
    await checks.step('Set Job Settings… asks the same steps, "(1/2)" the queue and "(2/2)" the wall time, prefilled with the remembered ones, and says what new jobs will use', async () => {
      // Clicked by its exact title: Enter would run the palette's first match, Set Container Job Settings….
      await page.keyboard.press('F1');
      await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput(page).fill('>MLWF: Set Job Settings');
      await pickRow(page, /^MLWF: Set Job Settings…/, 15_000);
      const title = 'Job on a compute node (Grid Engine)';
      await waitTitle(page, `${title} (1/2)`);
      if ((await quickInput(page).inputValue()) !== 'all.q') throw new Error(`the queue box holds "${await quickInput(page).inputValue()}"`);
      await page.keyboard.press('Enter');
      await waitTitle(page, `${title} (2/2)`);
      if ((await quickInput(page).inputValue()) !== '0:07:00') throw new Error(`the wall time box holds "${await quickInput(page).inputValue()}"`);
      await quickInput(page).fill('0:08:00');
      await page.keyboard.press('Enter');
      await waitForNotification(page, 'New jobs on Grid Engine will use all.q, 0:08:00.', 15_000);
      await hideNotificationCenter(page).catch(() => undefined);
    });
    await noErrors(page, checks, 'jobsWizard');
  } finally {
    try {
      if (jobId) execFileSync('qdel', [jobId], { stdio: 'ignore' });
    } catch {
      // already finished
    }
  }
});
