// Steps the UI tests on the real MLflow servers share (kept out of lib.ts, which is the rig's).
import type { Page } from 'playwright-core';
import type { RealServer } from '../../servers/realMlflow';
import { answerInputBox, escapeRegExp, waitForStatusBarItem } from './lib';
import { paletteCommand } from './workbench';

/** MLWF: Connect to MLflow Server… with the server's URL, user and password, as a user types them. */
export async function signInToRealServer(page: Page, server: Pick<RealServer, 'trackingUri' | 'username' | 'password'>): Promise<void> {
  await paletteCommand(page, 'MLWF: Connect to MLflow Server…');
  await answerInputBox(page, server.trackingUri, { prompt: /Tracking server URL/ });
  await answerInputBox(page, server.username, { prompt: /User name/ });
  await answerInputBox(page, server.password, { prompt: /Password for/ });
  await waitForStatusBarItem(page, new RegExp(`MLflow: ${escapeRegExp(new URL(server.trackingUri).host)}`), 30_000);
}
