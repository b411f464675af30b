// The Jobs view as a user sees it in the real workbench (code-server in headless Chromium), with
// the REAL Grid Engine cell of scripts/gridengine.sh and the REAL MLflow 2.14.3 server: sign in,
// open train.py, run "MLWF: Run on a Compute Node…" from the palette (experiment, queue and wall
// time answered in the quick inputs), see the job queued then running in the Jobs view with its
// description (its state and time readable at the side bar's default width); Show Job Output from
// the row's menu shows the job's lines while it runs, Cancel Job… asks first and then ends it; the
// row says cancelled with the host and elapsed time it ran, and the run, read back from the
// server, is KILLED. Resubmit Job from the cancelled row's menu submits it again (a new job id and
// a new run on the server), and on that job's row once it has finished, Show Job's Run selects its
// run in the Experiments view and Compare Job's Run with… lists the experiment's runs and opens
// the comparison of both jobs' runs. Then Build Container of a gridengine folder goes through the
// same submission: its job runs on the cell and fails (no singularity here) with the reason in
// the error and the row. Skips with one line where the cell or the real servers cannot run.
import { execFileSync } from 'node:child_process';
import type { Locator } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createImageFolder } from '../../../src/core/container/createImageFolder';
import { PROFILES } from '../../../src/core/container/siteProfiles';
import { MlflowClient } from '../../../src/core/mlflow';
import {
  REPO_ROOT,
  activeWebview,
  answerInputBox,
  clearNotifications,
  escapeRegExp,
  expandView,
  openMlflowContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  screenshot,
  treeRowTexts,
  uiTest,
  viewPane,
  waitForNotification,
  waitUntil,
} from './lib';
import { contextMenuItem, noErrors, paletteCommand } from './workbench';
import { containerJobLabel, jobRowRe } from '../jobRows';
import { findJobRow, jobRowText } from './jobsView';
import { gridEngineAndRealServer, signInToRealServer } from './realServerSteps';

const JOBS = 'Jobs';
/** "0:00:SS / 0:10:00": the time a job used of its wall time. */
const RUN_TIME = '0:\\d\\d:\\d\\d / 0:10:00';
const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

void uiTest('jobs.ui', async ({ page, rig, checks }) => {
  const server = await gridEngineAndRealServer(checks);
  if (!server) return;
  const tag = `[real MLflow ${server.kit}]`;
  const jobsFolder = path.join(rig.workspace, 'mlwf-jobs');
  fs.writeFileSync(
    path.join(rig.workspace, 'train.py'),
    // steps.txt (next to it) makes a resubmitted job short: it finishes while the test watches, with
    // a last loss (0.0777) no step of the long job logs, which tells their runs apart in the tree.
    ['import os, time', 'import mlflow', 'steps = int(open("steps.txt").read()) if os.path.exists("steps.txt") else 300', 'with mlflow.start_run():', '    for step in range(steps):', '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)', '        print(f"step {step}", flush=True)', '        time.sleep(1)', '    if steps < 300:', '        mlflow.log_metric("loss", 0.0777, step=steps)', ''].join('\n'),
  );
  fs.mkdirSync(path.join(rig.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(rig.workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'mlwf.siteProfile': 'gridengine',
        'mlwf.jobs.python': '/usr/bin/python3',
        'mlwf.jobs.refreshSeconds': 2,
        // The job imports the real client of the server's version, as a site's `module load` would.
        'mlwf.jobs.setupCommands': Object.entries(server.clientEnv).map(([k, v]) => `export ${k}=${shq(v)}`),
      },
      null,
      2,
    ),
  );
  const client = new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password } });
  const jobFolders = () => (fs.existsSync(jobsFolder) ? fs.readdirSync(jobsFolder) : []);
  /** The job.json of job `id` (the newest one before its id is known). */
  const record = (id = jobId) => {
    const all = jobFolders()
      .map((d) => path.join(jobsFolder, d, 'job.json'))
      .filter((f) => fs.existsSync(f))
      .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { id: string; runId: string; outputFile: string; submittedAt: number });
    return (id ? all.find((r) => r.id === id) : all.sort((a, b) => b.submittedAt - a.submittedAt)[0]) ?? undefined;
  };
  // Rows are found by this test's script and job id: another suite may have jobs on the same cell.
  const rowRe = (id: string) => jobRowRe('train.py', { id });
  const findRow = (id: string) => findJobRow(page, JOBS, rowRe(id));
  const jobRow = (id = jobId) => jobRowText(page, JOBS, rowRe(id));
  /** Waits for the job's row to match; a timeout names what the row said last. */
  const waitRow = async (re: RegExp, timeout: number, what: string, id = jobId) => {
    await waitUntil(async () => re.test(await jobRow(id)), timeout, what).catch(async (e: Error) => {
      throw new Error(`${e.message} (the row: "${await jobRow(id)}")`);
    });
  };
  let jobId = '';
  let againId = '';

  try {
    await checks.step('workbench loads, the MLflow side bar opens and signs in to the real server', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      await signInToRealServer(page, server);
    });
    await clearNotifications(page).catch(() => undefined);

    // A busy cluster for a moment: the queue takes no job, so the view shows it queued first.
    execFileSync('qmod', ['-d', 'all.q']);
    await checks.step(`${tag} Run on a Compute Node… from the palette: experiment, queue and wall time asked, the job submitted`, async () => {
      // Quick Open, as a user opens a file by name.
      await page.keyboard.press('Control+P');
      await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput(page).fill('train.py');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'train.py' }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'mlflow.start_run' }).first().waitFor({ timeout: 20_000 });
      await paletteCommand(page, 'MLWF: Run on a Compute Node…');
      // Other suites add experiments to the same server: the list may not show this one until
      // filtered by its name, and "#2" is not "#20".
      const { name } = await client.getExperiment(server.scenario.experiment_id);
      await waitUntil(async () => /Experiment the job logs to/.test((await quickInput(page).getAttribute('placeholder').catch(() => '')) ?? ''), 30_000, 'the experiment pick');
      await quickInput(page).fill(name);
      await pickQuickItem(page, new RegExp(`#${server.scenario.experiment_id}(?!\\d)`), 30_000);
      await answerInputBox(page, '', { prompt: /Queue \(empty: the cell chooses\)/ });
      await answerInputBox(page, '0:10:00', { prompt: /Wall time of the job/ });
      const toast = await waitForNotification(page, /Job \d+ submitted: train\.py, logging to run [0-9a-f]{32}/, 60_000);
      jobId = /Job (\d+) submitted/.exec(await toast.innerText())![1]!;
    });
    await checks.step(`${tag} the Jobs view shows the job queued: "train.py queued · – / 0:10:00 · #ID", its run SCHEDULED on the server`, async () => {
      await expandView(page, JOBS);
      await findRow(jobId);
      // The label, then the description (no blank between them in the row's text).
      await waitRow(jobRowRe('train.py', { state: 'queued', time: '– / 0:10:00', id: jobId, exact: true }), 30_000, 'the queued row');
      const run = await client.getRun(record()!.runId);
      if (run.info.status !== 'SCHEDULED') throw new Error(`run status ${run.info.status}`);
    });
    await screenshot(page, 'jobs-01-queued');
    execFileSync('qmod', ['-e', 'all.q']);

    await checks.step(`${tag} the job runs: "running · 0:00:SS / 0:10:00 · all.q@HOST · #ID", readable whole at the side bar's default width, and its run is RUNNING`, async () => {
      await waitRow(jobRowRe('train.py', { state: 'running', time: RUN_TIME, resource: 'all\\.q@\\S+', id: jobId, exact: true }), 90_000, 'the running row');
      const row = await findRow(jobId);
      const cut = await cutOff(row, / \/ 0:10:00/);
      if (cut) throw new Error(`at the side bar's default width the state and time are cut off: ${cut}`);
      await waitUntil(async () => (await client.getRun(record()!.runId)).info.status === 'RUNNING', 60_000, 'the run RUNNING');
    });
    await checks.step(`${tag} Show Job Output from the row's menu shows the job's lines while it runs`, async () => {
      const row = await findRow(jobId);
      await contextMenuItem(page, row, 'Show Job Output', async () => (await page.locator('.part.panel').first().isVisible().catch(() => false)));
      // The panel renders only the lines in sight: the newest steps, as the job prints them (the
      // panel's filter box is an editor too, hence the text filter; blanks render as U+00A0).
      const output = page.locator('.part.panel .view-lines', { hasText: /step\s\d+/ }).first();
      await output.waitFor({ timeout: 60_000 });
      const first = Number(/step\s(\d+)/.exec(await output.innerText())![1]);
      await waitUntil(async () => [...(await output.innerText()).matchAll(/step\s(\d+)/g)].some((m) => Number(m[1]) > first), 20_000, 'new lines while the job runs');
      const channel = await page.locator('.part.panel .monaco-select-box, .part.panel select').first().innerText().catch(() => '');
      if (!new RegExp(`MLWF Job ${jobId}`).test(channel) && !new RegExp(`MLWF Job ${jobId}`).test(await page.locator('.part.panel').first().innerText())) throw new Error(`the output channel is "${channel}"`);
      if (!/running/.test(await jobRow())) throw new Error(`not running any more: ${await jobRow()}`);
    });
    await screenshot(page, 'jobs-02-output');

    await checks.step(`${tag} Cancel Job… asks first, then the row says cancelled with the host and elapsed time it ran, and the run read back from the server is KILLED`, async () => {
      const row = await findRow(jobId);
      const dialog = page.locator('.monaco-dialog-box').first();
      await contextMenuItem(page, row, 'Cancel Job…', async () => dialog.isVisible().catch(() => false));
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      if (!new RegExp(`Cancel job ${jobId} \\(.*train\\.py\\)\\?`).test(text) || !/marked KILLED/.test(text)) throw new Error(`dialog: ${text}`);
      await dialog.locator('.monaco-button', { hasText: /^Cancel Job$/ }).first().click();
      // From qacct, or (when its accounting lags the cancel) from what the view saw while it ran.
      await waitRow(jobRowRe('train.py', { state: 'cancelled', time: RUN_TIME, resource: 'all\\.q@\\S+', id: jobId, exact: true }), 60_000, 'the cancelled row with its host and elapsed time');
      await waitUntil(async () => (await client.getRun(record()!.runId)).info.status === 'KILLED', 30_000, 'the run KILLED');
      await waitUntil(async () => !listedByCell(jobId), 30_000, `job ${jobId} gone from the cell's qstat`);
    });
    await screenshot(page, 'jobs-03-cancelled');

    await checks.step(`${tag} Resubmit Job from the cancelled row's menu: a new job row with a new id, and a new run on the server tagged with it`, async () => {
      fs.writeFileSync(path.join(rig.workspace, 'steps.txt'), '3');
      await clearNotifications(page).catch(() => undefined);
      const before = jobFolders().length;
      const row = await findRow(jobId);
      // Done once the new job's folder exists: a second click would submit it twice.
      await contextMenuItem(page, row, 'Resubmit Job', async () => jobFolders().length > before);
      // Not the first job's toast, should it still be in the notification center (clearing it can
      // time out on a busy machine): the same id would then be found here, and no new job.
      const toast = await waitForNotification(page, new RegExp(`Job (?!${jobId} )\\d+ submitted: train\\.py, logging to run [0-9a-f]{32}`), 60_000);
      const [, id, runId] = /Job (\d+) submitted: train\.py, logging to run ([0-9a-f]{32})/.exec(await toast.innerText())!;
      againId = id!;
      if (againId === jobId) throw new Error(`the same job id ${jobId}`);
      if (runId === record(jobId)!.runId) throw new Error('the same run');
      await findRow(againId);
      const run = await client.getRun(runId!);
      const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
      if (tags['mlwf.job.id'] !== againId) throw new Error(`the new run's mlwf.job.id is ${tags['mlwf.job.id']}`);
      if (run.info.experiment_id !== server.scenario.experiment_id) throw new Error(`the new run is in experiment ${run.info.experiment_id}`);
      await waitRow(jobRowRe('train.py', { state: 'finished', time: RUN_TIME, resource: 'all\\.q@\\S+', id: againId, exact: true }), 120_000, 'the resubmitted job finished', againId);
      await waitUntil(async () => (await client.getRun(runId!)).info.status === 'FINISHED', 30_000, 'the new run FINISHED');
    });
    await screenshot(page, 'jobs-04-resubmitted');

    await checks.step(`${tag} Show Job's Run on the finished job's row reveals and selects its run in the Experiments view`, async () => {
      const row = await findRow(againId);
      // Its run's last loss is in its row's description: the cancelled job's run has the same name.
      const selected = viewPane(page, 'Experiments').locator('.monaco-list-row.selected', { hasText: /train\.py \(mlwf-train\).*loss 0\.0777/ }).first();
      await contextMenuItem(page, row, "Show Job's Run", async () => selected.isVisible().catch(() => false));
      await selected.waitFor({ timeout: 30_000 });
    });
    await screenshot(page, 'jobs-05-show-run');

    await checks.step(`${tag} Compare Job's Run with… on the finished job's row lists runs of its experiment; picking the cancelled job's run opens the comparison of both`, async () => {
      const mine = record(againId)!.runId;
      const theirs = record(jobId)!.runId;
      const row = await findRow(againId);
      const picker = page.locator('.quick-input-widget').first();
      await contextMenuItem(page, row, "Compare Job's Run with…", async () => /Runs to compare with the run of job/.test((await quickInput(page).getAttribute('placeholder').catch(() => '')) ?? ''));
      const items = picker.locator('.quick-input-list .monaco-list-row');
      await items.first().waitFor({ timeout: 30_000 });
      // Every run listed is a run of the job's experiment, other than the job's own.
      const experimentRuns = new Set((await client.searchRunsPage({ experimentIds: [server.scenario.experiment_id], maxResults: 1000 })).runs.map((r) => r.info.run_id));
      const listed = (await items.allInnerTexts()).map((t) => /[0-9a-f]{32}/.exec(t)?.[0] ?? `?${t}`);
      const strangers = listed.filter((id) => !experimentRuns.has(id) || id === mine);
      if (!listed.length || strangers.length) throw new Error(`listed: ${listed.join(', ')} (not of the experiment, or the job's own: ${strangers.join(', ')})`);
      const other = items.filter({ hasText: theirs }).first();
      await other.waitFor({ timeout: 10_000 });
      await other.click();
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: /^Compare: .* \(2 runs\)/ }).first().waitFor({ timeout: 30_000 });
      const web = activeWebview(page);
      await web.locator('vscode-panel-tab#tab-table').click({ timeout: 30_000 });
      const columns = web.locator('table.compare-table thead th[data-run-id]');
      await columns.first().waitFor({ timeout: 30_000 });
      const ids = await columns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id') ?? ''));
      if (ids.length !== 2 || !ids.includes(mine) || !ids.includes(theirs)) throw new Error(`compared runs: ${ids.join(', ')}`);
    });
    await screenshot(page, 'jobs-06-compare');
    await noErrors(page, checks, `${tag} jobs`);

    // The container's build job through the same submission, on the same cell. The test machine
    // has neither singularity nor apptainer: the job really runs and fails, and says why.
    await checks.step('Build Container of a gridengine folder runs as a job: its row says failed · exit 127 and the error names the missing singularity, with Show Output', async () => {
      const src = fs.mkdtempSync(path.join(rig.workspace, 'export-'));
      fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/container/sklearn-wine/artifacts'), path.join(src, 'artifacts'), { recursive: true });
      const made = await createImageFolder({ source: src, outputDir: rig.workspace, profile: PROFILES.gridengine, job: { group: '', resource: '', walltime: '0:10:00' }, chooseBaseImage: async (_s, d) => d });
      const label = containerJobLabel('build', made.folder);
      await clearNotifications(page).catch(() => undefined);
      await paletteCommand(page, 'MLWF: Build Container');
      const toast = await waitForNotification(page, /The container build job \d+ failed \(exit code 127\): MLWF: neither singularity nor apptainer is on PATH on \S+: install one/, 120_000);
      if (!(await toast.locator('.monaco-button', { hasText: 'Show Output' }).first().isVisible().catch(() => false))) throw new Error('no Show Output button');
      const rows = () => jobRowText(page, JOBS, new RegExp(`^${escapeRegExp(label)}`));
      await waitUntil(async () => jobRowRe(label, { state: 'failed', exit: '127' }).test(await rows()), 30_000, `the row "${label} failed · exit 127 · … · #ID"`).catch(async (e: Error) => {
        throw new Error(`${e.message} (rows: ${(await treeRowTexts(page, JOBS)).join(' | ')})`);
      });
      const cut = await cutOff(await findJobRow(page, JOBS, new RegExp(`^${escapeRegExp(label)}`)), /exit 127/);
      if (cut) throw new Error(`at the side bar's default width the state and exit code are cut off: ${cut}`);
    });
    await screenshot(page, 'jobs-07-container-build');
  } finally {
    try {
      execFileSync('qmod', ['-e', 'all.q']);
      for (const id of [jobId, againId]) if (id) execFileSync('qdel', [id], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
});

/** Whether `qstat` still lists the job. */
function listedByCell(id: string): boolean {
  try {
    return execFileSync('qstat', ['-u', '*'], { encoding: 'utf8' }).split('\n').some((l) => l.trim().startsWith(`${id} `));
  } catch {
    return false;
  }
}

/**
 * Whether the row's description, up to the end of `through` (its state and time), is cut off by
 * the row's ellipsis at the side bar's width: the text, or undefined when all of it is in sight.
 */
async function cutOff(row: Locator, through: RegExp): Promise<string | undefined> {
  // Away from the row: a hovered row shows its inline actions, which take some of its width.
  await row.page().mouse.move(1200, 450);
  await row.page().waitForTimeout(300);
  return row.evaluate((el, source) => {
    const description = el.querySelector('.label-description');
    const box = el.querySelector('.monaco-icon-label-container') ?? el;
    const text = description?.firstChild;
    if (!description || !text || text.nodeType !== 3 /* a text node */) return 'no description';
    const m = new RegExp(source).exec(text.textContent ?? '');
    if (!m) return `no ${source} in "${text.textContent}"`;
    const range = el.ownerDocument.createRange();
    range.setStart(text, 0);
    range.setEnd(text, m.index + m[0].length);
    const shown = box.getBoundingClientRect().right;
    const needed = range.getBoundingClientRect().right;
    return needed <= shown + 0.5 ? undefined : `"${text.textContent}" needs ${Math.round(needed)} px, the row shows up to ${Math.round(shown)} px`;
  }, through.source);
}
