// The notice for a watched run that ended: one sentence with its final status and primary
// metric, and the two things one does next — Compare it, or Show Run in the Experiments view.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import { formatMetricShort } from '../explorer/format';
import { runLabel } from '../explorer/runNode';

export type RunEndedChoice = 'compare' | 'show' | undefined;

export function runEndedMessage(run: Run): string {
  const name = runLabel(run);
  const metric = run.data.metrics[0];
  switch (run.info.status) {
    case 'FINISHED':
      return metric ? vscode.l10n.t('Run {0} finished: {1} {2}.', name, metric.key, formatMetricShort(metric.value)) : vscode.l10n.t('Run {0} finished.', name);
    case 'FAILED':
      return vscode.l10n.t('Run {0} failed.', name);
    case 'KILLED':
      return vscode.l10n.t('Run {0} was killed.', name);
    default:
      return run.info.lifecycle_stage === 'deleted' ? vscode.l10n.t('Run {0} was deleted.', name) : vscode.l10n.t('Run {0} ended ({1}).', name, run.info.status);
  }
}

export async function showRunEnded(run: Run): Promise<RunEndedChoice> {
  const compare = vscode.l10n.t('Compare');
  const show = vscode.l10n.t('Show Run');
  const message = runEndedMessage(run);
  const failed = run.info.status === 'FAILED' || run.info.status === 'KILLED';
  const picked = failed ? await vscode.window.showWarningMessage(message, compare, show) : await vscode.window.showInformationMessage(message, compare, show);
  return picked === compare ? 'compare' : picked === show ? 'show' : undefined;
}
