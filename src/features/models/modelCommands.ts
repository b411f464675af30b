// Commands of the Models view: refresh, paging, the copy actions (models:/ URIs the MLflow APIs
// accept, the model name, where the files are) and "Find Model Version…", which searches the
// whole server (not only the pages shown) and reveals the version in the view.
import * as vscode from 'vscode';
import { modelAliasUri, modelVersionUri } from '../../core/artifacts/artifactPaths';
import { isMlflowError, type RegisteredModel } from '../../core/mlflow';
import { describeMlflowError } from '../connection/connectionErrors';
import type { ExplorerNode } from '../tree/explorerNode';
import { aliasesOf, modelDescription, versionDescription } from './modelFormat';
import { loadVersions, ModelVersionNode, RegisteredModelNode } from './modelNodes';
import { LOAD_MORE_MODELS_COMMAND, type ModelsTreeProvider } from './modelsTreeProvider';
import { registerCommand } from '../../host/commands';

/** The node a context-menu command was run on, or the view's selection from the palette/keys. */
function target(node: ExplorerNode | undefined, view: vscode.TreeView<ExplorerNode>): ExplorerNode | undefined {
  return node ?? view.selection[0];
}

async function copy(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text), 3000);
}

export function registerModelCommands(provider: ModelsTreeProvider, view: vscode.TreeView<ExplorerNode>): vscode.Disposable[] {
  return [
    registerCommand('mlwf.refreshModels', () => provider.refresh()),
    registerCommand(LOAD_MORE_MODELS_COMMAND, () => provider.loadMore()),
    registerCommand('mlwf.copyModelName', async (node?: ExplorerNode) => {
      const t = target(node, view);
      if (t instanceof RegisteredModelNode) await copy(t.model.name);
      else if (t instanceof ModelVersionNode) await copy(t.version.name);
    }),
    registerCommand('mlwf.copyModelVersionUri', async (node?: ExplorerNode) => {
      const t = target(node, view);
      if (t instanceof ModelVersionNode) await copy(modelVersionUri(t.version.name, t.version.version));
    }),
    registerCommand('mlwf.copyModelAliasUri', async (node?: ExplorerNode) => {
      const t = target(node, view);
      const model = t instanceof RegisteredModelNode ? t.model : t instanceof ModelVersionNode ? t.parent.model : undefined;
      if (!model) return;
      const aliases = t instanceof ModelVersionNode ? aliasesOf(model, t.version.version) : model.aliases.map((a) => a.alias);
      const alias = aliases.length <= 1 ? aliases[0] : await vscode.window.showQuickPick(aliases, { title: vscode.l10n.t('Copy models:/ URI of which alias?') });
      if (alias) await copy(modelAliasUri(model.name, alias));
    }),
    registerCommand('mlwf.findModelVersion', (name?: string, version?: string) => findModelVersion(provider, view, name, version)),
  ];
}

/** Picks a model (searched by name on the server), then a version; reveals and returns its row. */
async function findModelVersion(provider: ModelsTreeProvider, view: vscode.TreeView<ExplorerNode>, name?: string, version?: string): Promise<ModelVersionNode | undefined> {
  const backend = provider.backend;
  if (!backend) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Not connected to an MLflow server.'));
    return undefined;
  }
  try {
    name ??= await pickModel(provider);
    if (!name) return undefined;
    if (!version) {
      const model = await backend.getRegisteredModel(name);
      const versions = await loadVersions(backend, name);
      const picked = await vscode.window.showQuickPick(
        versions.map((v) => ({ label: vscode.l10n.t('Version {0}', v.version), description: versionDescription(v, aliasesOf(model, v.version)), detail: v.description || undefined, version: v.version })),
        { title: vscode.l10n.t('Versions of {0}', name), matchOnDescription: true, matchOnDetail: true },
      );
      version = picked?.version;
      if (!version) return undefined;
    }
    const node = await provider.findVersionNode(name, version);
    if (!node) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Version {0} of {1} was not found.', version, name));
      return undefined;
    }
    await view.reveal(node, { select: true, focus: true, expand: true });
    return node;
  } catch (error) {
    if (!isMlflowError(error)) throw error;
    if (error.kind !== 'cancelled') void vscode.window.showErrorMessage(vscode.l10n.t('Could not search models: {0}', describeMlflowError(error)));
    return undefined;
  }
}

/** A quick pick whose items come from registered-models/search as the user types. */
function pickModel(provider: ModelsTreeProvider): Promise<string | undefined> {
  const backend = provider.backend!;
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { model: RegisteredModel }>();
  pick.title = vscode.l10n.t('Find Model Version');
  pick.placeholder = vscode.l10n.t('Type part of a registered model name');
  pick.matchOnDescription = true;
  let controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const search = (text: string) => {
    controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    pick.busy = true;
    // ILIKE with the user's text: `%` and `_` are wildcards there, which is what people expect.
    const filter = text.trim() ? `name ILIKE '%${text.trim().replace(/'/g, "\\'")}%'` : undefined;
    backend
      .searchRegisteredModelsPage({ filter, maxResults: 100, orderBy: ['name ASC'] }, { signal })
      .then((page) => {
        if (signal.aborted) return;
        pick.items = page.registered_models.map((m) => ({ label: m.name, description: modelDescription(m), model: m, alwaysShow: true }));
        pick.busy = false;
      })
      .catch((error: unknown) => {
        if (signal.aborted) return;
        pick.busy = false;
        pick.items = [];
        pick.placeholder = isMlflowError(error) ? describeMlflowError(error) : String(error);
      });
  };
  return new Promise((resolve) => {
    pick.onDidChangeValue((text) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => search(text), 250);
    });
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.model.name);
      pick.hide();
    });
    pick.onDidHide(() => {
      controller.abort();
      if (timer) clearTimeout(timer);
      resolve(undefined);
      pick.dispose();
    });
    search('');
    pick.show();
  });
}
