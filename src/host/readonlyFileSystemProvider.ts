// What every read-only file system of the extension shares (mlwf-artifact: for run artifacts,
// mlwf-s3: for Cloud Storage objects): nothing to watch, since what they show does not change
// under an open editor, and every write refused with NoPermissions. Subclasses read.
import * as vscode from 'vscode';

export abstract class ReadonlyFileSystemProvider implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  abstract stat(uri: vscode.Uri): Promise<vscode.FileStat>;
  abstract readDirectory(uri: vscode.Uri): [string, vscode.FileType][] | Promise<[string, vscode.FileType][]>;
  abstract readFile(uri: vscode.Uri): Promise<Uint8Array>;

  watch(): vscode.Disposable {
    // Logged artifacts never change; an opened object is a snapshot ("Revert File" reads it again).
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
