// A run row: name, primary metric and age, status icon; expands to its child runs (nested runs,
// fetched with a parentRunId filter when the parent opens), its description, Parameters,
// Metrics, Tags and whatever the artifacts feature plugs in through the RunChildFactory hook.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import { DESCRIPTION_KEY_MAX, elideMiddle } from '../../core/text/elideMiddle';
import type { ExplorerContext } from './explorerContext';
import type { ExplorerNode } from '../tree/explorerNode';
import { escapeMarkdown, formatAge, formatMetricShort, formatTime, safeMarkdown, statusIcon } from './format';
import { PagedRuns } from './pagedRuns';
import { runDetailNodes } from './runDetailNodes';
import { DEFAULT_RUN_ORDER, childRunsFilter, tagValue } from './runPager';

/** The metric a run's description shows: the configured one, else the run's first metric. */
export function primaryMetric(run: Run, configured: string): { key: string; value: number } | undefined {
  const metrics = run.data.metrics;
  const chosen = configured ? metrics.find((m) => m.key === configured) : metrics[0];
  return chosen ? { key: chosen.key, value: chosen.value } : undefined;
}

/** `rmse 0.728 · 2 h ago` (either part may be missing; a long key shortened in its middle). */
export function runDescription(run: Run, configuredMetric: string, now = Date.now()): string {
  const metric = primaryMetric(run, configuredMetric);
  const value = metric ? `${elideMiddle(metric.key, DESCRIPTION_KEY_MAX)} ${formatMetricShort(metric.value)}` : '';
  const age = formatAge(run.info.start_time, now);
  return value && age ? `${value} · ${age}` : value || age;
}

export function runLabel(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}

export class RunNode implements ExplorerNode {
  readonly id: string;
  /** Made on first expand: most rows of a page are never opened. */
  private childPages: PagedRuns | undefined;
  /** Same node objects across re-renders, so a child keeps its own loaded pages (made on first expand too). */
  private childNodes: Map<string, RunNode> | undefined;

  constructor(
    private readonly ctx: ExplorerContext,
    private current: Run,
    readonly parent: ExplorerNode,
  ) {
    this.id = `${parent.id}/run:${current.info.run_id}`;
  }

  get run(): Run {
    return this.current;
  }

  /** A fresher copy of the same run (live updates): the row and its details show it from now on. */
  update(run: Run): void {
    if (run.info.run_id !== this.current.info.run_id) return;
    this.current = run;
    this.ctx.changed(this);
  }

  /** Child run nodes made so far (live updates look for running runs among them). */
  get loadedChildren(): readonly RunNode[] {
    return this.childNodes ? [...this.childNodes.values()] : [];
  }

  private get children(): PagedRuns {
    const { ctx, run } = this;
    this.childPages ??= new PagedRuns(
      ctx,
      this,
      (pageToken, signal) =>
        ctx.backend.searchRunsPage(
          {
            experimentIds: [run.info.experiment_id],
            filter: childRunsFilter(run.info.run_id),
            orderBy: [DEFAULT_RUN_ORDER],
            maxResults: ctx.settings.runsPageSize,
            pageToken,
          },
          { signal },
        ),
      vscode.l10n.t('child runs'),
    );
    return this.childPages;
  }

  get runId(): string {
    return this.run.info.run_id;
  }

  get experimentId(): string {
    return this.run.info.experiment_id;
  }

  /** Refresh: child runs are fetched again on the next expand. */
  reset(): void {
    this.childPages?.reset();
    this.childNodes?.clear();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(runLabel(this.run), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = runDescription(this.run, this.ctx.settings.primaryMetric);
    const deleted = this.run.info.lifecycle_stage === 'deleted';
    item.iconPath = deleted ? new vscode.ThemeIcon('trash') : statusIcon(this.run.info.status);
    // A deleted run (shown with "Show Deleted") offers Restore instead of the run actions.
    item.contextValue = deleted ? 'mlwf.runDeleted' : 'mlwf.run';
    // Lets the compare feature colour the row like the run's line (a FileDecoration by URI).
    item.resourceUri = vscode.Uri.from({ scheme: 'mlwf-run', path: `/${this.run.info.run_id}` });
    return item;
  }

  /** Built on hover only (resolveTreeItem): formatting dates for 100 rows is most of a page's cost. */
  resolveTooltip(): vscode.MarkdownString {
    return runTooltip(this.run);
  }

  async getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    try {
      await this.children.ensureLoaded(signal);
    } catch {
      return []; // cancelled by a refresh: the new render asks again
    }
    const cache = (this.childNodes ??= new Map());
    const childRuns = this.children.runs.map((r) => cachedRunNode(cache, this.ctx, r, this));
    const extra = this.ctx.runChildren ? this.ctx.runChildren(this.run, this, this.ctx.backend) : [];
    return [...childRuns, ...this.children.trailingNodes(childRuns.length), ...runDetailNodes(this, this.run, this.ctx.settings.showSystemTags), ...extra];
  }
}

export function cachedRunNode(cache: Map<string, RunNode>, ctx: ExplorerContext, run: Run, parent: ExplorerNode): RunNode {
  let node = cache.get(run.info.run_id);
  if (!node) {
    node = new RunNode(ctx, run, parent);
    cache.set(run.info.run_id, node);
  }
  return node;
}

/** Status, times, user, source, top params and metrics; every server string escaped. */
export function runTooltip(run: Run): vscode.MarkdownString {
  const md = safeMarkdown();
  const info = run.info;
  const line = (label: string, value: string) => md.appendMarkdown(`${escapeMarkdown(label)}: ${escapeMarkdown(value)}  \n`);
  md.appendMarkdown(`**${escapeMarkdown(runLabel(run))}**  \n`);
  line(vscode.l10n.t('Status'), info.status);
  line(vscode.l10n.t('Run ID'), info.run_id);
  line(vscode.l10n.t('Started'), formatTime(info.start_time));
  if (info.end_time) line(vscode.l10n.t('Ended'), formatTime(info.end_time));
  const user = info.user_id || tagValue(run, 'mlflow.user');
  if (user) line(vscode.l10n.t('User'), user);
  const source = tagValue(run, 'mlflow.source.name');
  if (source) line(vscode.l10n.t('Source'), source);
  const top = <T extends { key: string }>(items: T[], text: (i: T) => string) =>
    items.slice(0, 8).map((i) => `${escapeMarkdown(i.key)} = ${escapeMarkdown(text(i))}`).join(', ');
  if (run.data.params.length) md.appendMarkdown(`\n${escapeMarkdown(vscode.l10n.t('Parameters'))}: ${top(run.data.params, (p) => p.value)}  \n`);
  if (run.data.metrics.length) md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Metrics'))}: ${top(run.data.metrics, (m) => formatMetricShort(m.value))}  \n`);
  return md;
}
