// MLWF: Send Sample Request — the model's input example opens as an editable JSON request; Send
// posts it to the served model's /invocations and opens the predictions beside it.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SERVE_URL_FILE } from '../../core/container/jobScripts';
import { ScoringError, invocationsUrl, requestBodyFor, sendScoringRequest, type ScoringResult } from '../../core/container/sampleRequest';
import type { Logger } from '../../host/logger';
import { chooseImageFolder } from './imageFolders';

export const REQUEST_CONTEXT = 'mlwf.sampleRequestActive';

export interface SentRequest {
  readonly result: ScoringResult;
  readonly resultDocument: vscode.TextDocument;
}

export class SampleRequests implements vscode.Disposable {
  /** Request documents → the container folder they belong to. */
  private readonly requests = new Map<string, vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly logger: Logger,
    private readonly lastPorts: Map<string, number>,
  ) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((e) => this.updateContext(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.requests.delete(doc.uri.toString())),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private updateContext(editor: vscode.TextEditor | undefined): void {
    void vscode.commands.executeCommand('setContext', REQUEST_CONTEXT, !!editor && this.requests.has(editor.document.uri.toString()));
  }

  isRequest(doc: vscode.TextDocument | undefined): boolean {
    return !!doc && this.requests.has(doc.uri.toString());
  }

  /** The command: sends the active request, else opens one for a container folder. */
  async command(arg: unknown): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    // Errors were shown to the user by sendDocument; the command itself just ends.
    if (!(arg instanceof vscode.Uri) && this.isRequest(active)) {
      await this.sendDocument(active!).catch(() => undefined);
      return;
    }
    const folder = await chooseImageFolder(arg);
    if (!folder) return;
    await this.open(folder);
    const send = vscode.l10n.t('Send');
    const action = await vscode.window.showInformationMessage(vscode.l10n.t('Edit the request if you like, then send it to the served model.'), send);
    const doc = vscode.window.activeTextEditor?.document;
    if (action === send && this.isRequest(doc)) await this.sendDocument(doc!).catch(() => undefined);
  }

  /** Opens the request document for a folder: its input example as MLflow's scoring server takes it. */
  async open(folder: vscode.Uri): Promise<vscode.TextDocument> {
    const modelDir = path.join(folder.fsPath, 'model');
    const example = ['input_example.json', 'serving_input_example.json'].map((f) => path.join(modelDir, f)).find((f) => existsSync(f));
    let body: unknown = { dataframe_split: { columns: [], data: [[]] } };
    if (example) {
      try {
        body = requestBodyFor(JSON.parse(readFileSync(example, 'utf8')));
      } catch {
        void vscode.window.showWarningMessage(vscode.l10n.t('The model\'s input example is not valid JSON; starting from an empty request.'));
      }
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('The model has no input example: fill in the request.'));
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(body, null, 2)}\n` });
    this.requests.set(doc.uri.toString(), folder);
    await vscode.window.showTextDocument(doc, { preview: false });
    this.updateContext(vscode.window.activeTextEditor);
    return doc;
  }

  /** Where the model is served: serve.url written by serve.sh, else the port Serve Model chose. */
  defaultUrl(folder: vscode.Uri): string {
    const file = path.join(folder.fsPath, SERVE_URL_FILE);
    if (existsSync(file)) {
      const url = readFileSync(file, 'utf8').trim();
      if (/^https?:\/\//.test(url)) return url;
    }
    return `http://127.0.0.1:${this.lastPorts.get(folder.fsPath) ?? 5000}`;
  }

  async sendDocument(doc: vscode.TextDocument, url?: string): Promise<SentRequest | undefined> {
    const folder = this.requests.get(doc.uri.toString());
    if (!folder) return undefined;
    url ??= await vscode.window.showInputBox({
      title: vscode.l10n.t('Send Sample Request'),
      prompt: vscode.l10n.t('Address of the served model'),
      value: this.defaultUrl(folder),
      validateInput: (v) => {
        try {
          invocationsUrl(v);
          return undefined;
        } catch {
          return vscode.l10n.t('Enter an address like http://127.0.0.1:5000');
        }
      },
    });
    if (!url) return undefined;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending the request to {0}…', url), cancellable: true },
        (_p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return sendScoringRequest(url!, doc.getText(), controller.signal);
        },
      );
      this.logger.info(`Sample request to ${invocationsUrl(url)}: ${result.status} in ${result.durationMs} ms.`);
      const resultDocument = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify({ predictions: result.predictions }, null, 2)}\n` });
      await vscode.window.showTextDocument(resultDocument, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      const count = Array.isArray(result.predictions) ? result.predictions.length : 1;
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} prediction(s) from the model in {1} ms.', String(count), String(result.durationMs)));
      return { result, resultDocument };
    } catch (err) {
      const message = err instanceof ScoringError ? err.message : String(err);
      this.logger.warn(`Sample request to ${url}: ${message}`);
      const retry = vscode.l10n.t('Retry');
      const serve = vscode.l10n.t('Serve Model');
      void vscode.window.showErrorMessage(message, retry, serve).then((a) => {
        if (a === retry) void this.sendDocument(doc, url);
        if (a === serve) void vscode.commands.executeCommand('mlwf.serveModel', folder);
      });
      throw err;
    }
  }
}
