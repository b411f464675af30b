// An experiment row and its runs: newest first (or the remembered sort), the remembered filter,
// one page at a time. Children of nested runs are left to their parent's node. Runs revealed by
// "Find Run…" that are not on a loaded page are pinned at the top so the tree can select them.
import * as vscode from 'vscode';
import type { Experiment, Run } from '../../core/mlflow';
import type { ExplorerContext } from './explorerContext';
import type { ExplorerNode } from '../tree/explorerNode';
import { escapeMarkdown, formatAge, formatTime, safeMarkdown } from './format';
import { InfoNode } from '../tree/messageNodes';
import { PagedRuns } from './pagedRuns';
import { NOTE_TAG, runOrder, topLevelRuns } from './runPager';
import { RunNode, cachedRunNode } from './runNode';

/**
 * Most useful first: the side bar cuts a row's end at its default width, so the state words and
 * the age come before the ID (which the tooltip and Copy Experiment ID also give).
 */
export function experimentDescription(experiment: Experiment, filtered: boolean, now = Date.now()): string {
  const parts: string[] = [];
  if (experiment.lifecycle_stage === 'deleted') parts.push(vscode.l10n.t('deleted'));
  if (filtered) parts.push(vscode.l10n.t('filtered'));
  const age = formatAge(experiment.last_update_time ?? experiment.creation_time, now);
  if (age) parts.push(vscode.l10n.t('updated {0}', age));
  parts.push(`#${experiment.experiment_id}`);
  return parts.join(' · ');
}

export class ExperimentNode implements ExplorerNode {
  readonly id: string;
  readonly parent = undefined;
  private readonly runs: PagedRuns;
  private readonly runNodes = new Map<string, RunNode>();
  private readonly pinned: Run[] = [];

  constructor(
    private readonly ctx: ExplorerContext,
    readonly experiment: Experiment,
  ) {
    this.id = `exp:${experiment.experiment_id}`;
    this.runs = new PagedRuns(
      ctx,
      this,
      (pageToken, signal) => {
        const view = ctx.runView.get(experiment.experiment_id);
        return ctx.backend.searchRunsPage(
          {
            experimentIds: [experiment.experiment_id],
            filter: view.filter,
            // "Show Deleted" shows deleted runs too, so they can be restored.
            runViewType: ctx.runView.experimentList.showDeleted ? 'ALL' : undefined,
            orderBy: runOrder(view.orderBy),
            maxResults: ctx.settings.runsPageSize,
            pageToken,
          },
          { signal },
        );
      },
      vscode.l10n.t('runs'),
    );
  }

  get experimentId(): string {
    return this.experiment.experiment_id;
  }

  /** Runs loaded so far (for the sort picker's list of metric and param keys). */
  get loadedRuns(): readonly Run[] {
    return this.runs.runs;
  }

  /** Run nodes made so far (top-level and pinned), for live updates. */
  get loadedRunNodes(): readonly RunNode[] {
    return [...this.runNodes.values()];
  }

  reset(): void {
    this.runs.reset();
    this.runNodes.clear();
    this.pinned.length = 0;
  }

  /** The node the next render shows for `run`, pinned at the top unless it is a top-level row. */
  pin(run: Run): RunNode {
    // Loaded runs can still be hidden (a child run lives under its parent): pin regardless; the
    // render drops pins that are top-level rows anyway.
    if (!this.pinned.some((r) => r.info.run_id === run.info.run_id)) this.pinned.push(run);
    return cachedRunNode(this.runNodes, this.ctx, run, this);
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.experiment;
    const filtered = this.ctx.runView.isFiltered(e.experiment_id);
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = experimentDescription(e, filtered);
    item.iconPath = new vscode.ThemeIcon(e.lifecycle_stage === 'deleted' ? 'trash' : filtered ? 'filter' : 'beaker');
    item.contextValue = (filtered ? 'mlwf.experimentFiltered' : 'mlwf.experiment') + (e.lifecycle_stage === 'deleted' ? ' mlwf.deleted' : '');
    return item;
  }

  /** Built on hover only (resolveTreeItem), like the runs' tooltips. */
  resolveTooltip(): vscode.MarkdownString {
    const e = this.experiment;
    const md = safeMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(e.name)}** (#${escapeMarkdown(e.experiment_id)})  \n`);
    const note = e.tags.find((t) => t.key === NOTE_TAG)?.value;
    if (note?.trim()) md.appendMarkdown(`\n${escapeMarkdown(note)}\n\n`);
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Created'))}: ${escapeMarkdown(formatTime(e.creation_time))}  \n`);
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Artifacts'))}: ${escapeMarkdown(e.artifact_location)}  \n`);
    const view = this.ctx.runView.get(e.experiment_id);
    if (view.filter) md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Filter'))}: \`${view.filter.replace(/`/g, "'")}\`  \n`);
    if (view.orderBy) md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Sort'))}: \`${view.orderBy.replace(/`/g, "'")}\`  \n`);
    return md;
  }

  async getChildren(signal: AbortSignal): Promise<ExplorerNode[]> {
    try {
      await this.runs.ensureLoaded(signal);
    } catch {
      return []; // cancelled by a refresh: the new render asks again
    }
    const filterActive = this.ctx.runView.isFiltered(this.experiment.experiment_id);
    const loaded = this.runs.runs;
    const top = topLevelRuns(loaded, filterActive, (id) => this.runs.has(id));
    const topIds = new Set(top.map((r) => r.info.run_id));
    const pinned = this.pinned.filter((r) => !topIds.has(r.info.run_id));
    const nodes: ExplorerNode[] = [...pinned, ...top].map((r) => cachedRunNode(this.runNodes, this.ctx, r, this));
    if (nodes.length === 0 && !this.runs.failed) {
      const text = filterActive ? vscode.l10n.t('No runs match the filter.') : vscode.l10n.t('No runs.');
      nodes.push(new InfoNode(this, `${this.id}/empty`, text));
    }
    return [...nodes, ...this.runs.trailingNodes(loaded.length)];
  }
}
