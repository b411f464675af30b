// What a run holds, under the run node: Parameters, Metrics, Tags, Datasets and the run's description.
// Built from the run already loaded by the search (runs/search returns params, latest metrics
// and tags), so expanding a section costs no request.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import type { ExplorerNode } from '../tree/explorerNode';
import { elideMiddle } from '../../core/text/elideMiddle';
import { NOTE_TAG } from './runPager';
import { RunDatasetsNode } from './runDatasetNodes';
import { escapeMarkdown, firstLine, formatMetricShort, formatTime, plainFirstLine, safeMarkdown } from './format';

export class KeyValueNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly parent: ExplorerNode,
    /** The param, metric or tag key (the compare feature charts a metric row's key). */
    readonly key: string,
    private readonly label: string,
    private readonly description: string | undefined,
    private readonly fullValue: string,
    private readonly contextValue: string,
  ) {
    this.id = `${parent.id}/${key}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.description;
    const md = safeMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(this.key)}**\n\n${escapeMarkdown(this.fullValue)}`);
    item.tooltip = md;
    item.contextValue = this.contextValue;
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

export type SectionKind = 'params' | 'metrics' | 'tags';

const SECTION_ICONS: Record<SectionKind, string> = { params: 'symbol-parameter', metrics: 'graph-line', tags: 'tag' };

export class RunSectionNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly parent: ExplorerNode,
    private readonly run: Run,
    private readonly kind: SectionKind,
    private readonly showSystemTags: boolean,
  ) {
    this.id = `${parent.id}/${kind}`;
  }

  private label(): string {
    switch (this.kind) {
      case 'params':
        return vscode.l10n.t('Parameters');
      case 'metrics':
        return vscode.l10n.t('Metrics');
      case 'tags':
        return vscode.l10n.t('Tags');
    }
  }

  /** System tags (`mlflow.*`) are MLflow's bookkeeping; most users only want their own. */
  private visibleTags(): Run['data']['tags'] {
    return this.run.data.tags.filter((t) => this.showSystemTags || !t.key.startsWith('mlflow.'));
  }

  count(): number {
    return this.kind === 'params' ? this.run.data.params.length : this.kind === 'metrics' ? this.run.data.metrics.length : this.visibleTags().length;
  }

  getTreeItem(): vscode.TreeItem {
    const count = this.count();
    const item = new vscode.TreeItem(this.label(), count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = String(count);
    item.iconPath = new vscode.ThemeIcon(SECTION_ICONS[this.kind]);
    item.contextValue = `mlwf.section.${this.kind}`;
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const byKey = <T extends { key: string }>(a: T, b: T) => a.key.localeCompare(b.key);
    switch (this.kind) {
      case 'params':
        // A long key is shortened in its middle (the tooltip has it whole): VS Code cuts labels at
        // their end, where the value is.
        return [...this.run.data.params].sort(byKey).map((p) => new KeyValueNode(this, p.key, `${elideMiddle(p.key)} = ${firstLine(p.value)}`, undefined, p.value, 'mlwf.param'));
      case 'metrics':
        return [...this.run.data.metrics].sort(byKey).map(
          // 3 significant digits in the label, so the value survives the side bar's default width;
          // the tooltip keeps the full value.
          (m) => new KeyValueNode(this, m.key, `${elideMiddle(m.key)} = ${formatMetricShort(m.value)}`, vscode.l10n.t('step {0}', m.step), vscode.l10n.t('{0} at step {1}, {2}', String(m.value), m.step, formatTime(m.timestamp)), 'mlwf.metric'),
        );
      case 'tags':
        return [...this.visibleTags()].sort(byKey).map((t) => new KeyValueNode(this, t.key, `${elideMiddle(t.key)} = ${firstLine(t.value)}`, undefined, t.value, 'mlwf.tag'));
    }
  }
}

/** The run's description (`mlflow.note.content`, what the MLflow UI edits), first line as label. */
export class RunDescriptionNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly parent: ExplorerNode,
    private readonly note: string,
  ) {
    this.id = `${parent.id}/description`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(plainFirstLine(this.note), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('Description');
    item.iconPath = new vscode.ThemeIcon('note');
    const md = safeMarkdown();
    md.appendMarkdown(escapeMarkdown(this.note));
    item.tooltip = md;
    item.contextValue = 'mlwf.runDescription';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

export function runDetailNodes(parent: ExplorerNode, run: Run, showSystemTags: boolean): ExplorerNode[] {
  const nodes: ExplorerNode[] = [];
  const note = run.data.tags.find((t) => t.key === NOTE_TAG)?.value;
  if (note?.trim()) nodes.push(new RunDescriptionNode(parent, note));
  nodes.push(new RunSectionNode(parent, run, 'params', showSystemTags));
  nodes.push(new RunSectionNode(parent, run, 'metrics', showSystemTags));
  nodes.push(new RunSectionNode(parent, run, 'tags', showSystemTags));
  if (run.inputs.dataset_inputs.length) nodes.push(new RunDatasetsNode(parent, run));
  return nodes;
}
