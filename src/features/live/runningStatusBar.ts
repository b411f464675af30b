// "N running" in the status bar while shown runs train; hidden when none does. Clicking lists
// them. When polling fails it says so (and when it will try again) instead of going stale quietly.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import { runLabel } from '../explorer/runNode';

export class RunningStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlwf.liveRuns', vscode.StatusBarAlignment.Left, 49);
  private runs: readonly Run[] = [];
  private problem: string | undefined;
  private off = false;

  constructor() {
    this.item.name = vscode.l10n.t('MLflow Running Runs');
    this.item.command = 'mlwf.showRunningRuns';
  }

  get text(): string {
    return this.item.text;
  }

  get shown(): boolean {
    return this.runs.length > 0;
  }

  update(runs: readonly Run[], options: { problem?: string; off?: boolean } = {}): void {
    this.runs = runs;
    this.problem = options.problem;
    this.off = options.off ?? false;
    this.render();
  }

  private render(): void {
    const n = this.runs.length;
    if (n === 0) {
      this.item.hide();
      return;
    }
    const icon = this.problem ? '$(warning)' : this.off ? '$(debug-pause)' : '$(pulse)';
    this.item.text = `${icon} ${n === 1 ? vscode.l10n.t('1 running') : vscode.l10n.t('{0} running', n)}`;
    const names = this.runs.slice(0, 10).map((r) => `• ${runLabel(r)}`);
    if (n > 10) names.push(vscode.l10n.t('…and {0} more', n - 10));
    const head = this.problem
      ? this.problem
      : this.off
        ? vscode.l10n.t('Live updates are off (mlwf.live.intervalSeconds is 0).')
        : vscode.l10n.t('Running runs update by themselves. Click to list them.');
    this.item.tooltip = [head, '', ...names].join('\n');
    this.item.backgroundColor = this.problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
