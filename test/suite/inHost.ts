// Shared by the in-host suites: the extension's test API, the rig's credentials and small
// readers of tree items. (Not a *.test.ts file: index.ts loads only those.)
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/features/tree/explorerNode';

/** The test MLflow server behind nginx, passed in by the runner (test/e2e/run-in-code-server.sh). */
export const rig = {
  trackingUri: process.env.MLWF_TEST_TRACKING_URI ?? '',
  username: process.env.MLWF_TEST_USERNAME ?? '',
  password: process.env.MLWF_TEST_PASSWORD ?? '',
};

export async function api(): Promise<MlwfExtensionApi> {
  const ext = vscode.extensions.getExtension<MlwfExtensionApi>('mlwf.mlwf-vscode');
  assert.ok(ext, 'extension is installed');
  return ext.activate();
}

export const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

export const tooltipOf = (item: vscode.TreeItem): string =>
  item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');

/** A tooltip as the user reads it: appendText's escapes (backslashes, &nbsp; for blanks) undone. */
export const tooltipTextOf = (item: vscode.TreeItem): string => tooltipOf(item).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

/** Tree items of nodes, in order. */
export async function treeItems(nodes: ExplorerNode[]): Promise<vscode.TreeItem[]> {
  return Promise.all(nodes.map((n) => n.getTreeItem()));
}

/** Changes a user setting and lets the extension's own configuration listeners run first. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('mlwf').update(key, value, vscode.ConfigurationTarget.Global);
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Signs in to the rig's server the way the Sign In command would end: credentials stored, state refreshed. */
export async function connectToRig(): Promise<MlwfExtensionApi> {
  const a = await api();
  await a.credentials.set(rig.trackingUri, { kind: 'basic', username: rig.username, password: rig.password });
  await setSetting('trackingUri', rig.trackingUri);
  const state = await a.connection.refresh();
  assert.strictEqual(state.kind, 'connected');
  return a;
}

/** Polls `probe` until it gives a value (not undefined or false), or fails naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Why the suites on the real Grid Engine cell cannot run here, or undefined when they can. */
export function gridEngineSkipReason(): string | undefined {
  if (process.env.MLWF_GRIDENGINE_SKIP) return process.env.MLWF_GRIDENGINE_SKIP;
  if (spawnSync('qstat', ['-u', '*']).status !== 0) return 'no Grid Engine cell is running (scripts/gridengine.sh start)';
  return undefined;
}
