// `MLWF: Validate info.yaml Files`: every info.yaml of the workspace, open or not, into the
// Problems panel, with progress and Cancel.
import * as vscode from 'vscode';
import { validateInfoYaml } from '../../core/infoYaml';
import type { InfoYamlDiagnostics } from './infoYamlDiagnostics';
import { infoYamlGlobs } from './infoYamlFiles';

export interface WorkspaceValidation {
  readonly files: number;
  readonly withErrors: number;
  readonly cancelled: boolean;
}

export async function validateWorkspaceInfoYaml(diagnostics: InfoYamlDiagnostics, options: { quiet?: boolean } = {}): Promise<WorkspaceValidation> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Validating info.yaml files…'), cancellable: true },
    async (progress, token) => {
      const found = await Promise.all(infoYamlGlobs().map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 5000, token)));
      const uris = [...new Map(found.flat().map((u) => [u.toString(), u])).values()];
      let withErrors = 0;
      let files = 0;
      for (const uri of uris) {
        if (token.isCancellationRequested) return { files, withErrors, cancelled: true };
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / uris.length });
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        let problems;
        if (open) problems = diagnostics.validate(open);
        else {
          try {
            problems = validateInfoYaml(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)));
          } catch {
            continue; // deleted or unreadable since findFiles: nothing to report on
          }
          diagnostics.setForClosedFile(uri, problems);
        }
        files++;
        if (problems.some((p) => p.severity === 'error')) withErrors++;
      }
      return { files, withErrors, cancelled: false };
    },
  );
  if (!options.quiet && !result.cancelled) void report(result);
  return result;
}

async function report(result: WorkspaceValidation): Promise<void> {
  if (result.files === 0) {
    const settings = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No info.yaml files found (MLWFExportModel_*/info.yaml and the patterns in mlwf.infoYaml.filePatterns).'), settings);
    if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'mlwf.infoYaml.filePatterns');
    return;
  }
  const show = vscode.l10n.t('Show Problems');
  const message =
    result.withErrors === 0
      ? vscode.l10n.t('Checked {0} info.yaml file(s): no errors.', String(result.files))
      : vscode.l10n.t('Checked {0} info.yaml file(s): {1} with errors.', String(result.files), String(result.withErrors));
  const choice = await (result.withErrors ? vscode.window.showWarningMessage(message, show) : vscode.window.showInformationMessage(message));
  if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
}
