// Finding the MLWFCreateImage_* folder a command is about: the clicked file or folder, the
// active editor's folder, or a pick among the workspace's folders (newest first).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMAGE_FOLDER_PREFIX } from '../../core/container/createImageFolder';

export function imageFolderOf(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  if (!uri || uri.scheme !== 'file') return undefined;
  const parts = uri.fsPath.split(path.sep);
  const index = parts.map((p) => p.startsWith(IMAGE_FOLDER_PREFIX)).lastIndexOf(true);
  return index < 0 ? undefined : vscode.Uri.file(parts.slice(0, index + 1).join(path.sep) || path.sep);
}

export async function chooseImageFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  const direct = imageFolderOf(arg instanceof vscode.Uri ? arg : undefined) ?? imageFolderOf(vscode.window.activeTextEditor?.document.uri);
  if (direct) return direct;
  const scripts = await vscode.workspace.findFiles(`**/${IMAGE_FOLDER_PREFIX}*/build.sh`, '**/node_modules/**', 200);
  const folders = scripts.map((s) => vscode.Uri.file(path.dirname(s.fsPath))).sort((a, b) => path.basename(b.fsPath).localeCompare(path.basename(a.fsPath)));
  if (folders.length === 0) {
    const action = await vscode.window.showWarningMessage(vscode.l10n.t('There is no MLWFCreateImage folder in this workspace yet.'), vscode.l10n.t('Generate Container Recipe…'));
    if (action) await vscode.commands.executeCommand('mlwf.generateContainerRecipe');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const pick = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(path.dirname(f.fsPath)), folder: f })),
    { placeHolder: vscode.l10n.t('Which container folder?') },
  );
  return pick?.folder;
}
