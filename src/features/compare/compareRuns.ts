// Runs for a comparison: DTO → the page's CompareRun, runs fetched back by id after a reload,
// and the quick pick of an experiment's runs (with that experiment's remembered filter).
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { isMlflowError, type Run } from '../../core/mlflow';
import type { CompareRun } from '../../protocol/compare';
import { MAX_COMPARE_RUNS } from '../../protocol/compare';
import { runDescription, runLabel } from '../explorer/runNode';

export function toCompareRun(run: Run, colorSlot: number): CompareRun {
  return {
    runId: run.info.run_id,
    name: runLabel(run),
    experimentId: run.info.experiment_id,
    colorSlot,
    status: run.info.status,
    startTime: run.info.start_time ?? 0,
    params: run.data.params.map((p) => ({ key: p.key, value: p.value })),
    metrics: run.data.metrics.map((m) => ({ key: m.key, value: m.value, step: m.step })),
    // System tags (mlflow.user, mlflow.source.*, the log-model history) are noise to group by.
    tags: (run.data.tags ?? []).filter((t) => !t.key.startsWith('mlflow.')).map((t) => ({ key: t.key, value: t.value })),
  };
}

/** Fetches runs by id, eight at a time; runs that no longer exist are left out, not fatal. */
export async function loadRunsById(backend: TrackingBackend, runIds: readonly string[], signal?: AbortSignal): Promise<{ runs: Run[]; missing: string[] }> {
  const found = new Map<string, Run>();
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < runIds.length) {
      const id = runIds[next++]!;
      try {
        found.set(id, await backend.getRun(id, { signal }));
      } catch (error) {
        if (isMlflowError(error) && error.kind === 'notFound') missing.push(id);
        else throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, runIds.length) }, worker));
  return { runs: runIds.flatMap((id) => found.get(id) ?? []), missing };
}

interface RunPickItem extends vscode.QuickPickItem {
  readonly run: Run;
}

/**
 * Multi-select quick pick of an experiment's runs (newest first, the experiment's filter
 * applied), up to the panel's limit. Runs already compared are left out.
 */
export async function pickExperimentRuns(
  backend: TrackingBackend,
  experiment: { id: string; name: string; filter?: string },
  exclude: ReadonlySet<string>,
  preselectAll: boolean,
): Promise<Run[] | undefined> {
  const pick = vscode.window.createQuickPick<RunPickItem>();
  pick.title = experiment.filter ? vscode.l10n.t('Compare runs of {0} (filter: {1})', experiment.name, experiment.filter) : vscode.l10n.t('Compare runs of {0}', experiment.name);
  pick.placeholder = vscode.l10n.t('Choose the runs to compare (up to {0})', MAX_COMPARE_RUNS);
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  pick.busy = true;
  const controller = new AbortController();
  const loaded = backend
    .searchRunsPage({ experimentIds: [experiment.id], filter: experiment.filter, orderBy: ['attributes.start_time DESC'], maxResults: 1000 }, { signal: controller.signal })
    .then((page) => {
      const items = page.runs.filter((r) => !exclude.has(r.info.run_id)).map((run): RunPickItem => ({ label: runLabel(run), description: runDescription(run, ''), detail: run.info.run_id, run }));
      pick.items = items;
      if (preselectAll) pick.selectedItems = items.slice(0, Math.min(items.length, 10));
      if (items.length === 0) pick.placeholder = vscode.l10n.t('No other runs in this experiment.');
    })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) pick.placeholder = vscode.l10n.t('Could not list the runs: {0}', error instanceof Error ? error.message : String(error));
    })
    .finally(() => (pick.busy = false));
  const chosen = await new Promise<Run[] | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems.map((i) => i.run));
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  controller.abort();
  await loaded;
  pick.dispose();
  return chosen && chosen.length > 0 ? chosen.slice(0, MAX_COMPARE_RUNS) : undefined;
}
