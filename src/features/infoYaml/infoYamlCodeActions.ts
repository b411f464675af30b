// Quick fixes from the light bulb: the core computes each fix from the document's current text;
// this turns it into a WorkspaceEdit (undoable like typing).
import * as vscode from 'vscode';
import { quickFixFor } from '../../core/infoYaml';
import { DIAGNOSTIC_SOURCE, type InfoYamlDiagnostics } from './infoYamlDiagnostics';
import { quickFixTitle } from './infoYamlMessages';

export class InfoYamlCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: InfoYamlDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!this.diagnostics.applies(document)) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const core = this.diagnostics.diagnosticsFor(document);
    const text = document.getText();
    const actions: vscode.CodeAction[] = [];
    for (const shown of ours) {
      const match = core.find(
        (d) => d.code === shown.code && d.fix && d.start.line === shown.range.start.line && d.start.character === shown.range.start.character && d.end.line === shown.range.end.line && d.end.character === shown.range.end.character,
      );
      if (!match) continue;
      const fix = quickFixFor(text, match);
      if (!fix) continue;
      const action = new vscode.CodeAction(quickFixTitle(fix), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [shown];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
      actions.push(action);
    }
    return actions;
  }
}
