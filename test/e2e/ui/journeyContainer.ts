// The journey's last leg, from an export folder whose package is uploaded: generate the container
// recipe from the Explorer, build it and serve it as jobs of the stand-in scheduler and
// singularity (test/fixtures/container/bin), and send the model's input example to the served
// model. The stand-ins log each call, so the test sees the jobs asked for and the request sent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { answerInputBox, clearNotifications, clickNotificationButton, hideNotificationCenter, pickQuickItem, waitForNotification, waitUntil, type Checks, type Rig } from './lib';
import { contextMenuItem, editorTexts, noErrors, paletteCommand } from './workbench';

/** What each leg of the journey works with. */
export interface JourneyContext {
  page: Page;
  rig: Rig;
  checks: Checks;
  /** A check that runs `fn` and leaves a screenshot if it fails. */
  step(message: string, fn: () => Promise<unknown>): Promise<boolean>;
  /** The numbered screenshot of a step. */
  shot(name: string): Promise<string>;
}

export async function buildServeAndRequest({ page, rig, checks, step, shot }: JourneyContext, exportFolder: string): Promise<void> {
  // ---------- 9. generate the container recipe ----------
  let imageFolder = '';
  await step('right-click the export folder → Generate Container Recipe…: group, CPU node, wall time, base image', async () => {
    await page.keyboard.press('Control+Shift+E');
    const widget = page.locator('.quick-input-widget').first();
    await contextMenuItem(page, page.locator('.explorer-folders-view .monaco-list-row', { hasText: exportFolder }).first(), 'Generate Container Recipe…', async () => /ABCI group/.test(await widget.innerText().catch(() => '')) && (await widget.isVisible().catch(() => false)));
    await answerInputBox(page, 'gaa50000', { prompt: /ABCI group/ });
    await pickQuickItem(page, 'rt_HC');
    await answerInputBox(page, '0:30:00', { prompt: /Wall time/ });
    await waitUntil(async () => /Base image of the container/.test(await widget.innerText().catch(() => '')), 15_000, 'the base image pick');
    await page.keyboard.press('Enter'); // the model's default image
    await waitUntil(async () => {
      imageFolder = fs.readdirSync(rig.workspace).find((f) => /^MLWFCreateImage_\d{14}$/.test(f)) ?? '';
      return imageFolder !== '';
    }, 30_000, 'the MLWFCreateImage folder');
    await page.locator('.tabs-container .tab', { hasText: 'Singularity' }).first().waitFor({ timeout: 20_000 });
    await waitUntil(async () => (await editorTexts(page)).some((t) => /Bootstrap/.test(t)), 20_000, 'the recipe text');
  });
  const imageDir = path.join(rig.workspace, imageFolder || 'missing');
  checks.check(fs.existsSync(path.join(imageDir, 'model', 'MLmodel')) && fs.existsSync(path.join(imageDir, 'build.sh')), 'the recipe folder holds the model and build.sh');
  await shot('container-recipe');
  await noErrors(page, checks, 'container recipe');

  // ---------- 10. build and serve with the stand-in scheduler and singularity ----------
  await step('Build Container (recipe title bar): the stand-in PBS job builds container.sif', async () => {
    await page.locator('.editor-actions .action-label[aria-label^="Build Container"]').first().click({ timeout: 15_000 });
    await waitForNotification(page, /Built container\.sif \(3\.0 MiB\)/, 90_000);
  });
  checks.check(fs.existsSync(path.join(imageDir, 'container.sif')), 'container.sif exists');
  checks.check(/-q rt_HC|rt_HC/.test(fs.existsSync(path.join(imageDir, 'build.sh')) ? fs.readFileSync(path.join(imageDir, 'build.sh'), 'utf8') : ''), 'build.sh asks for the CPU node picked');
  await shot('container-built');
  await noErrors(page, checks, 'build');
  let servedUrl = '';
  await step('Serve from the notification: serve.sh runs as a job serving the model', async () => {
    await clickNotificationButton(page, /Built container\.sif/, 'Serve');
    const file = path.join(imageDir, 'serve.url');
    await waitUntil(async () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() !== '', 60_000, 'serve.url');
    // The stand-in job serves on 127.0.0.1; on ABCI the address is the compute node's name.
    servedUrl = `http://127.0.0.1:${new URL(fs.readFileSync(file, 'utf8').trim()).port}`;
  });
  const standinLog = path.join(path.dirname(rig.workspace), 'tmp', 'mlwf-standin.jsonl');
  const standinCalls = () => (fs.existsSync(standinLog) ? fs.readFileSync(standinLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { tool: string; argv: string[]; body?: string }) : []);
  const jobs = standinCalls().filter((c) => c.tool === 'qsub').map((c) => `${c.argv[c.argv.indexOf('-N') + 1]} on ${c.argv[c.argv.indexOf('-q') + 1]}`);
  checks.check(jobs.join(', ') === 'mlwf-build on rt_HC, mlwf-serve on rt_HC', 'the build and the server ran as jobs on the node type picked (stand-in qsub)', jobs.join(', '));
  await step('the serve job says where the model is served', async () => {
    const log = path.join(imageDir, 'serve.log');
    await waitUntil(async () => fs.existsSync(log) && /Serving ElasticnetWineModel at http:\/\/\S+\/invocations[\s\S]*Listening at/.test(fs.readFileSync(log, 'utf8')), 30_000, 'the serve log');
  });
  await clearNotifications(page).catch(() => undefined);

  // ---------- 11. send the sample request ----------
  const example = JSON.parse(fs.readFileSync(path.join(imageDir, 'model', 'input_example.json'), 'utf8')) as { data: number[][] };
  // The stand-in "model" answers each row's sum / 10, rounded to 3 places.
  const expected = example.data.map((row) => Math.round(row.reduce((a, b) => a + b, 0) * 100) / 1000);
  await step('Send Sample Request: the model\'s input example goes to the served model; its predictions come back', async () => {
    await paletteCommand(page, 'MLWF: Send Sample Request');
    await waitUntil(async () => (await editorTexts(page)).some((t) => /dataframe_split/.test(t)), 20_000, 'the request text');
    await clickNotificationButton(page, /Edit the request/, 'Send');
    await answerInputBox(page, servedUrl, { prompt: /Address of the served model/ });
    await waitUntil(async () => (await editorTexts(page)).some((t) => /"predictions"/.test(t)), 30_000, 'the predictions beside the request');
    const answer = (await editorTexts(page)).find((t) => /"predictions"/.test(t)) ?? '';
    const numbers = [...answer.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
    if (JSON.stringify(numbers) !== JSON.stringify(expected)) throw new Error(`predictions ${answer.replace(/\s+/g, ' ')}; expected ${JSON.stringify(expected)}`);
  });
  const scored = standinCalls().filter((c) => c.tool === 'scoring').pop();
  checks.check(JSON.stringify((JSON.parse(scored?.body ?? '{}') as { dataframe_split?: unknown }).dataframe_split) === JSON.stringify(example), 'the served model received the input example as dataframe_split', scored?.body?.slice(0, 200));
  await hideNotificationCenter(page).catch(() => undefined);
  await shot('sample-request');
  await noErrors(page, checks, 'sample request');
}
