// Aliases on a model version: set a new one, move one that points at another version (the
// question says from which version it moves), remove one. The Models view redraws the model's
// rows at once from its fresh state (one registered-models/get after the write).
import * as vscode from 'vscode';
import { aliasProblem } from '../../core/mlflow';
import { ModelVersionNode } from '../models/modelNodes';
import { withActionProgress, writableClient, type ActionDeps } from './actionContext';
import { redraw } from './actionTargets';

interface AliasPick extends vscode.QuickPickItem {
  alias?: string;
}

/** The alias to put on `node`'s version: one of the model's (to move) or a new one. */
async function pickAlias(node: ModelVersionNode): Promise<string | undefined> {
  const version = node.version.version;
  const others = node.parent.model.aliases.filter((a) => a.version !== version);
  if (others.length === 0) {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Set an alias on version {0} of {1}', version, node.version.name),
      prompt: vscode.l10n.t('Alias (letters, digits, _ and -), e.g. champion'),
      validateInput: aliasProblem,
    });
  }
  const picks: AliasPick[] = [
    { label: `$(add) ${vscode.l10n.t('New alias…')}` },
    ...others.map((a) => ({ label: `@${a.alias}`, description: vscode.l10n.t('now on version {0}: move it here', a.version), alias: a.alias })),
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Alias for version {0} of {1}', version, node.version.name) });
  if (!picked) return undefined;
  if (picked.alias) return picked.alias;
  return vscode.window.showInputBox({ title: vscode.l10n.t('New alias for version {0}', version), validateInput: aliasProblem });
}

export async function setAliasCommand(deps: ActionDeps, node: unknown, presetAlias?: string): Promise<void> {
  if (!(node instanceof ModelVersionNode)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose a model version in the Models view to set an alias on.'));
    return;
  }
  const client = writableClient(deps);
  if (!client) return;
  const alias = presetAlias ?? (await pickAlias(node));
  if (!alias) return;
  const { name, version } = node.version;
  const from = node.parent.model.aliases.find((a) => a.alias === alias)?.version;
  if (from === version) return;
  if (from !== undefined && presetAlias === undefined) {
    const move = vscode.l10n.t('Move Alias');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Move @{0} of {1} from version {2} to version {3}?', alias, name, from, version),
      { modal: true, detail: vscode.l10n.t('Code that loads models:/{0}@{1} gets version {2} from then on.', name, alias, version) },
      move,
    );
    if (answer !== move) return;
  }
  const done = await withActionProgress(deps, vscode.l10n.t('Setting @{0} on version {1}…', alias, version), async (signal) => {
    await client.registryWrites.setAlias(name, alias, version, { signal });
    await redraw(deps, client, { kind: 'modelVersion', node }, signal);
    return true;
  });
  if (done) {
    void vscode.window.setStatusBarMessage(
      from !== undefined ? vscode.l10n.t('@{0} moved from version {1} to version {2}.', alias, from, version) : vscode.l10n.t('@{0} now points to version {1}.', alias, version),
      5000,
    );
  }
}

export async function removeAliasCommand(deps: ActionDeps, node: unknown, presetAlias?: string): Promise<void> {
  if (!(node instanceof ModelVersionNode)) return;
  const client = writableClient(deps);
  if (!client) return;
  const aliases = node.aliases;
  if (aliases.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Version {0} has no alias.', node.version.version));
    return;
  }
  const alias = presetAlias ?? (aliases.length === 1 ? aliases[0] : await vscode.window.showQuickPick(aliases, { title: vscode.l10n.t('Remove which alias?') }));
  if (!alias) return;
  await withActionProgress(deps, vscode.l10n.t('Removing @{0}…', alias), async (signal) => {
    await client.registryWrites.deleteAlias(node.version.name, alias, { signal });
    await redraw(deps, client, { kind: 'modelVersion', node }, signal);
  });
}
