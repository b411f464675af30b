// A user who may only read, in the real workbench, on a real MLflow 2.14.3 run with MLflow's own
// auth app (test/servers/realMlflowAuth.ts; no nginx: MLflow asks for the password itself). The
// admin fills it (actions-setup.py) and grants the user READ on that experiment and model with
// MLflow's auth client (auth-users.py). Signed in as that user: Set Tag… on a run and saving a
// model's description from its Markdown tab each show the "no permission" sentence as an error
// notification, and the real client, signed in as the admin, reads that nothing changed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { realMlflowSkipReason, runRealClient } from '../../servers/realMlflow';
import { startAuthMlflow, type AuthMlflowServer, type AuthUser } from '../../servers/realMlflowAuth';
import type { ActionIds } from '../../servers/realActions';
import {
  answerInputBox,
  clearNotifications,
  escapeRegExp,
  expandView,
  openMlflowContainer,
  openWorkbench,
  screenshot,
  scrollToTreeRow,
  uiTest,
  waitForNotification,
  waitUntil,
} from './lib';
import { signInToRealServer } from './realServerSteps';
import { contextMenuItem, paletteCommand } from './workbench';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'real-mlflow');
const NO_PERMISSION = /lets you read only: your account has no permission to change this \(HTTP 403\)/;

interface ReadBack {
  runs: Record<string, { tags: Record<string, string> }>;
  models: Record<string, { description: string }>;
}

void uiTest('actionsAuth.ui', async ({ page, rig, checks }) => {
  const skip = realMlflowSkipReason();
  if (skip) {
    checks.skip(`MLflow auth app: ${skip}`);
    return;
  }
  const tag = '[real MLflow 2.14.3]';
  let server: AuthMlflowServer | undefined;
  try {
    let ids: ActionIds | undefined;
    const reader: AuthUser = { username: 'reader', password: randomBytes(12).toString('base64url') };
    const readBack = async (): Promise<ReadBack> =>
      JSON.parse(await runRealClient(server!.as(server!.admin), path.join(FIXTURES, 'actions-read.py'), [JSON.stringify({ runs: [ids!.model_run.run_id], models: [ids!.registered_model.name] })])) as ReadBack;
    const ready = await checks.step(`${tag} MLflow with its auth app; the admin grants a user READ on one experiment and one model`, async () => {
      server = await startAuthMlflow('2.14.3');
      ids = JSON.parse(await runRealClient(server.as(server.admin), path.join(FIXTURES, 'actions-setup.py'), ['guarded'])) as ActionIds;
      const granted = await runRealClient(server.as(server.admin), path.join(FIXTURES, 'auth-users.py'), [reader.username, ids.experiment_id, ids.registered_model.name], { READER_PASSWORD: reader.password });
      if (!/"experiment": "READ", "registered_model": "READ"/.test(granted)) throw new Error(`permissions: ${granted}`);
    });
    if (!ready && server) console.log(`       the auth server's log ends:\n${readFileSync(server.log, 'utf8').slice(-3000).replace(/^/gm, '       | ')}`);
    if (!ready || !server || !ids) return;
    const before = await readBack();
    const quickPickOpen = (p: Page) => () => p.locator('.quick-input-widget').first().isVisible().catch(() => false);
    const step = async (name: string, fn: () => Promise<void>) => {
      if (!(await checks.step(name, fn))) await screenshot(page, 'actionsAuth-failed').catch(() => undefined);
    };

    await step('workbench loads; the user signs in with the name and password MLflow knows', async () => {
      await openWorkbench(page, rig);
      await openMlflowContainer(page);
      await signInToRealServer(page, { trackingUri: server!.trackingUri, username: reader.username, password: reader.password });
    });
    await clearNotifications(page).catch(() => undefined);

    await step(`${tag} Set Tag… approved = yes on a run the user may only read: the "no permission" error, the run unchanged`, async () => {
      await expandView(page, 'Experiments');
      await (await scrollToTreeRow(page, /^guarded-sandbox/, 'Experiments')).click();
      const run = await scrollToTreeRow(page, /^candidate(?!-)/, 'Experiments');
      await contextMenuItem(page, run, 'Set Tag…', quickPickOpen(page));
      await answerInputBox(page, 'approved', { prompt: /Tag key/ });
      await answerInputBox(page, 'yes', { prompt: /Value of tag "approved"/ });
      await waitForNotification(page, NO_PERMISSION, 90_000);
      await screenshot(page, 'actionsAuth-01-tag-refused');
      const now = await readBack();
      if (JSON.stringify(now.runs) !== JSON.stringify(before.runs)) throw new Error(`the run changed: ${JSON.stringify(now.runs)}`);
    });
    await clearNotifications(page).catch(() => undefined);

    const model = ids.registered_model.name;
    await step(`${tag} Edit Description… on the model, typed and saved: the "no permission" error, the description unchanged`, async () => {
      await expandView(page, 'Models');
      const row = await scrollToTreeRow(page, new RegExp(`^${escapeRegExp(model)}(?!-)`), 'Models');
      await contextMenuItem(page, row, 'Edit Description…', async () => (await page.locator('.tabs-container .tab', { hasText: `${model}.md` }).count()) > 0);
      const editor = page.locator('.editor-instance .monaco-editor:visible').first();
      await editor.waitFor({ timeout: 15_000 });
      await editor.locator('.view-lines').click();
      await page.keyboard.type('taken over');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+S');
      await waitForNotification(page, NO_PERMISSION, 90_000);
      await screenshot(page, 'actionsAuth-02-description-refused');
      const typed = async () => (await editor.locator('.view-lines').innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes('taken over');
      await waitUntil(typed, 10_000, 'the tab to keep the typed text (nothing lost)');
      const now = await readBack();
      if (now.models[model]!.description !== before.models[model]!.description) throw new Error(`the description changed: ${JSON.stringify(now.models[model])}`);
      await paletteCommand(page, 'View: Revert and Close Editor');
    });
  } finally {
    await server?.stop();
  }
});
