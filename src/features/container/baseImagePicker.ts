// The base image quick pick: the model's default first, then the user's own earlier choices
// (history in globalState, newest first), and free entry for anything else.
import * as vscode from 'vscode';
import { BaseImageError, CUDA_BASE_IMAGE, parseBaseImage } from '../../core/container/baseImage';

const HISTORY_KEY = 'mlwf.container.baseImageHistory';
const HISTORY_SIZE = 10;

export async function pickBaseImage(memento: vscode.Memento, suggested: string, gpu: boolean): Promise<string | undefined> {
  const history = memento.get<string[]>(HISTORY_KEY, []);
  const items: vscode.QuickPickItem[] = [
    { label: suggested, description: gpu ? vscode.l10n.t('default for GPU models') : vscode.l10n.t('default for CPU models') },
    ...history.filter((h) => h !== suggested).map((h) => ({ label: h, description: vscode.l10n.t('used before') })),
  ];
  if (!items.some((i) => i.label === CUDA_BASE_IMAGE)) items.push({ label: CUDA_BASE_IMAGE, description: vscode.l10n.t('CUDA for GPU models') });
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = vscode.l10n.t('Base image of the container');
  quickPick.placeholder = vscode.l10n.t('Pick a base image or type one (docker://…, library://…, a .sif file)');
  quickPick.items = items;
  quickPick.ignoreFocusOut = true;
  const chosen = await new Promise<string | undefined>((resolve) => {
    quickPick.onDidChangeValue((value) => {
      // Typed text becomes the first item, so Enter takes exactly what was typed.
      const typed = value.trim();
      quickPick.items = typed && !items.some((i) => i.label === typed) ? [{ label: typed, description: vscode.l10n.t('entered') }, ...items] : items;
    });
    quickPick.onDidAccept(() => {
      const value = quickPick.selectedItems[0]?.label ?? quickPick.value.trim();
      try {
        parseBaseImage(value);
      } catch (err) {
        // QuickPick has no validation message in VS Code 1.90: say it beside the input.
        void vscode.window.showErrorMessage(err instanceof BaseImageError ? err.message : String(err));
        return;
      }
      resolve(value);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  if (chosen !== undefined) await memento.update(HISTORY_KEY, [chosen, ...history.filter((h) => h !== chosen)].slice(0, HISTORY_SIZE));
  return chosen;
}
