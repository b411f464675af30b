// The histories of a new panel's lead chart (the first default metric with a history), fetched
// when the command runs, while the webview is still starting and loading its script, and sent to
// the page unasked once `init` has announced them (init.leadMetric). Command → first chart then
// no longer adds the fetch to the page's load (about 0.8 s for 100 runs in
// bench/compareFirstPaint.bench.ts). Only for a panel opened by a command: a restored page
// remembers its own charts and asks for them.
import type { MetricHistoryLoader, MetricSeries } from '../../core/compare/metricHistoryLoader';

export interface PrefetchedLead {
  readonly metricKey: string;
  /** The runs it was fetched for (joined ids): sent only if the panel still has those runs. */
  readonly runKey: string;
  /** undefined: the fetch failed (the page is told, and its chart asks by itself). */
  readonly series: Promise<MetricSeries[] | undefined>;
}

export class LeadPrefetch {
  private controller: AbortController | undefined;
  private lead: PrefetchedLead | undefined;

  /** Starts the fetch; `loaded` runs once it has the histories. */
  start(loader: MetricHistoryLoader, runIds: readonly string[], metricKey: string, loaded: () => void): void {
    this.stop();
    const controller = new AbortController();
    this.controller = controller;
    // The page's own request, if it makes one, shares this fetch in the loader.
    const series = loader.load({ runIds: [...runIds], metricKey }, controller.signal).then(
      (result) => {
        loaded();
        return result;
      },
      // A failure is the page's to report: told "failed", its chart asks and shows the error.
      () => undefined,
    );
    this.lead = { metricKey, runKey: runIds.join(','), series };
  }

  /** The prefetched lead for the first `init`, once: a page that loads again asks for itself. */
  take(): PrefetchedLead | undefined {
    const lead = this.lead;
    this.lead = undefined;
    return lead;
  }

  /** The runs or the server changed, or the panel closed: the fetch is no longer wanted. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.lead = undefined;
  }
}
