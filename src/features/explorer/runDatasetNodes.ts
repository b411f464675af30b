// A run's dataset inputs (`mlflow.log_input`): the **Datasets** section under a run, one row per
// input with its name, digest and context (training, eval…); the source type, source and schema
// are in the tooltip and in the row's children. Built from the run already loaded (runs/search
// and runs/get carry `inputs`), so expanding costs no request. All of it is server text: rows use
// plain labels and escaped Markdown only.
import * as vscode from 'vscode';
import type { DatasetInput, Run } from '../../core/mlflow';
import type { ExplorerNode } from '../tree/explorerNode';
import { escapeMarkdown, firstLine, safeMarkdown } from './format';

const CONTEXT_TAG = 'mlflow.data.context';

/** The column names of MLflow's `{"mlflow_colspec": [{name, type}, …]}` schema, else undefined. */
export function schemaColumns(schema: string | undefined): string[] | undefined {
  if (!schema) return undefined;
  try {
    const parsed = JSON.parse(schema) as { mlflow_colspec?: Array<{ name?: unknown; type?: unknown }> };
    const cols = parsed.mlflow_colspec;
    if (!Array.isArray(cols)) return undefined;
    return cols.map((c) => `${typeof c.name === 'string' ? c.name : '?'}: ${typeof c.type === 'string' ? c.type : '?'}`);
  } catch {
    return undefined;
  }
}

class DatasetFieldNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode,
    readonly id: string,
    private readonly label: string,
    private readonly description: string,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = firstLine(this.description);
    item.tooltip = this.description; // plain string: shown as text
    item.contextValue = 'mlwf.datasetField';
    return item;
  }
  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }
}

export class DatasetInputNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    readonly input: DatasetInput,
    index: number,
  ) {
    this.id = `${parent.id}/${index}:${input.dataset.name}`;
  }

  get context(): string | undefined {
    return this.input.tags.find((t) => t.key === CONTEXT_TAG)?.value;
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.input.dataset;
    const item = new vscode.TreeItem(d.name || vscode.l10n.t('(unnamed dataset)'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [this.context, d.digest].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('database');
    const md = safeMarkdown();
    md.appendMarkdown(`**${escapeMarkdown(d.name)}**  \n`);
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Digest'))}: ${escapeMarkdown(d.digest)}  \n`);
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Source type'))}: ${escapeMarkdown(d.source_type)}  \n`);
    if (this.context) md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Context'))}: ${escapeMarkdown(this.context)}  \n`);
    item.tooltip = md;
    item.contextValue = 'mlwf.datasetInput';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    const d = this.input.dataset;
    const rows: ExplorerNode[] = [
      new DatasetFieldNode(this, `${this.id}/digest`, vscode.l10n.t('Digest'), d.digest),
      new DatasetFieldNode(this, `${this.id}/sourceType`, vscode.l10n.t('Source type'), d.source_type),
      new DatasetFieldNode(this, `${this.id}/source`, vscode.l10n.t('Source'), d.source),
    ];
    const columns = schemaColumns(d.schema);
    if (columns) rows.push(new DatasetFieldNode(this, `${this.id}/schema`, vscode.l10n.t('Schema'), vscode.l10n.t('{0} columns: {1}', columns.length, columns.join(', '))));
    else if (d.schema) rows.push(new DatasetFieldNode(this, `${this.id}/schema`, vscode.l10n.t('Schema'), d.schema));
    return rows;
  }
}

/** The **Datasets** section (only when the run has inputs). */
export class RunDatasetsNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: ExplorerNode,
    private readonly run: Run,
  ) {
    this.id = `${parent.id}/datasets`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Datasets'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.run.inputs.dataset_inputs.length);
    item.iconPath = new vscode.ThemeIcon('database');
    item.contextValue = 'mlwf.section.datasets';
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return this.run.inputs.dataset_inputs.map((input, i) => new DatasetInputNode(this, input, i));
  }
}
