// Brings compare panels back after a window reload. The page saved its view state with
// `setState` (run ids, chosen metrics, toggles); VS Code hands it back here. It came from
// storage, so it passes the protocol's guard before anything uses it, and the runs are fetched
// again (the host owns data; the page keeps only ids).
import * as vscode from 'vscode';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { Run } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import { isCompareViewState } from '../../protocol/compare';
import type { ComparePanel } from './comparePanel';
import { loadRunsById } from './compareRuns';

export interface CompareSerializerDeps {
  readonly logger: Logger;
  waitForBackend(signal: AbortSignal): Promise<TrackingBackend | undefined>;
  restore(panel: vscode.WebviewPanel, backend: TrackingBackend, runs: Run[], missing: number): Promise<ComparePanel>;
}

export class CompareSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly deps: CompareSerializerDeps) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    await this.restore(panel, state);
  }

  /** Returns the restored panel, or undefined (and closes the tab) when it cannot come back. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<ComparePanel | undefined> {
    if (!isCompareViewState(state)) {
      this.deps.logger.warn(`Compare: a panel from the last session had ${state === undefined || state === null ? 'no saved state' : 'saved state this version cannot read'} and was closed.`);
      panel.dispose();
      return undefined;
    }
    const controller = new AbortController();
    const closed = panel.onDidDispose(() => controller.abort());
    try {
      const backend = await this.deps.waitForBackend(controller.signal);
      if (!backend) {
        if (!controller.signal.aborted) {
          void vscode.window.showWarningMessage(vscode.l10n.t('The comparison could not be restored: no MLflow server or mlruns folder is connected.'));
          panel.dispose();
        }
        return undefined;
      }
      const { runs, missing } = await loadRunsById(backend, state.runIds, controller.signal);
      if (controller.signal.aborted) return undefined;
      this.deps.logger.info(`Compare: restored a panel with ${runs.length} run(s)${missing.length ? `, ${missing.length} no longer exist` : ''}.`);
      return await this.deps.restore(panel, backend, runs, missing.length);
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      const detail = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(`Compare: could not restore a panel: ${detail}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The comparison could not be restored: {0}', detail));
      panel.dispose();
      return undefined;
    } finally {
      closed.dispose();
    }
  }
}
