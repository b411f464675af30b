// The info.yaml capability: diagnostics, quick fixes, the workspace command, the form editor and
// the Red Hat YAML integration. Thin glue; the work is in src/core/infoYaml.
import * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { InfoYamlCodeActions } from './infoYamlCodeActions';
import { InfoYamlCompletion } from './infoYamlCompletion';
import { InfoYamlDiagnostics } from './infoYamlDiagnostics';
import { INFO_YAML_FORM_VIEW_TYPE, InfoYamlFormEditorProvider } from './infoYamlFormEditor';
import { registerYamlSchemaContributor, suggestYamlExtension } from './yamlExtensionSupport';
import { validateWorkspaceInfoYaml } from './validateWorkspaceCommand';
import { registerCommand } from '../../host/commands';

export interface InfoYamlFeature {
  readonly diagnostics: InfoYamlDiagnostics;
  readonly form: InfoYamlFormEditorProvider;
  validateWorkspace(): ReturnType<typeof validateWorkspaceInfoYaml>;
}

export function registerInfoYaml(context: vscode.ExtensionContext, logger: Logger): { disposables: vscode.Disposable[]; feature: InfoYamlFeature } {
  const diagnostics = new InfoYamlDiagnostics();
  const form = new InfoYamlFormEditorProvider(context.extensionUri, diagnostics, logger);
  const completion = new InfoYamlCompletion(diagnostics);
  // Any YAML file: whether it is an info.yaml is decided per document (patterns, open form).
  const selector: vscode.DocumentSelector = [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }];
  const disposables: vscode.Disposable[] = [
    diagnostics,
    vscode.languages.registerCodeActionsProvider(selector, new InfoYamlCodeActions(diagnostics), {
      providedCodeActionKinds: InfoYamlCodeActions.kinds,
    }),
    vscode.languages.registerCompletionItemProvider(selector, completion),
    vscode.languages.registerHoverProvider(selector, completion),
    vscode.window.registerCustomEditorProvider(INFO_YAML_FORM_VIEW_TYPE, form, { webviewOptions: { retainContextWhenHidden: false } }),
    registerCommand('mlwf.validateInfoYamlFiles', () => validateWorkspaceInfoYaml(diagnostics)),
    registerCommand('mlwf.openInfoYamlForm', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open an info.yaml file first, then run this command.'));
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, INFO_YAML_FORM_VIEW_TYPE);
    }),
    registerYamlSchemaContributor(),
    suggestYamlExtension(context.globalState, (doc) => diagnostics.applies(doc)),
  ];
  return { disposables, feature: { diagnostics, form, validateWorkspace: () => validateWorkspaceInfoYaml(diagnostics, { quiet: true }) } };
}
