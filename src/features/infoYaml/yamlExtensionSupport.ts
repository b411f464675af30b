// The Red Hat YAML extension adds completion and hover from our schema. The manifest's
// yamlValidation covers MLWFExportModel_*/info.yaml; files matched by `mlwf.infoYaml.filePatterns`
// get the schema through its schema-contributor API. Where it is missing we suggest it once per
// workspace, never depend on it: our own diagnostics and quick fixes work without it.
import * as vscode from 'vscode';
import { INFO_YAML_SCHEMA } from '../../core/infoYaml';
import { isInfoYamlDocument } from './infoYamlFiles';

export const RED_HAT_YAML_ID = 'redhat.vscode-yaml';
const SCHEMA_URI = 'mlwf-info-yaml-schema://schema/info-yaml.schema.json';
const DONT_ASK_KEY = 'mlwf.infoYaml.yamlExtensionPromptDismissed';

interface YamlExtensionApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string | undefined): boolean;
}

export function registerYamlSchemaContributor(): vscode.Disposable {
  let registered = false;
  const tryRegister = async (): Promise<void> => {
    const extension = vscode.extensions.getExtension<YamlExtensionApi>(RED_HAT_YAML_ID);
    if (!extension || registered) return;
    const api = await extension.activate();
    if (typeof api?.registerContributor !== 'function') return;
    registered = api.registerContributor(
      'mlwf-info-yaml',
      (resource) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource);
        return doc && isInfoYamlDocument(doc) ? SCHEMA_URI : undefined;
      },
      (uri) => (uri === SCHEMA_URI ? JSON.stringify(INFO_YAML_SCHEMA) : undefined),
    );
  };
  void tryRegister().catch(() => undefined);
  return vscode.extensions.onDidChange(() => void tryRegister().catch(() => undefined));
}

/** Suggests the Red Hat YAML extension the first time an info.yaml is edited without it. */
export function suggestYamlExtension(memento: vscode.Memento, isInfoYaml: (doc: vscode.TextDocument) => boolean): vscode.Disposable {
  let asked = false;
  const consider = (editor: vscode.TextEditor | undefined): void => {
    if (asked || !editor || !isInfoYaml(editor.document)) return;
    if (vscode.extensions.getExtension(RED_HAT_YAML_ID) || memento.get<boolean>(DONT_ASK_KEY)) return;
    asked = true;
    const install = vscode.l10n.t('Install');
    const never = vscode.l10n.t("Don't Ask Again");
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Install the Red Hat YAML extension for completion and hover in info.yaml? MLWF checks the file either way.'), install, never)
      .then((choice) => {
        if (choice === install) void vscode.commands.executeCommand('workbench.extensions.installExtension', RED_HAT_YAML_ID);
        if (choice === never) void memento.update(DONT_ASK_KEY, true);
      });
  };
  consider(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor(consider);
}
