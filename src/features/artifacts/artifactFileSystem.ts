// Read-only FileSystemProvider for `mlwf-artifact://run/<runId>/<path>` and, for MLflow 3
// logged models, `mlwf-artifact://model/<m-id>/<path>`. The extension host
// (on the Remote-SSH machine, where the MLflow server is reachable) fetches the bytes, so the
// editor on the user's laptop never talks to MLflow. Writes are refused: artifacts are a record
// of a finished run, and the registration is `isReadonly` so editors say so.
import * as vscode from 'vscode';
import { artifactBaseName, artifactDirName, OPEN_IN_EDITOR_MAX_BYTES } from '../../core/artifacts/artifactPaths';
import { ARTIFACT_SCHEME, parseArtifactUriPath, type ArtifactLocation } from '../../core/artifacts/artifactUri';
import { downloadOwnerArtifact, listOwnerArtifacts, type ArtifactOwner } from '../../core/backend/modelFiles';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { isMlflowError } from '../../core/mlflow';
import { ReadonlyFileSystemProvider } from '../../host/readonlyFileSystemProvider';

export class ArtifactFileSystemProvider extends ReadonlyFileSystemProvider {
  /** `backend()` is the current connection's client (undefined while not connected). */
  constructor(private readonly backend: () => TrackingBackend | undefined) {
    super();
  }

  static register(backend: () => TrackingBackend | undefined): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, new ArtifactFileSystemProvider(backend), {
      isCaseSensitive: true,
      isReadonly: true,
    });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { location, backend } = this.resolve(uri);
    if (location.path === '') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    // artifacts/list of the parent folder is the only way MLflow tells a file's size and kind.
    const listing = await this.call(uri, () => listOwnerArtifacts(backend, ownerOf(location), artifactDirName(location.path) || undefined));
    const entry = listing.files.find((f) => f.path === location.path);
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: entry.is_dir ? vscode.FileType.Directory : vscode.FileType.File,
      ctime: 0,
      mtime: 0,
      size: entry.file_size ?? 0,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { location, backend } = this.resolve(uri);
    const listing = await this.call(uri, () => listOwnerArtifacts(backend, ownerOf(location), location.path || undefined));
    const prefix = location.path === '' ? '' : `${location.path}/`;
    return listing.files
      .filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/') && f.path !== location.path)
      .map((f) => [artifactBaseName(f.path), f.is_dir ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { location, backend } = this.resolve(uri);
    if (location.path === '') throw vscode.FileSystemError.FileIsADirectory(uri);
    return this.call(uri, async () => {
      const download = await downloadOwnerArtifact(backend, ownerOf(location), location.path);
      if (download.contentLength !== undefined && download.contentLength > OPEN_IN_EDITOR_MAX_BYTES * 5) {
        await download.body.cancel();
        throw vscode.FileSystemError.Unavailable(vscode.l10n.t('{0} is too large to open in an editor: use Download… instead.', artifactBaseName(location.path)));
      }
      return new Uint8Array(await new Response(download.body).arrayBuffer());
    });
  }

  private resolve(uri: vscode.Uri): { location: ArtifactLocation; backend: TrackingBackend } {
    const location = parseArtifactUriPath(uri.authority, uri.path);
    // An unsafe path is reported as "not found", never normalised into some other file.
    if (!location) throw vscode.FileSystemError.FileNotFound(uri);
    const backend = this.backend();
    if (!backend) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Not connected to an MLflow server.'));
    return { location, backend };
  }

  /** MLflow errors become the FileSystemErrors editors understand. */
  private async call<T>(uri: vscode.Uri, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!isMlflowError(error)) throw error;
      if (error.kind === 'notFound' || error.kind === 'invalidParameter') throw vscode.FileSystemError.FileNotFound(uri);
      if (error.kind === 'auth' || error.kind === 'forbidden') throw vscode.FileSystemError.NoPermissions(error.userMessage);
      throw vscode.FileSystemError.Unavailable(error.userMessage);
    }
  }
}

function ownerOf(location: ArtifactLocation): ArtifactOwner {
  return location.modelId !== undefined ? { modelId: location.modelId } : { runId: location.runId };
}
