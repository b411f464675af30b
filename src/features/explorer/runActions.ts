// Copy IDs and URIs, open a run or experiment in the MLflow web UI, and "Find Run…" across
// experiments. Work on the clicked row or, for runs, on every selected run (canSelectMany).
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import { ExperimentNode } from './experimentNode';
import type { ExplorerNode } from '../tree/explorerNode';
import type { ExperimentsTreeProvider } from './experimentsTreeProvider';
import { RunNode, runDescription, runLabel } from './runNode';

/** The runs a command applies to: the selection when the clicked row is part of it. */
export function selectedRuns(node: unknown, selection: unknown): RunNode[] {
  const all = Array.isArray(selection) ? selection.filter((n): n is RunNode => n instanceof RunNode) : [];
  if (node instanceof RunNode) return all.includes(node) ? all : [node];
  return all;
}

export async function copyLines(lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await vscode.env.clipboard.writeText(lines.join('\n'));
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', lines.length === 1 ? lines[0]! : vscode.l10n.t('{0} lines', lines.length)), 3000);
}

export function experimentIdOf(node: unknown): string | undefined {
  if (node instanceof ExperimentNode) return node.experimentId;
  if (node instanceof RunNode) return node.experimentId;
  return undefined;
}

/** `<ui>/#/experiments/<eid>[/runs/<rid>]`: the MLflow UI's routes since 1.x. */
export function mlflowUiUrl(base: string, experimentId: string, runId?: string): string {
  const root = base.replace(/#.*$/, '').replace(/\/?$/, '/');
  const route = `#/experiments/${encodeURIComponent(experimentId)}${runId ? `/runs/${encodeURIComponent(runId)}` : ''}`;
  return root + route;
}

export async function openInMlflowUi(node: unknown, uiBase: string | undefined): Promise<void> {
  const experimentId = experimentIdOf(node);
  if (!experimentId) return;
  if (!uiBase) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Set mlwf.uiUrl to open the MLflow UI: a local mlruns folder has no web UI.'));
    return;
  }
  const url = mlflowUiUrl(uiBase, experimentId, node instanceof RunNode ? node.runId : undefined);
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** MLflow `ILIKE` pattern for "contains", with the pattern's own wildcards and quotes escaped. */
export function runNameFilter(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `attributes.run_name ILIKE '%${escaped}%'`;
}

interface RunPick extends vscode.QuickPickItem {
  run?: Run;
}

/** Quick pick that searches run names across the listed experiments as the user types. */
export async function findRun(provider: ExperimentsTreeProvider, reveal: (node: ExplorerNode) => Promise<void>): Promise<void> {
  await provider.getChildren();
  const experiments = provider.experimentNodes;
  const backend = provider.backend;
  if (!backend) return;
  const names = new Map(experiments.map((n) => [n.experimentId, n.experiment.name]));
  const pick = vscode.window.createQuickPick<RunPick>();
  pick.title = vscode.l10n.t('Find Run');
  pick.placeholder = vscode.l10n.t('Part of a run name');
  pick.matchOnDescription = true;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = async (text: string) => {
    controller?.abort();
    const mine = (controller = new AbortController());
    if (!text.trim()) {
      pick.items = [];
      return;
    }
    pick.busy = true;
    try {
      const ids = [...names.keys()];
      const runs: Run[] = [];
      // MLflow accepts at most 100 experiment ids per search.
      for (let i = 0; i < ids.length && runs.length < 50; i += 100) {
        const page = await backend.searchRunsPage(
          { experimentIds: ids.slice(i, i + 100), filter: runNameFilter(text.trim()), maxResults: 50, orderBy: ['attributes.start_time DESC'] },
          { signal: mine.signal },
        );
        runs.push(...page.runs);
      }
      if (mine.signal.aborted) return;
      pick.items = runs.slice(0, 50).map((run) => ({
        label: runLabel(run),
        description: names.get(run.info.experiment_id) ?? `#${run.info.experiment_id}`,
        detail: runDescription(run, ''),
        run,
      }));
    } catch (error) {
      if (!mine.signal.aborted) pick.items = [{ label: `$(error) ${error instanceof Error ? error.message : String(error)}`, alwaysShow: true }];
    } finally {
      if (!mine.signal.aborted) pick.busy = false;
    }
  };
  pick.onDidChangeValue((text) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void search(text), 250);
  });
  const chosen = await new Promise<Run | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.run);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  controller?.abort();
  pick.dispose();
  if (!chosen) return;
  const node = await provider.nodeForRun(chosen);
  if (node) await reveal(node);
}
