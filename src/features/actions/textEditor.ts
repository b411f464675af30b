// Notes and descriptions in a real editor tab: `mlwf-text:` files whose content is the server's
// Markdown, saved back with one update call. The file's time (ChangeClock) moves on whenever the
// server's text differs from what the editor read, so VS Code's own "the content of the file is
// newer" question (Compare / Overwrite) appears on save when someone changed it meanwhile —
// nothing is ever overwritten silently.
import * as vscode from 'vscode';
import { ChangeClock, editableTextPath, parseEditableTextPath, readEditableText, writeEditableText, type EditableText } from '../../core/actions/editableText';
import { showActionError, writableClient, type ActionDeps } from './actionContext';
import { labelOf, redraw, targetOf, type ActionTarget } from './actionTargets';

export const TEXT_SCHEME = 'mlwf-text';

function refOf(target: ActionTarget): EditableText {
  switch (target.kind) {
    case 'run':
      return { kind: 'runNote', runId: target.node.runId };
    case 'experiment':
      return { kind: 'experimentNote', experimentId: target.node.experimentId };
    case 'registeredModel':
      return { kind: 'modelDescription', name: target.node.model.name };
    case 'modelVersion':
      return { kind: 'versionDescription', name: target.node.version.name, version: target.node.version.version };
  }
}

export class EditableTextFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly clock = new ChangeClock();
  /** The rows to redraw after a save (the tab may outlive them: then nothing is redrawn). */
  private readonly targets = new Map<string, ActionTarget>();

  constructor(private readonly deps: ActionDeps) {}

  uriFor(target: ActionTarget): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: TEXT_SCHEME, path: editableTextPath(refOf(target), labelOf(target)) });
    this.targets.set(uri.toString(), target);
    return uri;
  }

  private refFrom(uri: vscode.Uri): EditableText {
    const ref = parseEditableTextPath(uri.path);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    return ref;
  }

  private client(uri: vscode.Uri) {
    const client = this.deps.connection.client;
    if (!client) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Not connected to an MLflow tracking server: {0}', uri.path));
    return client;
  }

  private async current(uri: vscode.Uri): Promise<{ text: string; mtime: number }> {
    try {
      const text = await readEditableText(this.client(uri), this.refFrom(uri));
      return { text, mtime: this.clock.observe(uri.toString(), text) };
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      throw vscode.FileSystemError.Unavailable(error instanceof Error && 'userMessage' in error ? String(error.userMessage) : String(error));
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { text, mtime } = await this.current(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime, size: Buffer.byteLength(text) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from((await this.current(uri)).text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const text = Buffer.from(content).toString('utf8');
    const client = this.client(uri);
    try {
      await writeEditableText(client, this.refFrom(uri), text);
    } catch (error) {
      await showActionError(this.deps, error);
      throw vscode.FileSystemError.Unavailable(error instanceof Error && 'userMessage' in error ? String(error.userMessage) : String(error));
    }
    this.clock.observe(uri.toString(), text);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    const target = this.targets.get(uri.toString());
    if (target) await redraw(this.deps, client, target).catch(() => undefined);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

/** "Edit Note…" / "Edit Description…": opens the text as Markdown in an editor tab. */
export async function editTextCommand(deps: ActionDeps, files: EditableTextFileSystem, node: unknown): Promise<vscode.TextEditor | undefined> {
  const target = targetOf(node);
  if (!target || !writableClient(deps)) return undefined;
  try {
    const document = await vscode.workspace.openTextDocument(files.uriFor(target));
    const markdown = document.languageId === 'markdown' ? document : await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    return await vscode.window.showTextDocument(markdown, { preview: false });
  } catch (error) {
    await showActionError(deps, error);
    return undefined;
  }
}
