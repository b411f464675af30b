// Artifact rows can live in any tree (a run in Experiments, a version in Models). Their error
// rows ask for a reload of one node through this channel; every provider that shows artifact
// nodes listens and fires its own onDidChangeTreeData for that node.
import * as vscode from 'vscode';
import type { ExplorerNode } from './explorerNode';
import { registerCommand } from '../../host/commands';

const requests = new vscode.EventEmitter<ExplorerNode | undefined>();

/** Fires with the node to reload (undefined = everything). */
export const onDidRequestNodeRefresh = requests.event;

export const RETRY_NODE_COMMAND = 'mlwf.retryNode';

export function registerNodeRefresh(): vscode.Disposable[] {
  return [requests, registerCommand(RETRY_NODE_COMMAND, (node?: ExplorerNode) => requests.fire(node))];
}
