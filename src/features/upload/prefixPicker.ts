// The upload's prefix step: a quick pick that browses the bucket's prefixes ("folders") one level
// at a time — use the level shown, go into a sub-prefix, ".." back up, or type a new prefix — with
// the model's name as the default. One quick pick per level, so Escape on any level cancels.
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { asFolderPrefix, childName, listPrefixes, parentPrefix } from '../../core/cloudStorage';

/** Sub-prefixes listed per level; "Type a new prefix…" reaches anything beyond. */
const PREFIX_LIMIT = 1000;

type PrefixAction = 'use' | 'open' | 'up' | 'type';

export interface PrefixPickItem extends vscode.QuickPickItem {
  /** What picking the item does (tests read it too). */
  readonly action?: PrefixAction;
  /** For 'use' and 'open': the prefix, ending in "/". */
  readonly prefix?: string;
}

const display = (prefix: string) => prefix || '/';

async function levelItems(client: S3Client, bucket: string, here: string, modelName: string): Promise<PrefixPickItem[]> {
  const { prefixes, truncated } = await listPrefixes(client, bucket, here, { limit: PREFIX_LIMIT });
  const inModel = `${here}${asFolderPrefix(modelName)}`;
  const items: PrefixPickItem[] = [];
  if (here) items.push({ action: 'use', prefix: here, label: `$(check) ${vscode.l10n.t('Use this prefix: {0}', here)}`, description: vscode.l10n.t('the folder shown') });
  items.push({
    action: 'use',
    prefix: inModel,
    label: `$(check) ${vscode.l10n.t('Use this prefix: {0}', inModel)}`,
    description: prefixes.includes(inModel) ? vscode.l10n.t('the model name (exists)') : vscode.l10n.t('the model name (new)'),
  });
  if (here) items.push({ action: 'up', label: '$(arrow-up) ..', description: display(parentPrefix(here)) });
  items.push({ label: vscode.l10n.t('Prefixes in s3://{0}/{1}', bucket, here), kind: vscode.QuickPickItemKind.Separator });
  for (const p of prefixes) items.push({ action: 'open', prefix: p, label: `$(folder) ${childName(here, p)}` });
  items.push({
    action: 'type',
    label: `$(edit) ${vscode.l10n.t('Type a new prefix…')}`,
    description: truncated ? vscode.l10n.t('only the first {0} prefixes are listed', PREFIX_LIMIT) : prefixes.length === 0 ? vscode.l10n.t('no prefixes here yet') : undefined,
    alwaysShow: true,
  });
  return items;
}

/**
 * The prefix (without trailing slash) to upload under, or undefined when the user cancels.
 * Listing errors reject (the upload command shows them with its own actions).
 */
export async function pickPrefix(client: S3Client, bucket: string, modelName: string): Promise<string | undefined> {
  let here = '';
  for (;;) {
    const picked = await vscode.window.showQuickPick(levelItems(client, bucket, here, modelName), {
      title: vscode.l10n.t('Upload to {0}: prefix (folder) in the bucket', bucket),
      placeHolder: vscode.l10n.t('s3://{0}/{1} — pick a prefix, open a folder or type a new prefix', bucket, here),
      matchOnDescription: true,
    });
    if (!picked?.action) return undefined;
    if (picked.action === 'use') return picked.prefix!.replace(/\/+$/, '');
    if (picked.action === 'open') here = picked.prefix!;
    else if (picked.action === 'up') here = parentPrefix(here);
    else {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Upload to {0}: prefix (folder) in the bucket', bucket),
        value: `${here}${modelName}`,
        valueSelection: [here.length, here.length + modelName.length],
        validateInput: (v) => (asFolderPrefix(v) === '' ? vscode.l10n.t('Enter a prefix, e.g. the model name.') : undefined),
      });
      if (typed !== undefined) return asFolderPrefix(typed).replace(/\/+$/, '');
      // Escape on the input box: back to the list of this level.
    }
  }
}
