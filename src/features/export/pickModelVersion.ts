// From the palette: pick a registered model, then one of its versions or aliases.
import * as vscode from 'vscode';
import type { MlflowClient } from '../../core/mlflow';
import { aliasesOf, versionDescription } from '../models/modelFormat';
import { loadVersions } from '../models/modelNodes';

export interface VersionChoice {
  name: string;
  version?: string;
  alias?: string;
  /** An MLflow 3 logged model (`m-…`), from a logged-model row: exported as `models:/m-…`. */
  modelId?: string;
}

export async function pickModelVersion(client: MlflowClient, signal?: AbortSignal): Promise<VersionChoice | undefined> {
  const models = client.searchRegisteredModelsPage({ maxResults: 1000 }, { signal }).then((p) =>
    p.registered_models.map((m) => ({ label: m.name, description: m.description || undefined, name: m.name })),
  );
  const model = await vscode.window.showQuickPick(models, { title: vscode.l10n.t('Export which model?'), placeHolder: vscode.l10n.t('Registered model'), matchOnDescription: true });
  if (!model) return undefined;
  const [registered, versions] = await Promise.all([client.getRegisteredModel(model.name, { signal }), loadVersions(client, model.name, signal)]);
  type Item = vscode.QuickPickItem & { version?: string; alias?: string };
  const items: Item[] = [
    ...registered.aliases.map((a) => ({ label: `@${a.alias}`, description: vscode.l10n.t('alias → version {0}', a.version), alias: a.alias })),
    ...versions.map((v) => ({ label: vscode.l10n.t('Version {0}', v.version), description: versionDescription(v, aliasesOf(registered, v.version)), detail: v.description || undefined, version: v.version })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export which version of {0}?', model.name), matchOnDescription: true, matchOnDetail: true });
  return picked && { name: model.name, version: picked.version, alias: picked.alias };
}
