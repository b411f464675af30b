// The compare page's messages to its panel: each passes the protocol's guard first (a malformed
// one is counted, logged and dropped) and goes to what answers it: the history requests, the
// panel's runs, the first-paint timing, the outside-world actions and the saved views.
import * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import { isCompareWebviewMessage, type CompareWebviewMessage, type FirstPaintMessage } from '../../protocol/compare';
import { copyTableText, guarded, saveExportedChart } from './compareHostActions';
import type { HistoryRequests } from './historyRequests';
import { saveView } from './savedViews';

/** What of a panel its page's messages reach. */
export interface PageMessageTarget {
  readonly logger: Logger;
  readonly requests: HistoryRequests;
  isDisposed(): boolean;
  /** A malformed message was dropped (ComparePanel.stats counts them). */
  dropped(): void;
  /** The page (new, or loaded again) is ready for its `init`. */
  pageReady(): void;
  /** The page's "Add Runs…": the user picks runs and they join the panel. */
  addPickedRuns(): Promise<void>;
  removeRuns(runIds: readonly string[]): void;
  recordPaint(message: FirstPaintMessage): void;
  chooseAndApplyView(): Promise<void>;
}

export async function handlePageMessage(target: PageMessageTarget, raw: unknown): Promise<void> {
  if (target.isDisposed()) return;
  if (!isCompareWebviewMessage(raw)) {
    target.dropped();
    const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type.slice(0, 40) : typeof raw;
    target.logger.warn(`Compare: dropped a malformed message from the page (type ${JSON.stringify(type)}).`);
    return;
  }
  await dispatch(target, raw);
}

async function dispatch(target: PageMessageTarget, message: CompareWebviewMessage): Promise<void> {
  switch (message.type) {
    case 'ready':
      target.pageReady();
      return;
    case 'requestHistory':
      return target.requests.answer(message);
    case 'cancelHistory':
      target.requests.cancel(message.requestId);
      return;
    case 'exportChart':
      await guarded(target.logger, () => saveExportedChart(message), vscode.l10n.t('Could not save the chart'));
      return;
    case 'copyText':
      await guarded(target.logger, () => copyTableText(message), vscode.l10n.t('Could not copy the table'));
      return;
    case 'addRuns':
      await target.addPickedRuns();
      return;
    case 'removeRun':
      target.removeRuns([message.runId]);
      return;
    case 'firstPaint':
      target.recordPaint(message);
      return;
    case 'saveView':
      await guarded(target.logger, () => saveView(message.view, target.logger), vscode.l10n.t('Could not save the compare view'));
      return;
    case 'chooseView':
      await target.chooseAndApplyView();
      return;
  }
}
