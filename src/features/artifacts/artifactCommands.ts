// What a user does with an artifact row: open it (text/images, in an editor through the
// mlwf-artifact: file system), download it (big or binary files), or copy its URIs.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { artifactBaseName, opensInEditor } from '../../core/artifacts/artifactPaths';
import { downloadToFile } from '../../core/artifacts/downloadToFile';
import { downloadOwnerArtifact, type ArtifactOwner } from '../../core/backend/modelFiles';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { isMlflowError } from '../../core/mlflow';
import { abortSignalFor } from '../../host/abortSignal';
import type { Logger } from '../../host/logger';
import { describeMlflowError } from '../connection/connectionErrors';
import { ArtifactFileNode, formatBytes, mlflowUriOf } from './artifactNodes';
import { registerCommand } from '../../host/commands';

export interface ArtifactDownloadOptions {
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

/**
 * Streams one artifact to `target` (a local path of the extension host's machine); `owner` is a
 * run id or an ArtifactOwner (a logged model's files).
 */
export function downloadArtifact(backend: TrackingBackend, owner: string | ArtifactOwner, path: string, target: string, options: ArtifactDownloadOptions = {}): Promise<number> {
  const o: ArtifactOwner = typeof owner === 'string' ? { runId: owner } : owner;
  return downloadToFile((d) => downloadOwnerArtifact(backend, o, path, d), target, {
    signal: options.signal,
    onProgress: (p) => options.onProgress?.(p.received, p.total),
  });
}

export function registerArtifactCommands(logger: Logger): vscode.Disposable[] {
  return [
    registerCommand('mlwf.openArtifact', (node?: ArtifactFileNode) => node instanceof ArtifactFileNode && openArtifact(node)),
    registerCommand('mlwf.downloadArtifact', (node?: ArtifactFileNode, target?: vscode.Uri) =>
      node instanceof ArtifactFileNode ? downloadWithProgress(node, logger, target) : undefined,
    ),
    // Any row that knows its artifact URI answers (artifact files, model versions, and runs of
    // the Experiments view if they implement artifactUriToCopy).
    registerCommand('mlwf.copyArtifactUri', async (node?: { artifactUriToCopy?: () => string }) => {
      if (typeof node?.artifactUriToCopy === 'function') await vscode.env.clipboard.writeText(node.artifactUriToCopy());
    }),
    registerCommand('mlwf.copyRunsUri', async (node?: ArtifactFileNode) => {
      if (node instanceof ArtifactFileNode) await vscode.env.clipboard.writeText(mlflowUriOf(node.source.owner, node.path));
    }),
  ];
}

async function openArtifact(node: ArtifactFileNode): Promise<void> {
  if (opensInEditor(node.path, node.size)) {
    await vscode.commands.executeCommand('vscode.open', node.uri, { preview: true });
    // MLflow's MLmodel has no extension but is YAML: colour it as such.
    const doc = vscode.window.activeTextEditor?.document;
    if (artifactBaseName(node.path) === 'MLmodel' && doc?.uri.toString() === node.uri.toString() && doc.languageId === 'plaintext') {
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    }
    return;
  }
  const download = vscode.l10n.t('Download…');
  const picked = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} ({1}) is a binary or large file and cannot be shown in an editor.', artifactBaseName(node.path), formatBytes(node.size) || '?'),
    download,
  );
  if (picked === download) await downloadWithProgress(node, undefined, undefined);
}

async function downloadWithProgress(node: ArtifactFileNode, logger: Logger | undefined, target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const name = artifactBaseName(node.path);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  target ??= await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), title: vscode.l10n.t('Download {0}', name) });
  if (!target) return undefined;
  // Remote-SSH workspaces use vscode-remote: URIs for files of the host this extension runs on.
  if (target.scheme !== 'file' && target.scheme !== 'vscode-remote') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Downloads can only be saved to a local folder of this machine.'));
    return undefined;
  }
  const destination = target;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', name), cancellable: true },
    async (progress, token) => {
      const { signal, dispose } = abortSignalFor(token);
      let reported = 0;
      try {
        await downloadArtifact(node.source.backend, node.source.owner, node.path, destination.fsPath, {
          signal,
          onProgress: (received, total) => {
            if (!total) return progress.report({ message: formatBytes(received) });
            const percent = (received / total) * 100;
            progress.report({ increment: percent - reported, message: `${formatBytes(received)} / ${formatBytes(total)}` });
            reported = percent;
          },
        });
        void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded {0}.', name));
        return destination;
      } catch (error) {
        if (token.isCancellationRequested) return undefined; // the partial file is already removed
        const message = isMlflowError(error) ? describeMlflowError(error) : String(error instanceof Error ? error.message : error);
        logger?.warn(`Download of ${node.path} (${node.source.owner.modelId ?? `run ${node.source.owner.runId}`}) failed: ${String(error)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not download {0}: {1}', name, message));
        return undefined;
      } finally {
        dispose();
      }
    },
  );
}
