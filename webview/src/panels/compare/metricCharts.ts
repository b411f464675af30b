// The Charts tab: one card per chosen metric (a history chart or, for single values, bars), laid
// out in a grid, resized together, and fed the histories, live points and first-paint timing.
import { readSeries, type CompareHistoryErrorMessage, type CompareHistoryMessage, type CompareLeadHistoryMessage, type CompareSeriesColumns } from '../../../../src/protocol/compare';
import { BarCard } from './barCard';
import { hasHistory } from './chartData';
import { el, whenIdle } from './dom';
import { ChartCard, type FirstPaintInfo } from './historyChartCard';
import type { PageContext } from './pageContext';

type Card = ChartCard | BarCard;

export class MetricCharts {
  readonly element = el('div', { className: 'chart-grid' });
  private readonly cards = new Map<string, Card>();
  private readonly resizeObserver = new ResizeObserver(() => this.cards.forEach((c) => c.resize()));

  constructor(
    private readonly ctx: () => PageContext,
    private readonly onPainted: (info: FirstPaintInfo) => void,
  ) {
    this.resizeObserver.observe(this.element);
  }

  // Bar cards (single values: up to 6, each a chart of every run and a table of its values) are
  // drawn after the first history chart is painted, not before it: in code-server the page
  // shares the workbench's main thread, and drawing them right after `init` held back the lead
  // chart's histories on their way into the page (bench/compareFirstPaint.bench.ts, 500 runs).
  private firstPainted = false;
  private readonly barsWaiting: BarCard[] = [];
  private barsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly painted = (info: FirstPaintInfo): void => {
    this.firstPainted = true;
    this.onPainted(info);
    // The frame with the chart goes to the screen first, and the page's `firstPaint` message on
    // its way; then the other charts ask and the bars draw.
    whenIdle(() => {
      if (this.releaseOnPaint) this.releaseWaiting();
      this.drawWaitingBars();
    });
  };

  private drawWaitingBars(): void {
    if (this.barsTimer) clearTimeout(this.barsTimer);
    this.barsTimer = undefined;
    this.firstPainted = true;
    for (const bars of this.barsWaiting.splice(0)) if (this.cards.get(bars.metricKey) === bars) bars.draw();
  }

  // Until the first chart has its data, only its request is in flight: the host fetches, parses
  // and sends one chart sooner alone than beside others (they share its event loop, nginx and, in
  // a remote window, the websocket), and the first chart is what the user waits for. The rest ask
  // as soon as it answers. bench/compareFirstPaint.bench.ts: 100 runs, command → first chart
  // about 2.0 s with all at once, 1.6 s this way.
  private lead: ChartCard | undefined;
  private leadAnswered = false;
  /** The metric the host pushes with no request (`init.leadMetric`), until its card takes it. */
  private pushedMetric: string | undefined;

  expectPushed(metricKey: string | undefined): void {
    this.pushedMetric = metricKey;
  }
  private readonly waiting: ChartCard[] = [];

  /** The lead chart has its data and is drawing it: the rest ask once it is painted. */
  private releaseOnPaint = false;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The lead chart answered. The others ask once it is on the screen, not as soon as its data is
   * in: their replies (some 250 KiB each for 100 runs) and their drawing would otherwise come
   * between the lead chart's data and its frame, on the main thread the page shares with the
   * workbench in code-server, and hold back its paint and its `firstPaint` message.
   */
  private leadReplied(card: ChartCard | undefined): void {
    if (this.leadAnswered) return;
    if (!card?.paintPending) {
      this.releaseWaiting();
      return;
    }
    this.releaseOnPaint = true;
    // A chart that never says it is painted must not keep the rest waiting.
    this.releaseTimer ??= setTimeout(() => this.releaseWaiting(), 3000);
  }

  private releaseWaiting(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    this.releaseOnPaint = false;
    this.leadAnswered = true;
    this.lead = undefined;
    for (const card of this.waiting.splice(0)) if ([...this.cards.values()].includes(card)) card.request();
  }

  /**
   * Cards follow the chosen metrics: new ones load, dropped ones cancel their requests. A metric
   * with a history gets a line chart; one logged once per run gets bars (drawn at once, no request).
   */
  sync(): void {
    const ctx = this.ctx();
    const chosen = ctx.state.chosenMetrics;
    const kindOf = (key: string) => (hasHistory(ctx.runs, key) ? 'history' : 'bars');
    const anyHistory = chosen.some((k) => kindOf(k) === 'history');
    for (const [key, card] of this.cards) {
      if (!chosen.includes(key) || card.kind !== kindOf(key)) {
        card.dispose();
        card.element.remove();
        this.cards.delete(key);
        if (card === this.lead) this.releaseWaiting();
      }
    }
    for (const key of chosen) {
      if (this.cards.has(key)) continue;
      if (kindOf(key) === 'bars') {
        // Bars report the first paint only when no history chart is coming: that one is the wait.
        const bars = new BarCard(this.ctx, key, anyHistory ? () => undefined : this.onPainted);
        this.cards.set(key, bars);
        if (anyHistory && !this.firstPainted) {
          this.barsWaiting.push(bars);
          bars.showWaiting();
          // A lead chart that never paints (no points, an error) must not keep the bars away.
          this.barsTimer ??= setTimeout(() => this.drawWaitingBars(), 3000);
        } else bars.draw();
        continue;
      }
      const card = new ChartCard(this.ctx, key, this.painted);
      this.cards.set(key, card);
      if (this.leadAnswered) card.request();
      else if (!this.lead) {
        this.lead = card;
        if (key === this.pushedMetric) card.awaitPush();
        else card.request();
        this.pushedMetric = undefined;
      } else {
        this.waiting.push(card);
        card.showWaiting();
      }
    }
    // Cards in the chosen order; a note when nothing is chosen.
    this.element.replaceChildren(...(chosen.length > 0 ? chosen.map((k) => this.cards.get(k)!.element) : [el('p', { className: 'empty', text: this.ctx().strings.noMetrics })]));
  }

  /** The runs changed: every card asks again (the host's loader has the old ones cached). */
  reloadAll(): void {
    this.leadAnswered = true;
    this.lead = undefined;
    this.waiting.length = 0;
    for (const card of this.cards.values()) card.request();
  }

  /** Bars read the runs' latest values: after new runs they draw again without asking. */
  redrawBars(): void {
    for (const card of this.cards.values()) if (card.kind === 'bars') card.draw();
  }

  redrawAll(): void {
    for (const card of this.cards.values()) card.draw();
  }

  highlight(runId: string | undefined): void {
    for (const card of this.cards.values()) card.highlight(runId);
  }

  /** Live points for every history card; returns how many were drawn. */
  append(columns: readonly CompareSeriesColumns[]): number {
    const appended = columns.map(readSeries);
    let added = 0;
    for (const card of this.historyCards()) added += card.append(appended);
    return added;
  }

  private historyCards(): ChartCard[] {
    return [...this.cards.values()].filter((c): c is ChartCard => c instanceof ChartCard);
  }

  onHistory(message: CompareHistoryMessage): void {
    // A reply nobody waits for any more (superseded or cancelled) is dropped by its id.
    const card = this.historyCards().find((c) => c.owns(message.requestId));
    card?.received(message);
    this.leadReplied(card === this.lead ? card : undefined);
  }

  /** The host's unasked histories: the card waiting for them draws them; failed, it asks. */
  onLeadHistory(message: CompareLeadHistoryMessage): void {
    const card = this.historyCards().find((c) => c.metricKey === message.metricKey && c.waitsForPush);
    if (!card) return;
    if (message.failed) {
      card.request();
      return;
    }
    card.adopt(message);
    this.leadReplied(card === this.lead ? card : undefined);
  }

  onHistoryError(message: CompareHistoryErrorMessage): void {
    this.historyCards().find((c) => c.owns(message.requestId))?.failed(message);
    if (!this.leadAnswered) this.releaseWaiting();
    if (!this.firstPainted) this.drawWaitingBars();
  }
}
