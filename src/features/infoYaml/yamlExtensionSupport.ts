// The Red Hat YAML extension adds completion and hover from our schema. The manifest's
// yamlValidation covers MLWFExportModel_*/info.yaml; files matched by `mlwf.infoYaml.filePatterns`
// get the schema through its schema-contributor API. Where it is missing we suggest it once (and
// only where the marketplace answers), never depend on it: our own diagnostics and quick fixes work without it.
import { readFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { answersHttp } from '../../core/net/answersHttp';
import { INFO_YAML_SCHEMA } from '../../core/infoYaml';
import { isInfoYamlDocument } from './infoYamlFiles';

export const RED_HAT_YAML_ID = 'redhat.vscode-yaml';
const SCHEMA_URI = 'mlwf-info-yaml-schema://schema/info-yaml.schema.json';
const DONT_ASK_KEY = 'mlwf.infoYaml.yamlExtensionPromptDismissed';
const OFFERED_KEY = 'mlwf.infoYaml.yamlExtensionOffered';

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

/**
 * Suggests the Red Hat YAML extension once, the first time an info.yaml is edited without it,
 * and only where the extension marketplace answers (an offline login node cannot install it).
 * Whatever the answer — Install, Don't Ask Again or closing the message — it is not asked again.
 */
export function suggestYamlExtension(
  memento: vscode.Memento,
  isInfoYaml: (doc: vscode.TextDocument) => boolean,
  marketplaceReachable: () => Promise<boolean> = () => answersHttp(marketplaceUrl()),
): vscode.Disposable {
  let considering = false;
  const consider = async (editor: vscode.TextEditor | undefined): Promise<void> => {
    if (considering || !editor || !isInfoYaml(editor.document)) return;
    if (vscode.extensions.getExtension(RED_HAT_YAML_ID) || memento.get<boolean>(OFFERED_KEY) || memento.get<boolean>(DONT_ASK_KEY)) return;
    considering = true;
    try {
      if (!(await marketplaceReachable())) return;
      await memento.update(OFFERED_KEY, true);
      const install = vscode.l10n.t('Install');
      const never = vscode.l10n.t("Don't Ask Again");
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Install the Red Hat YAML extension for completion and hover in info.yaml? MLWF checks the file either way.'),
        install,
        never,
      );
      if (choice === install) void vscode.commands.executeCommand('workbench.extensions.installExtension', RED_HAT_YAML_ID);
      if (choice === never) await memento.update(DONT_ASK_KEY, true);
    } finally {
      considering = false;
    }
  };
  void consider(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor((editor) => void consider(editor));
}

/**
 * The gallery this VS Code installs extensions from: the product's own (VS Code Server over
 * Remote-SSH names it in product.json), code-server's EXTENSIONS_GALLERY or its Open VSX default.
 */
function marketplaceUrl(): string {
  try {
    const product = JSON.parse(readFileSync(path.join(vscode.env.appRoot, 'product.json'), 'utf8')) as { extensionsGallery?: { serviceUrl?: string } };
    if (product.extensionsGallery?.serviceUrl) return product.extensionsGallery.serviceUrl;
  } catch {
    // no readable product.json: fall through to the defaults
  }
  try {
    const fromEnv = process.env.EXTENSIONS_GALLERY ? (JSON.parse(process.env.EXTENSIONS_GALLERY) as { serviceUrl?: string }).serviceUrl : undefined;
    if (fromEnv) return fromEnv;
  } catch {
    // not JSON: ignore
  }
  return /code-server|codium/i.test(vscode.env.appName) ? 'https://open-vsx.org/vscode/gallery' : 'https://marketplace.visualstudio.com/_apis/public/gallery';
}
