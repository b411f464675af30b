// Keybindings cannot test `viewItem`: VS Code sets it only while it builds a row's menus, so a
// keybinding's `when` that names it never matches (microsoft/vscode#236413). Each view instead
// publishes the context value of its selected row as a context key of its own, which the
// keybindings in package.json test (`focusedView == mlwf.jobs && mlwf.jobsSelection =~ …`).
import * as vscode from 'vscode';

/** Keeps `key` equal to the contextValue of the view's first selected row ('' with none). */
export function publishSelectionContext<T>(view: vscode.TreeView<T>, provider: vscode.TreeDataProvider<T>, key: string): vscode.Disposable {
  let published: string | undefined;
  let latest = 0;
  const update = async () => {
    const call = ++latest;
    const first = view.selection[0];
    let value = '';
    try {
      value = first === undefined ? '' : ((await provider.getTreeItem(first)).contextValue ?? '');
    } catch {
      // A row that can no longer draw itself offers no keys.
    }
    // An older, slower answer must not overwrite a newer selection's.
    if (call !== latest || value === published) return;
    published = value;
    await vscode.commands.executeCommand('setContext', key, value);
  };
  void update();
  const listeners = [
    view.onDidChangeSelection(() => void update()),
    // A row's state changes under the selection (a job ends, a run is deleted): its keys follow.
    ...(provider.onDidChangeTreeData ? [provider.onDidChangeTreeData(() => void update())] : []),
  ];
  return vscode.Disposable.from(...listeners);
}
