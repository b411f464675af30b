// What every node of the Experiments view shares: the backend it reads from, the settings of
// this render, the per-experiment run view (filter, sort), the artifacts hook and a way to ask
// the provider to re-render a node. Nodes get it by constructor so they stay free of globals.
import * as vscode from 'vscode';
import type { Run } from '../../core/mlflow';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import type { ExplorerNode } from '../tree/explorerNode';
import type { RunViewStore } from './runViewStore';

/**
 * Extra children of a run node after Parameters/Metrics/Tags (the artifacts feature plugs in
 * its folder nodes here at composition time). Called each time the run expands.
 */
export type RunChildFactory = (run: Run, parent: ExplorerNode, backend: TrackingBackend) => ExplorerNode[];

export interface ExplorerSettings {
  readonly runsPageSize: number;
  readonly primaryMetric: string;
  readonly showSystemTags: boolean;
}

export function readExplorerSettings(): ExplorerSettings {
  const config = vscode.workspace.getConfiguration('mlwf');
  const pageSize = Math.round(config.get<number>('runsPageSize', 100));
  return {
    // MLflow refuses more than 50,000 per page; below 1 makes no sense.
    runsPageSize: Math.min(Math.max(Number.isFinite(pageSize) ? pageSize : 100, 1), 50_000),
    primaryMetric: config.get<string>('primaryMetric', '').trim(),
    showSystemTags: config.get<boolean>('showSystemTags', false),
  };
}

export const EXPLORER_SETTING_KEYS = ['mlwf.runsPageSize', 'mlwf.primaryMetric', 'mlwf.showSystemTags'];

export interface ExplorerContext {
  readonly backend: TrackingBackend;
  readonly settings: ExplorerSettings;
  readonly runView: RunViewStore;
  readonly runChildren: RunChildFactory | undefined;
  /** Re-renders `node`'s children (the whole tree when undefined). */
  changed(node: ExplorerNode | undefined): void;
}
