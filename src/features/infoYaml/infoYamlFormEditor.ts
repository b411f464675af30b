// "Open With… ▸ info.yaml form": a custom text editor over the same TextDocument as the text
// editor. Every form edit becomes a WorkspaceEdit of only the characters concerned (the core
// computes them, keeping comments and order), so undo/redo, dirty state, save and a text editor
// beside it all stay in sync; every document change is sent back to the form.
import * as vscode from 'vscode';
import { fieldAt, INFO_YAML_FIELDS, parseInfoYaml, readFormValues, setList, setScalar, type ParsedInfoYaml, type TextEdit } from '../../core/infoYaml';
import { isInfoYamlFormWebviewMessage, type DocumentStateMessage, type FormField, type FormLabels, type InfoYamlFormHostMessage, type InfoYamlFormWebviewMessage } from '../../protocol/infoYamlForm';
import type { Logger } from '../../host/logger';
import { webviewHtml } from '../../host/webviewHtml';
import type { InfoYamlDiagnostics } from './infoYamlDiagnostics';
import { isJapanese, problemText, titleOf } from './infoYamlMessages';

export const INFO_YAML_FORM_VIEW_TYPE = 'mlwf.infoYamlForm';

function labels(): FormLabels {
  return {
    title: vscode.l10n.t('ABCI Datasets registration (info.yaml)'),
    required: vscode.l10n.t('required'),
    add: vscode.l10n.t('Add'),
    remove: vscode.l10n.t('Remove'),
    openText: vscode.l10n.t('Open as Text Beside'),
    fileProblems: vscode.l10n.t('Problems in the file'),
    cannotParse: vscode.l10n.t('The form is read-only until the text is valid YAML: fix the problems below in the text editor.'),
    readOnly: vscode.l10n.t('This value has a shape the form cannot edit: change it in the text editor.'),
    valid: vscode.l10n.t('No problems: ready for ABCI Datasets.'),
  };
}

function fields(): FormField[] {
  const ja = isJapanese();
  return INFO_YAML_FIELDS.map((f) => ({
    key: f.path.join('.'),
    kind: f.kind,
    label: titleOf(f.path) === f.path[f.path.length - 1] ? f.path[f.path.length - 1]! : `${titleOf(f.path)} (${f.path[f.path.length - 1]})`,
    description: ja ? f.description.ja : f.description.en,
    required: f.required,
    oneOfNote: f.oneOfGroup ? vscode.l10n.t('Email or URL: at least one is required.') : '',
    depth: f.path.length - 1,
  }));
}

const unreadable = (parsed: ParsedInfoYaml): boolean =>
  !parsed.tree || (parsed.doc?.errors.length ?? 1) > 0 || parsed.tree.value === null || typeof parsed.tree.value !== 'object' || Array.isArray(parsed.tree.value);

export class InfoYamlFormEditorProvider implements vscode.CustomTextEditorProvider {
  private queue: Promise<unknown> = Promise.resolve();
  /** Open form panels by document URI (used by tests and the "is the form open" check). */
  readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly diagnostics: InfoYamlDiagnostics,
    private readonly logger: Logger,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')] };
    webview.html = webviewHtml(webview, this.extensionUri, { bundle: 'infoYamlForm', stylesheet: 'infoYamlForm.css', rootId: 'form', title: labels().title, images: true });
    this.panels.set(document.uri.toString(), panel);

    let ready = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = (message: InfoYamlFormHostMessage): void => {
      if (ready) void webview.postMessage(message);
    };
    const sendState = (): void => {
      clearTimeout(timer);
      timer = undefined;
      post(this.stateOf(document));
    };
    const subscriptions = [
      this.diagnostics.track(document),
      webview.onDidReceiveMessage((raw: unknown) => {
        if (!isInfoYamlFormWebviewMessage(raw)) {
          this.logger.warn('info.yaml form: ignored a malformed message from the webview');
          return;
        }
        if (raw.type === 'ready') {
          ready = true;
          post({ type: 'init', fields: fields(), labels: labels() });
          sendState();
          return;
        }
        void this.handle(document, raw);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        // Typing in the text editor beside: coalesce a burst of changes into one form update.
        if (event.document.uri.toString() === document.uri.toString() && !timer) timer = setTimeout(sendState, 50);
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      this.panels.delete(document.uri.toString());
      for (const s of subscriptions) s.dispose();
    });
  }

  /** Applies one message from the form (public so in-host tests can drive the host side directly). */
  handle(document: vscode.TextDocument, message: InfoYamlFormWebviewMessage): Promise<boolean> {
    switch (message.type) {
      case 'ready':
        return Promise.resolve(true);
      case 'openText':
        return Promise.resolve(vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false })).then(() => true);
      case 'setField': {
        const path = message.key.split('.');
        const kind = fieldAt(path)?.kind;
        if (!kind || kind === 'group' || kind === 'list' || kind === 'urlList') return Promise.resolve(false);
        return this.enqueue(document, (parsed) => setScalar(parsed, path, message.value));
      }
      case 'setList': {
        const path = message.key.split('.');
        const kind = fieldAt(path)?.kind;
        if (kind !== 'list' && kind !== 'urlList') return Promise.resolve(false);
        return this.enqueue(document, (parsed) => setList(parsed, path, message.values));
      }
    }
  }

  /** Edits run one after another, each computed on the text as it is when its turn comes. */
  private enqueue(document: vscode.TextDocument, compute: (parsed: ParsedInfoYaml) => TextEdit[]): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const parsed = parseInfoYaml(document.getText());
      if (unreadable(parsed)) return false;
      const edits = compute(parsed);
      if (edits.length === 0) return true;
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
      const applied = await vscode.workspace.applyEdit(edit);
      if (!applied) {
        this.logger.warn(`info.yaml form: VS Code refused an edit of ${document.uri.toString()}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not change the file (it may be read-only): the form shows the file as it is.'));
        this.panels.get(document.uri.toString())?.webview.postMessage(this.stateOf(document));
      }
      return applied;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  stateOf(document: vscode.TextDocument): DocumentStateMessage {
    const parsed = parseInfoYaml(document.getText());
    const { values, readOnly } = readFormValues(parsed);
    const problems: Record<string, string[]> = {};
    for (const d of this.diagnostics.diagnosticsFor(document)) {
      const key = fieldAt(d.field) && d.code !== 'unknown-key' && d.code !== 'duplicate-key' ? d.field.join('.') : '';
      (problems[key] ??= []).push(problemText(d));
    }
    return { type: 'document', version: document.version, values, readOnly, problems, unreadable: unreadable(parsed) };
  }
}
