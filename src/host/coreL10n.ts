// src/core/ cannot import `vscode`, yet its messages (MLflow errors, export, container, file-store
// problems) reach the UI. It translates them with @vscode/l10n, the library VS Code provides for
// code outside the extension API; this hands that library the bundle VS Code chose for the
// display language, so core and host strings come from the one l10n/bundle.l10n.<lang>.json.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function configureCoreL10n(): void {
  const contents = vscode.l10n.bundle;
  if (contents) l10n.config({ contents });
}
