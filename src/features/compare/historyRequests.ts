// The page's history requests of one compare panel: each is answered by its id with the
// loader's series as columns (or an error text), and each has its own AbortController, so a
// newer request with the same id, a `cancelHistory`, a page that loads again, changed runs or a
// closed panel cancel what is in flight.
import * as vscode from 'vscode';
import type { MetricHistoryLoader } from '../../core/compare/metricHistoryLoader';
import { toSeriesColumns } from '../../core/compare/seriesColumns';
import { isMlflowError } from '../../core/mlflow';
import type { Logger } from '../../host/logger';
import type { CompareHostMessage, RequestHistoryMessage } from '../../protocol/compare';
import { describeMlflowError } from '../connection/connectionErrors';

/** Counters the in-host tests read (ComparePanel.stats has these and more). */
export interface HistoryRequestStats {
  requests: number;
  replies: number;
  cancelled: number;
}

export interface HistoryRequestsHost {
  readonly logger: Logger;
  readonly stats: HistoryRequestStats;
  /** The panel's loader now (a rebind to a new backend replaces it). */
  loader(): MetricHistoryLoader;
  /** The panel's runs now: the page may ask only about those. */
  runIds(): readonly string[];
  isDisposed(): boolean;
  post(message: CompareHostMessage): void;
  /** The first request arrived and its reply was posted (for the first-paint timing). */
  firstRequest(): void;
  firstReply(): void;
}

export class HistoryRequests implements vscode.Disposable {
  private readonly inFlight = new Map<number, AbortController>();
  private first = true;

  constructor(private readonly host: HistoryRequestsHost) {}

  /** Requests still waiting for the loader (tests check that closing cancels them). */
  get pending(): number {
    return this.inFlight.size;
  }

  async answer(message: RequestHistoryMessage): Promise<void> {
    const { host } = this;
    const known = new Set(host.runIds());
    // The page may only ask about this panel's runs: a stale or forged id is not fetched.
    const runIds = message.runIds.filter((id) => known.has(id));
    this.cancel(message.requestId);
    const controller = new AbortController();
    this.inFlight.set(message.requestId, controller);
    host.stats.requests++;
    const first = this.first;
    this.first = false;
    if (first) host.firstRequest();
    try {
      const series = runIds.length === 0 ? [] : await host.loader().load({ runIds, metricKey: message.metricKey, range: message.range }, controller.signal);
      if (controller.signal.aborted || host.isDisposed()) return;
      host.stats.replies++;
      host.post({ type: 'history', requestId: message.requestId, series: toSeriesColumns(series, { timestamps: message.timestamps === true }) });
      if (first) host.firstReply();
    } catch (error) {
      if (controller.signal.aborted || host.isDisposed()) return;
      const text = isMlflowError(error) ? describeMlflowError(error) : error instanceof Error ? error.message : String(error);
      host.logger.warn(`Compare: history of ${message.metricKey} for ${runIds.length} run(s) failed: ${error instanceof Error ? error.message : String(error)}`);
      host.post({ type: 'historyError', requestId: message.requestId, message: text });
    } finally {
      if (this.inFlight.get(message.requestId) === controller) this.inFlight.delete(message.requestId);
    }
  }

  cancel(requestId: number): void {
    const controller = this.inFlight.get(requestId);
    if (!controller) return;
    controller.abort();
    this.inFlight.delete(requestId);
    this.host.stats.cancelled++;
  }

  cancelAll(): void {
    for (const id of [...this.inFlight.keys()]) this.cancel(id);
  }

  dispose(): void {
    this.cancelAll();
  }
}
