// What the page asks the host to do with the outside world: save an exported chart through a
// save dialog, put table text on the clipboard. The page cannot reach either itself.
import * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import type { CopyTextMessage, ExportChartMessage } from '../../protocol/compare';
import { exportBytes, exportFileName } from './exportFiles';

export async function saveExportedChart(message: ExportChartMessage): Promise<vscode.Uri | undefined> {
  const bytes = exportBytes(message); // a broken image fails here, before the user picks a file
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = exportFileName(message.metricKey, message.format);
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: message.format === 'png' ? { [vscode.l10n.t('PNG image')]: ['png'] } : { [vscode.l10n.t('SVG image')]: ['svg'] },
    title: vscode.l10n.t('Export chart of {0}', message.metricKey),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target)), 4000);
  return target;
}

export async function copyTableText(message: CopyTextMessage): Promise<void> {
  await vscode.env.clipboard.writeText(message.text);
  const what = message.format === 'csv' ? vscode.l10n.t('Copied the table as CSV') : vscode.l10n.t('Copied the table as Markdown');
  void vscode.window.setStatusBarMessage(what, 3000);
}

/** Runs one of these actions; a failure is logged and shown to the user with `failure` first. */
export async function guarded(logger: Logger, work: () => Promise<unknown>, failure: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    logger.error(`${failure}: ${detail}`);
    void vscode.window.showErrorMessage(`${failure}: ${detail}`);
  }
}
