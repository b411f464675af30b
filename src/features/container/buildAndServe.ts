// MLWF: Build Container and MLWF: Serve Model. Both run the folder's own scripts (build.sh,
// serve.sh), which is running workspace code: refused in an untrusted workspace.
import { existsSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/formatBytes';
import { IMAGE_FILE } from '../../core/container/jobScripts';
import type { Logger } from '../../host/logger';
import { containerTask, runTask, terminalOfTask } from './containerTask';
import { chooseImageFolder } from './imageFolders';

export interface BuildOutcome {
  readonly folder: vscode.Uri;
  readonly exitCode: number | undefined;
  /** Bytes of container.sif when the build succeeded. */
  readonly imageSize?: number;
}

export interface ServeOutcome {
  readonly folder: vscode.Uri;
  readonly terminal: vscode.Terminal;
  readonly port: number;
}


export function refuseUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showErrorMessage(vscode.l10n.t('{0} runs scripts of this workspace, so it needs a trusted workspace.', what), manage).then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}

export async function buildContainer(arg: unknown, logger: Logger): Promise<BuildOutcome | undefined> {
  if (refuseUntrusted(vscode.l10n.t('Building a container'))) return undefined;
  const folder = await chooseImageFolder(arg);
  if (!folder) return undefined;
  const label = vscode.l10n.t('Build container ({0})', path.basename(folder.fsPath));
  logger.info(`Build task started in ${folder.fsPath}.`);
  const { exitCode } = await runTask(containerTask(folder, 'build.sh', label));
  const image = path.join(folder.fsPath, IMAGE_FILE);
  if (exitCode === 0 && existsSync(image)) {
    const size = statSync(image).size;
    logger.info(`Build finished: ${image} (${size} bytes).`);
    void notifyBuilt(folder, size);
    return { folder, exitCode, imageSize: size };
  }
  logger.warn(`Build failed in ${folder.fsPath}: exit code ${String(exitCode)}.`);
  const show = vscode.l10n.t('Show Terminal');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('The container build failed (exit code {0}). The terminal shows why.', String(exitCode ?? '?')), show)
    .then((a) => (a === show ? (terminalOfTask(label)?.show() ?? vscode.commands.executeCommand('workbench.action.terminal.focus')) : undefined));
  return { folder, exitCode };
}

async function notifyBuilt(folder: vscode.Uri, size: number): Promise<void> {
  const serve = vscode.l10n.t('Serve');
  const reveal = vscode.l10n.t('Reveal');
  const action = await vscode.window.showInformationMessage(vscode.l10n.t('Built {0} ({1}).', IMAGE_FILE, formatBytes(size)), serve, reveal);
  if (action === serve) await vscode.commands.executeCommand('mlwf.serveModel', folder);
  if (action === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(folder.fsPath, IMAGE_FILE)));
}

/** A port nobody listens on now (the server binds it a moment later; a clash is reported by it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function serveModel(arg: unknown, logger: Logger, lastPorts: Map<string, number>): Promise<ServeOutcome | undefined> {
  if (refuseUntrusted(vscode.l10n.t('Serving a model'))) return undefined;
  const folder = await chooseImageFolder(arg);
  if (!folder) return undefined;
  if (!existsSync(path.join(folder.fsPath, IMAGE_FILE))) {
    const build = vscode.l10n.t('Build Container');
    const action = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is not built yet.', IMAGE_FILE), build);
    if (action === build) await vscode.commands.executeCommand('mlwf.buildContainer', folder);
    return undefined;
  }
  const port = await freePort();
  lastPorts.set(folder.fsPath, port);
  // serve.sh is the terminal's own process: no shell parses a command line, PORT goes by env.
  const terminal = vscode.window.createTerminal({
    name: vscode.l10n.t('Serve {0}', path.basename(folder.fsPath)),
    cwd: folder,
    shellPath: '/bin/bash',
    shellArgs: ['serve.sh'],
    env: { PORT: String(port) },
    iconPath: new vscode.ThemeIcon('server-process'),
  });
  terminal.show();
  logger.info(`Serving ${folder.fsPath} on port ${port}.`);
  return { folder, terminal, port };
}
