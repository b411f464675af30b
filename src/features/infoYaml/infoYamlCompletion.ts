// Key completion and hover for info.yaml when the Red Hat YAML extension is not there to give
// them from the schema (with it installed, these stay quiet so nothing shows twice).
import * as vscode from 'vscode';
import { keyCompletions, keyPathAt } from '../../core/infoYaml';
import type { InfoYamlDiagnostics } from './infoYamlDiagnostics';
import { ruleOf, titleOf } from './infoYamlMessages';
import { RED_HAT_YAML_ID } from './yamlExtensionSupport';

const redHatYamlPresent = (): boolean => vscode.extensions.getExtension(RED_HAT_YAML_ID) !== undefined;

export class InfoYamlCompletion implements vscode.CompletionItemProvider, vscode.HoverProvider {
  constructor(private readonly diagnostics: InfoYamlDiagnostics) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (redHatYamlPresent() || !this.diagnostics.applies(document)) return [];
    const found = keyCompletions(document.getText(), document.offsetAt(position));
    if (!found) return [];
    const range = new vscode.Range(document.positionAt(found.replaceStart), document.positionAt(found.replaceEnd));
    const child = ' '.repeat(found.indent + 2);
    return found.fields.map((field, i) => {
      const key = field.path[field.path.length - 1]!;
      const item = new vscode.CompletionItem(key, field.kind === 'group' ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Property);
      item.range = range;
      item.sortText = String(i).padStart(3, '0');
      item.detail = field.required ? `${titleOf(field.path)} · ${vscode.l10n.t('required')}` : titleOf(field.path);
      item.documentation = new vscode.MarkdownString().appendText(ruleOf(field.path));
      item.insertText =
        field.kind === 'group'
          ? new vscode.SnippetString(`${key}:\n${child}$0`)
          : field.kind === 'list' || field.kind === 'urlList'
            ? new vscode.SnippetString(`${key}:\n${child}- $0`)
            : new vscode.SnippetString(`${key}: $0`);
      return item;
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (redHatYamlPresent() || !this.diagnostics.applies(document)) return undefined;
    const path = keyPathAt(document.getText(), document.offsetAt(position));
    const rule = path ? ruleOf(path) : '';
    if (!path || !rule) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown('**').appendText(titleOf(path)).appendMarkdown('**\n\n').appendText(rule);
    return new vscode.Hover(markdown);
  }
}
