// Steps the UI tests on the real MLflow servers share (kept out of lib.ts, which is the rig's).
import type { Page } from 'playwright-core';
import { gridEngineSkipReason } from '../../servers/gridEngine';
import { realMlflowServers, type RealServer } from '../../servers/realMlflow';
import { answerInputBox, escapeRegExp, waitForStatusBarItem, type Checks } from './lib';
import { paletteCommand } from './workbench';

/** MLWF: Connect to MLflow Server… with the server's URL, user and password, as a user types them. */
export async function signInToRealServer(page: Page, server: Pick<RealServer, 'trackingUri' | 'username' | 'password'>): Promise<void> {
  await paletteCommand(page, 'MLWF: Connect to MLflow Server…');
  await answerInputBox(page, server.trackingUri, { prompt: /Tracking server URL/ });
  await answerInputBox(page, server.username, { prompt: /User name/ });
  await answerInputBox(page, server.password, { prompt: /Password for/ });
  await waitForStatusBarItem(page, new RegExp(`MLflow: ${escapeRegExp(new URL(server.trackingUri).host)}`), 30_000);
}

/**
 * For the jobs tests: the real Grid Engine cell and the real MLflow 2.14.3 server, or undefined
 * after saying why the file skips (no cell, no real-MLflow kit) or failing (the cell did not start).
 */
export async function gridEngineAndRealServer(checks: Checks): Promise<RealServer | undefined> {
  let skip: string | false;
  try {
    skip = gridEngineSkipReason();
  } catch (e) {
    checks.check(false, 'the Grid Engine cell starts', String(e).split('\n')[0]);
    return undefined;
  }
  if (skip) {
    checks.skip(`Grid Engine: ${skip}`);
    return undefined;
  }
  const servers = await realMlflowServers();
  if (!Array.isArray(servers)) {
    checks.skip(servers.skipped);
    return undefined;
  }
  return servers.find((s) => s.kit === '2.14.3')!;
}
