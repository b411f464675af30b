// info.yaml in a real VS Code: diagnostics appear when an export's info.yaml is opened and follow
// edits, quick fixes are offered and applied through the code action API, the workspace command
// checks closed files, and the form editor's host side edits the TextDocument (undo included).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, setSetting } from './inHost';

const INVALID = `# Registration for ABCI Datasets
Name: Wine quality ElasticNet
Description: Too short.
Keywords: mlflow
Creator:
  Name: ABC Team
  ContactPoint:
    Email: team@example.com
License:
  Name: MIT License
Version: 1.0  # quote me
`;

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const codes = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

describe('info.yaml diagnostics, quick fixes and form (real extension host)', function () {
  this.timeout(60_000);
  let root: string;
  let exportDir: string;

  before(async () => {
    await api();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    exportDir = path.join(root, 'MLWFExportModel_20240105093000');
    fs.mkdirSync(exportDir, { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('infoYaml.filePatterns', undefined);
    fs.rmSync(exportDir, { recursive: true, force: true });
    fs.rmSync(path.join(root, 'datasets'), { recursive: true, force: true });
  });

  function write(name: string, text: string, dir = exportDir): vscode.Uri {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return vscode.Uri.file(file);
  }

  it('shows diagnostics with code and range when an export info.yaml is opened', async () => {
    const uri = write('info.yaml', INVALID);
    await vscode.window.showTextDocument(uri);
    await waitFor('diagnostics', () => vscode.languages.getDiagnostics(uri).length === 3);
    assert.deepStrictEqual(codes(uri), ['description-too-short@2:13-2:23', 'not-a-list@3:10-3:16', 'version-not-string@10:9-10:12']);
    const short = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'description-too-short')!;
    assert.strictEqual(short.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(short.source, 'MLWF info.yaml');
    assert.match(short.message, /Description has 10 characters; it must be more than 50\.\nRule: .*more than 50 characters/);
  });

  it('updates the diagnostics as the text is edited', async () => {
    const editor = vscode.window.activeTextEditor!;
    const line = editor.document.lineAt(2);
    await editor.edit((b) => b.replace(line.range, 'Description: An ElasticNet regression model trained on the UCI wine quality data set.'));
    await waitFor('the Description problem to go', () => !codes(editor.document.uri).some((c) => c.startsWith('description-too-short')));
    assert.deepStrictEqual(codes(editor.document.uri), ['not-a-list@3:10-3:16', 'version-not-string@10:9-10:12']);
  });

  it('offers the quick fixes through the light-bulb API and applies them, keeping comments', async () => {
    const doc = vscode.window.activeTextEditor!.document;
    for (const [code, title] of [['version-not-string', 'Quote Version'], ['not-a-list', 'Make Keywords a block sequence']] as const) {
      const diagnostic = vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === code)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const action = actions.find((a) => a.title === title);
      assert.ok(action, `${title} among ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(action.isPreferred);
      assert.ok(await vscode.workspace.applyEdit(action.edit!));
      await waitFor(`${code} to go`, () => !codes(doc.uri).some((c) => c.startsWith(code)));
    }
    assert.ok(doc.getText().startsWith('# Registration for ABCI Datasets\n'));
    assert.ok(doc.getText().includes('Keywords:\n  - mlflow\nCreator:'));
    assert.ok(doc.getText().endsWith('Version: "1.0"  # quote me\n'));
    assert.deepStrictEqual(codes(doc.uri), []);
    await doc.save();
  });

  it('completes keys of the mapping at the cursor and explains a key on hover (no Red Hat YAML here)', async () => {
    const doc = vscode.window.activeTextEditor!.document;
    const line = doc.getText().split('\n').indexOf('  Name: ABC Team');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(line + 1, 0), '  U\n');
    await vscode.workspace.applyEdit(edit);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line + 1, 3));
    const ours = list.items.filter((i) => typeof i.detail === 'string' && i.detail.length > 0).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepStrictEqual(ours, ['URL']);
    await vscode.commands.executeCommand('undo');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)))).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(text, /Creator name[\s\S]*organisation or person who made it/);
  });

  it('leaves other YAML files alone until a pattern in mlwf.infoYaml.filePatterns names them', async () => {
    const uri = write('datasets/wine.yaml', 'Name: x\n', root);
    await vscode.window.showTextDocument(uri);
    await new Promise((r) => setTimeout(r, 700));
    assert.deepStrictEqual(codes(uri), []);
    await setSetting('infoYaml.filePatterns', ['**/datasets/*.yaml']);
    await waitFor('diagnostics after the setting', () => codes(uri).length > 0);
    assert.ok(codes(uri).includes('missing-required@0:0-0:4'), codes(uri).join());
  });

  it('validates closed files of the workspace with MLWF: Validate info.yaml Files', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const closed = write('info.yaml', 'Name: only a name\n', path.join(root, 'MLWFExportModel_20240106000000'));
    try {
      const result = await (await api()).infoYaml.validateWorkspace();
      assert.strictEqual(result.cancelled, false);
      assert.ok(result.files >= 3, `files: ${result.files}`);
      assert.ok(result.withErrors >= 2, `with errors: ${result.withErrors}`);
      assert.ok(codes(closed).filter((c) => c.startsWith('missing-required')).length === 4, codes(closed).join());
    } finally {
      fs.rmSync(path.dirname(closed.fsPath), { recursive: true, force: true });
    }
  });

  it('never throws or hangs on bad input: 5 MB, a top-level list, tabs', async () => {
    const cases: [string, string, string][] = [
      ['big', `Name: x\nAdditionalInfo: |\n${'  line\n'.repeat(800_000)}`, 'too-large'],
      ['list', '- a\n- b\n', 'not-a-mapping'],
      ['tabs', 'Name: x\nKeywords:\n\t- a\n', 'tab-indent'],
    ];
    for (const [name, text, code] of cases) {
      const dir = path.join(root, `MLWFExportModel_${name}`);
      try {
        const uri = write('info.yaml', text, dir);
        const started = Date.now();
        await vscode.workspace.openTextDocument(uri);
        await waitFor(`${code} on ${name}`, () => codes(uri).some((c) => c.startsWith(code)));
        // A guard against hangs, not a speed test (that is bench/infoYamlValidate.bench.ts): generous,
        // since the machines that run the suite are shared.
        assert.ok(Date.now() - started < 20_000, `${name} took ${Date.now() - started} ms`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('binary garbage: VS Code will not open it as text, and the workspace command reports it', async () => {
    const dir = path.join(root, 'MLWFExportModel_binary');
    try {
      const uri = write('info.yaml', '\u0000\u0001\u0002PNG\u0000', dir);
      await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(uri)), /binary/);
      await (await api()).infoYaml.validateWorkspace();
      assert.deepStrictEqual(codes(uri), ['not-text@0:0-0:1']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the form editor edits the TextDocument (dirty, undo) and follows text edits', async () => {
    const a = await api();
    const uri = write('form/info.yaml', INVALID);
    await vscode.commands.executeCommand('mlwf.openInfoYamlForm', uri);
    const panel = await waitFor('the form panel', () => a.infoYaml.form.panels.get(uri.toString()));
    // Strict CSP: nothing but our own script (with this load's nonce) and styles.
    const html = panel.webview.html;
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'a nonce');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[^']+'; style-src [^;]+; font-src [^;]+; img-src [^;"]+">/);
    assert.doesNotMatch(html, /unsafe-(inline|eval)/);
    assert.strictEqual((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src=`));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(await a.infoYaml.form.handle(doc, { type: 'setField', key: 'Name', value: 'Wine: ElasticNet' }));
    assert.ok(doc.getText().includes('\nName: "Wine: ElasticNet"\n'), doc.getText());
    assert.ok(doc.isDirty);
    assert.ok(await a.infoYaml.form.handle(doc, { type: 'setList', key: 'Keywords', values: ['mlflow', 'wine'] }));
    assert.ok(doc.getText().includes('Keywords:\n  - mlflow\n  - wine\nCreator:'), doc.getText());
    assert.ok(doc.getText().startsWith('# Registration for ABCI Datasets\n') && doc.getText().includes('# quote me'));
    // Rejected: unknown keys, a list message for a text field.
    assert.strictEqual(await a.infoYaml.form.handle(doc, { type: 'setField', key: 'Keywords', value: 'x' }), false);
    assert.strictEqual(await a.infoYaml.form.handle(doc, { type: 'setField', key: 'Nope', value: 'x' }), false);

    const state = a.infoYaml.form.stateOf(doc);
    assert.deepStrictEqual(state.values.Keywords, ['mlflow', 'wine']);
    assert.ok(state.problems.Description?.[0]?.includes('must be more than 50'));
    assert.strictEqual(state.problems.Keywords, undefined);

    // The text side changes: the form state follows.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(2).range, 'Description: An ElasticNet regression model trained on the UCI wine quality data set.');
    await vscode.workspace.applyEdit(edit);
    assert.strictEqual(a.infoYaml.form.stateOf(doc).values.Description, 'An ElasticNet regression model trained on the UCI wine quality data set.');

    // Undo goes back through the form's edits like any text edit.
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo of the list edit', () => doc.getText().includes('Keywords: mlflow\n'));
    await doc.save();
    assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), doc.getText());
  });
});
