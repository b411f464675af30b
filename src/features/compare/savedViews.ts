// Saved compare views in the workspace: "Save View…" names the page's set-up and writes it to
// `.vscode/mlwf-views.json`; "Apply View…" lists the file's views and hands the chosen one to the
// page. The file is parsed strictly (src/core/compare/savedViewsFile.ts): when it cannot be read
// the user is told why, offered to open it, and it is left exactly as it was.
import * as vscode from 'vscode';
import { parseSavedViews, SAVED_VIEWS_FILE, serializeSavedViews, validViewName, withView, type SavedViewsFile } from '../../core/compare/savedViewsFile';
import type { Logger } from '../../host/logger';
import type { CompareSavedView } from '../../protocol/compare';

export interface ChosenView {
  readonly name: string;
  readonly view: CompareSavedView;
}

/** The views file of the first workspace folder (where a team's shared settings live). */
export function savedViewsUri(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...SAVED_VIEWS_FILE.split('/')) : undefined;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

/** The parsed file, or undefined after telling the user what is wrong with it. */
async function readViews(uri: vscode.Uri, logger: Logger): Promise<SavedViewsFile | undefined> {
  const read = parseSavedViews(await readText(uri));
  if (read.ok) return read.file;
  logger.warn(`Compare: ${read.error}`);
  const open = vscode.l10n.t('Open File');
  void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the saved compare views: {0} The file was not changed.', read.error), open).then((a) => {
    if (a === open) void vscode.window.showTextDocument(uri);
  });
  return undefined;
}

function noFolder(): undefined {
  void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder to save compare views: they are kept in its {0}.', SAVED_VIEWS_FILE));
  return undefined;
}

/** Asks for a name and saves `view` under it; resolves with the name, or undefined if not saved. */
export async function saveView(view: CompareSavedView, logger: Logger): Promise<string | undefined> {
  const uri = savedViewsUri();
  if (!uri) return noFolder();
  const file = await readViews(uri, logger);
  if (!file) return undefined;
  const names = Object.keys(file.views);
  const name = (
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Save Compare View'),
      prompt: vscode.l10n.t('Name of the view (saved in {0}; existing: {1})', SAVED_VIEWS_FILE, names.length > 0 ? names.join(', ') : vscode.l10n.t('none')),
      // No complaint about the empty box it opens with: VS Code ignores Enter while an error shows,
      // and the answer for freshly typed text comes back from the extension host a moment later.
      validateInput: (text) => (text.trim() === '' ? undefined : validViewName(text)),
    })
  )?.trim();
  if (!name) return undefined;
  if (Object.hasOwn(file.views, name)) {
    const replace = vscode.l10n.t('Replace');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('A view named "{0}" exists. Replace it?', name), { modal: true }, replace);
    if (answer !== replace) return undefined;
  }
  // Read again just before writing: a teammate's pull or another window may have changed it.
  const latest = await readViews(uri, logger);
  if (!latest) return undefined;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeSavedViews(withView(latest, name, view))));
  logger.info(`Compare: saved the view "${name}" to ${SAVED_VIEWS_FILE}.`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the compare view "{0}" to {1}.', name, SAVED_VIEWS_FILE));
  return name;
}

/** Lists the saved views for the user to pick one; undefined when none is chosen. */
export async function chooseView(logger: Logger): Promise<ChosenView | undefined> {
  const uri = savedViewsUri();
  if (!uri) return noFolder();
  const file = await readViews(uri, logger);
  if (!file) return undefined;
  const entries = Object.entries(file.views);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No compare views are saved in {0} yet. Use "Save View…" in a comparison first.', SAVED_VIEWS_FILE));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map(([name, view]) => ({ label: name, description: describeView(view), view })),
    { title: vscode.l10n.t('Apply Compare View'), placeHolder: vscode.l10n.t('Choose a saved view to apply to these runs') },
  );
  return picked ? { name: picked.label, view: picked.view } : undefined;
}

function describeView(view: CompareSavedView): string {
  const parts = [view.metrics.join(', ')];
  if (view.groupBy) parts.push(vscode.l10n.t('grouped by {0}', view.groupBy.key));
  return parts.filter(Boolean).join(' · ');
}
