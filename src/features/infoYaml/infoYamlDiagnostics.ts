// Live diagnostics for info.yaml files: on open, as the user types (debounced), and for every
// such file in the workspace on demand. Keeps the core's diagnostics per document so the code
// actions can find the fix behind a squiggle without validating twice.
import * as vscode from 'vscode';
import { validateInfoYaml, type InfoYamlDiagnostic } from '../../core/infoYaml';
import { isInfoYamlDocument } from './infoYamlFiles';
import { diagnosticText } from './infoYamlMessages';

export const DIAGNOSTIC_SOURCE = 'MLWF info.yaml';
const DEBOUNCE_MS = 300;

const SEVERITY: Record<InfoYamlDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function toVscodeDiagnostic(d: InfoYamlDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.start.line, d.start.character, d.end.line, d.end.character);
  const diagnostic = new vscode.Diagnostic(range, diagnosticText(d), SEVERITY[d.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  return diagnostic;
}

export class InfoYamlDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mlwf-info-yaml');
  private readonly latest = new Map<string, { version: number; diagnostics: InfoYamlDiagnostic[] }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents validated whatever their name, because they are open in the form editor. */
  private readonly forced = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were recomputed. */
  readonly onDidValidate = this.changed.event;

  constructor() {
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => this.validateIfInfoYaml(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('mlwf.infoYaml')) this.revalidateOpen();
      }),
    );
    this.revalidateOpen();
  }

  /** Validates this document from now on, whatever its file name (the form editor has it open). */
  track(document: vscode.TextDocument): vscode.Disposable {
    const key = document.uri.toString();
    this.forced.add(key);
    this.validate(document);
    return new vscode.Disposable(() => this.forced.delete(key));
  }

  applies(document: vscode.TextDocument): boolean {
    return this.forced.has(document.uri.toString()) || isInfoYamlDocument(document);
  }

  /** The core diagnostics of a document at its current version (validating now if stale). */
  diagnosticsFor(document: vscode.TextDocument): InfoYamlDiagnostic[] {
    const cached = this.latest.get(document.uri.toString());
    if (cached && cached.version === document.version) return cached.diagnostics;
    return this.validate(document);
  }

  validate(document: vscode.TextDocument): InfoYamlDiagnostic[] {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const diagnostics = validateInfoYaml(document.getText());
    this.latest.set(key, { version: document.version, diagnostics });
    this.collection.set(document.uri, diagnostics.map(toVscodeDiagnostic));
    this.changed.fire(document.uri);
    return diagnostics;
  }

  /** Sets diagnostics of a file that is not open (the workspace-wide command). */
  setForClosedFile(uri: vscode.Uri, diagnostics: InfoYamlDiagnostic[]): void {
    this.collection.set(uri, diagnostics.map(toVscodeDiagnostic));
  }

  private validateIfInfoYaml(document: vscode.TextDocument): void {
    if (this.applies(document)) this.validate(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!this.applies(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.validate(document), DEBOUNCE_MS));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.latest.delete(key);
    // A closed file keeps its problems only if the workspace command reported them; an open
    // file's are live, and go with it.
    this.collection.delete(uri);
  }

  private revalidateOpen(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (this.applies(doc)) this.validate(doc);
      else if (this.latest.has(doc.uri.toString())) this.forget(doc.uri);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
