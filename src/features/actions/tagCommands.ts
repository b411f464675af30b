// "Set Tag…" and "Delete Tag…" on runs (several at once), experiments, registered models and
// versions, or on a Tags row of a run. Keys and values are checked as the user types with
// MLflow's own rules, so a bad one never reaches the server; `mlflow.*` keys only when the user
// chose to see system tags. One request per item, a progress notification and a summary.
import * as vscode from 'vscode';
import { isSystemTag, maxTagValueLength, tagKeyProblem, tagValueProblem, type MlflowClient } from '../../core/mlflow';
import { KeyValueNode } from '../explorer/runDetailNodes';
import { showActionError, summarize, writableClient, type ActionDeps } from './actionContext';
import { applyToEach, type EachResult } from './applyToEach';
import { deleteTag, labelOf, redraw, setTag, tagsOf, targetsOf, type ActionTarget } from './actionTargets';

function allowSystemTags(): boolean {
  return vscode.workspace.getConfiguration('mlwf').get<boolean>('showSystemTags', false);
}

/** The tag key of a Tags › key row, if that is what was clicked. */
function clickedTagKey(node: unknown): string | undefined {
  return node instanceof KeyValueNode && node.parent && (node.parent as { id?: string }).id?.endsWith('/tags') ? node.key : undefined;
}

/** Applies `write` to every target (one request each), redrawing each row once it is written. */
function applyToAll(deps: ActionDeps, client: MlflowClient, targets: ActionTarget[], title: string, write: (t: ActionTarget, signal: AbortSignal) => Promise<void>): Promise<EachResult | undefined> {
  return applyToEach(deps, title, targets, async (target, signal) => {
    await write(target, signal);
    await redraw(deps, client, target, signal);
  });
}

export async function setTagCommand(deps: ActionDeps, node: unknown, selection: readonly unknown[] | undefined, preset?: { key: string; value: string }): Promise<void> {
  const targets = targetsOf(node, selection);
  const client = targets.length ? writableClient(deps) : undefined;
  if (!client || targets.length === 0) return;
  const allowSystem = allowSystemTags();
  const kind = targets[0]!.kind;
  let major: number | undefined;
  try {
    major = (await client.capabilities()).major;
  } catch (error) {
    return showActionError(deps, error);
  }
  const clicked = clickedTagKey(node);
  const key =
    preset?.key ??
    (await vscode.window.showInputBox({
      title: targets.length > 1 ? vscode.l10n.t('Set a tag on {0} items', targets.length) : vscode.l10n.t('Set a tag on {0}', labelOf(targets[0]!)),
      prompt: vscode.l10n.t('Tag key'),
      value: clicked ?? '',
      validateInput: (text) => tagKeyProblem(text, { allowSystem }),
    }));
  if (key === undefined) return;
  const current = targets.length === 1 ? tagsOf(targets[0]!).find((t) => t.key === key)?.value : undefined;
  const value =
    preset?.value ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Value of tag "{0}"', key),
      prompt: vscode.l10n.t('Up to {0} characters (may be empty).', maxTagValueLength(kind, major)),
      value: current ?? '',
      validateInput: (text) => tagValueProblem(kind, text, major),
    }));
  if (value === undefined) return;
  const result = await applyToAll(deps, client, targets, vscode.l10n.t('Setting tag "{0}"…', key), (t, signal) => setTag(client, t, key, value, { signal, allowSystem }));
  if (result && targets.length > 1) {
    summarize(result.done, targets.length, result.failures, {
      done: (n) => vscode.l10n.t('Tag "{0}" set on {1} items.', key, n),
      partly: (n, total) => vscode.l10n.t('Tag "{0}" set on {1} of {2} items.', key, n, total),
    });
  }
}

export async function deleteTagCommand(deps: ActionDeps, node: unknown, selection: readonly unknown[] | undefined, presetKey?: string): Promise<void> {
  const targets = targetsOf(node, selection);
  const client = targets.length ? writableClient(deps) : undefined;
  if (!client || targets.length === 0) return;
  const allowSystem = allowSystemTags();
  let key = presetKey ?? clickedTagKey(node);
  if (key === undefined) {
    const keys = [...new Set(targets.flatMap((t) => tagsOf(t).map((tag) => tag.key)))].filter((k) => allowSystem || !isSystemTag(k)).sort();
    if (keys.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No tags to delete here.'));
      return;
    }
    key = await vscode.window.showQuickPick(keys, { title: vscode.l10n.t('Delete which tag?') });
    if (key === undefined) return;
  }
  const having = targets.filter((t) => tagsOf(t).some((tag) => tag.key === key));
  if (having.length === 0) return;
  if (having.length > 1) {
    const yes = vscode.l10n.t('Delete Tag');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Delete tag "{0}" from {1} items?', key, having.length), { modal: true }, yes);
    if (answer !== yes) return;
  }
  const chosen = key;
  const result = await applyToAll(deps, client, having, vscode.l10n.t('Deleting tag "{0}"…', chosen), (t, signal) => deleteTag(client, t, chosen, { signal, allowSystem }));
  if (result && having.length > 1) {
    summarize(result.done, having.length, result.failures, {
      done: (n) => vscode.l10n.t('Tag "{0}" deleted from {1} items.', chosen, n),
      partly: (n, total) => vscode.l10n.t('Tag "{0}" deleted from {1} of {2} items.', chosen, n, total),
    });
  }
}
