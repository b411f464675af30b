// Read-only FileSystemProvider for `mlwf-s3://<bucket>/<key>`: a click on a text or image object in
// the Cloud Storage view opens it in an editor (syntax colouring, search) without a download. The
// extension host, on the Remote-SSH machine that reaches Cloud Storage, reads the bytes with the
// view's client and keys. Writes are refused: editing in place would bypass the upload's checks.
import type { S3Client } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { OPEN_IN_EDITOR_MAX_BYTES } from '../../core/artifacts/artifactPaths';
import { readObject, statObject, storageError, type ObjectRef } from '../../core/cloudStorage';
import { ReadonlyFileSystemProvider } from '../../host/readonlyFileSystemProvider';
import { storageErrorMessage } from './storageMessages';

export const STORAGE_SCHEME = 'mlwf-s3';

/** The editor URI of an object: the bucket as authority, the key as path. */
export function storageObjectUri(bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STORAGE_SCHEME, authority: bucket, path: `/${key}` });
}

export class StorageFileSystemProvider extends ReadonlyFileSystemProvider {
  /** `client()` is the Cloud Storage view's client (undefined without keys). */
  constructor(private readonly client: () => Promise<S3Client | undefined>) {
    super();
  }

  static register(client: () => Promise<S3Client | undefined>): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(STORAGE_SCHEME, new StorageFileSystemProvider(client), { isCaseSensitive: true, isReadonly: true });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const stat = await this.call(uri, (client, object) => statObject(client, object));
    const mtime = stat.lastModified?.getTime() ?? 0;
    return { type: vscode.FileType.File, ctime: mtime, mtime, size: stat.size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.call(uri, (client, object) => readObject(client, object, { maxBytes: OPEN_IN_EDITOR_MAX_BYTES }));
  }

  readDirectory(): [string, vscode.FileType][] {
    // Folders are browsed in the Cloud Storage view, not through this scheme.
    return [];
  }

  /** Cloud Storage errors become the FileSystemErrors editors understand, worded like the view's. */
  private async call<T>(uri: vscode.Uri, fn: (client: S3Client, object: ObjectRef) => Promise<T>): Promise<T> {
    const object = { bucket: uri.authority, key: uri.path.replace(/^\//, '') };
    if (!object.bucket || !object.key) throw vscode.FileSystemError.FileNotFound(uri);
    const client = await this.client();
    if (!client) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('No Cloud Storage keys are set.'));
    try {
      return await fn(client, object);
    } catch (e) {
      if (e instanceof RangeError) throw vscode.FileSystemError.Unavailable(e.message);
      const error = storageError(e);
      const where = `s3://${object.bucket}/${object.key}`;
      if (error.kind === 'notFound' || error.kind === 'noSuchBucket') throw vscode.FileSystemError.FileNotFound(uri);
      if (error.kind === 'credentials' || error.kind === 'accessDenied') throw vscode.FileSystemError.NoPermissions(storageErrorMessage(error, where));
      throw vscode.FileSystemError.Unavailable(storageErrorMessage(error, where));
    }
  }
}
