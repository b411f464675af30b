// Filter and sort of an experiment's runs, and the Experiments view's own name filter and
// deleted toggle. The filter is MLflow's syntax and is validated by the server itself: an
// invalid one shows MLflow's message as the experiment's error row (with Retry).
import * as vscode from 'vscode';
import type { ExperimentNode } from './experimentNode';
import type { ExperimentsTreeProvider } from './experimentsTreeProvider';
import { DEFAULT_RUN_ORDER, orderByKey } from './runPager';

/** The experiment a command acts on: the clicked row, else one picked from the loaded list. */
export async function pickExperiment(provider: ExperimentsTreeProvider, node: unknown): Promise<ExperimentNode | undefined> {
  const clicked = provider.experimentNodes.find((n) => n === node);
  if (clicked) return clicked;
  if (provider.experimentNodes.length === 0) await provider.getChildren();
  const items = provider.experimentNodes.map((n) => ({ label: n.experiment.name, description: `#${n.experimentId}`, node: n }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Choose an experiment'), matchOnDescription: true });
  return picked?.node;
}

export async function filterRuns(provider: ExperimentsTreeProvider, node: unknown, preset?: string): Promise<void> {
  const experiment = await pickExperiment(provider, node);
  if (!experiment) return;
  const current = provider.runView.get(experiment.experimentId);
  const filter =
    preset ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter runs of {0}', experiment.experiment.name),
      prompt: vscode.l10n.t("MLflow filter, e.g. metrics.rmse < 0.8 and params.alpha = '0.1' (empty to clear)"),
      value: current.filter ?? '',
      ignoreFocusOut: true,
    }));
  if (filter === undefined) return;
  await provider.runView.set(experiment.experimentId, { ...current, filter });
  provider.refresh(experiment);
}

export async function sortRuns(provider: ExperimentsTreeProvider, node: unknown, preset?: string): Promise<void> {
  const experiment = await pickExperiment(provider, node);
  if (!experiment) return;
  let orderBy = preset;
  if (orderBy === undefined) {
    const metrics = new Set<string>();
    const params = new Set<string>();
    for (const run of experiment.loadedRuns) {
      run.data.metrics.forEach((m) => metrics.add(m.key));
      run.data.params.forEach((p) => params.add(p.key));
    }
    const attributes = ['start_time', 'end_time', 'run_name', 'status'];
    const keys = [
      ...attributes.map((a) => ({ label: a, description: vscode.l10n.t('attribute'), key: orderByKey('attributes', a) })),
      ...[...metrics].sort().map((m) => ({ label: m, description: vscode.l10n.t('metric'), key: orderByKey('metrics', m) })),
      ...[...params].sort().map((p) => ({ label: p, description: vscode.l10n.t('parameter'), key: orderByKey('params', p) })),
    ];
    const key = await vscode.window.showQuickPick(keys, { title: vscode.l10n.t('Sort runs of {0} by', experiment.experiment.name), matchOnDescription: true });
    if (!key) return;
    const direction = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Descending'), value: 'DESC' },
        { label: vscode.l10n.t('Ascending'), value: 'ASC' },
      ],
      { title: vscode.l10n.t('Order') },
    );
    if (!direction) return;
    orderBy = `${key.key} ${direction.value}`;
  }
  const current = provider.runView.get(experiment.experimentId);
  await provider.runView.set(experiment.experimentId, { ...current, orderBy: orderBy === DEFAULT_RUN_ORDER ? undefined : orderBy });
  provider.refresh(experiment);
}

/** On a row: that experiment's filter and sort. From the view title: every filter of the view. */
export async function clearRunFilter(provider: ExperimentsTreeProvider, node: unknown): Promise<void> {
  const experiment = provider.experimentNodes.find((n) => n === node);
  if (experiment) {
    await provider.runView.set(experiment.experimentId, {});
    provider.refresh(experiment);
    return;
  }
  for (const id of provider.runView.customizedExperiments()) await provider.runView.set(id, {});
  await provider.runView.setExperimentList({ ...provider.runView.experimentList, nameFilter: undefined });
  provider.refresh();
}

export async function filterExperiments(provider: ExperimentsTreeProvider, preset?: string): Promise<void> {
  const list = provider.runView.experimentList;
  const name =
    preset ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter experiments'),
      prompt: vscode.l10n.t('Part of the experiment name (empty to show all)'),
      value: list.nameFilter ?? '',
    }));
  if (name === undefined) return;
  await provider.runView.setExperimentList({ ...list, nameFilter: name.trim() || undefined });
  provider.refresh();
}

export async function toggleDeletedExperiments(provider: ExperimentsTreeProvider): Promise<void> {
  const list = provider.runView.experimentList;
  await provider.runView.setExperimentList({ ...list, showDeleted: !list.showDeleted });
  provider.refresh();
}

/** What the view's description says about active filters ('' when none). */
export function filterSummary(provider: ExperimentsTreeProvider): string {
  const parts: string[] = [];
  const list = provider.runView.experimentList;
  if (list.nameFilter) parts.push(vscode.l10n.t('name: {0}', list.nameFilter));
  if (list.showDeleted) parts.push(vscode.l10n.t('with deleted'));
  const filtered = provider.runView.customizedExperiments().filter((id) => provider.runView.isFiltered(id)).length;
  if (filtered > 0) parts.push(vscode.l10n.t('runs filtered in {0}', filtered));
  return parts.join(' · ');
}
