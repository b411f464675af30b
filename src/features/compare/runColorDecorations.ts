// The run's colour in the comparison, shown on its row in the Experiments view (run rows carry
// a `mlwf-run:/<id>` resource URI for this). The focused comparison wins when a run is in two.
import * as vscode from 'vscode';
import type { ComparePanel } from './comparePanel';
import { colorIdOfSlot } from './runColorSlots';

export const RUN_DECORATION_SCHEME = 'mlwf-run';

export function runResourceUri(runId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_DECORATION_SCHEME, path: `/${runId}` });
}

export class RunColorDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;

  /** `panels()` lists open comparisons, the focused one first. */
  constructor(private readonly panels: () => readonly ComparePanel[]) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== RUN_DECORATION_SCHEME) return undefined;
    const runId = uri.path.slice(1);
    for (const panel of this.panels()) {
      const slot = panel.colorSlots.get(runId);
      if (slot === undefined) continue;
      return new vscode.FileDecoration('●', vscode.l10n.t('Compared in "{0}"', panel.panel.title), new vscode.ThemeColor(colorIdOfSlot(slot)));
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
