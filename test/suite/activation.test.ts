// Runs inside the VS Code extension host (code-server or @vscode/test-electron): the extension is
// installed from the repository (extensionDevelopmentPath), activates and registers its commands.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mlwf.mlwf-vscode';
const COMMANDS = ['mlwf.connect', 'mlwf.signIn', 'mlwf.forgetCredentials', 'mlwf.testConnection', 'mlwf.showLog'];

describe('activation', () => {
  it('reports where the extension host runs', () => {
    // code-server: a Node remote extension host like Remote-SSH (remoteName is set);
    // test-electron: a local extension host (remoteName undefined).
    console.log(
      `    vscode ${vscode.version}, node ${process.version}, remoteName=${vscode.env.remoteName ?? '(local)'}, ` +
        `appHost=${vscode.env.appHost}, language=${vscode.env.language}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, rig=${process.env.MLWF_TEST_RIG ?? '(none)'}`,
    );
    if (process.env.MLWF_TEST_RIG === 'code-server') {
      assert.ok(vscode.env.remoteName, 'code-server runs the extension in a remote extension host');
    }
  });

  it(`finds the extension ${EXTENSION_ID}`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed; extensions: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    assert.strictEqual(ext.packageJSON.publisher, 'mlwf');
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('records how long activate() took (figures belong in bench/, this only prints it)', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as { activationMs: number };
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs = ${api.activationMs}`);
    console.log(`    activate() took ${api.activationMs.toFixed(1)} ms in this extension host`);
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('registers every command package.json declares, and declares every command it registers', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const declared = new Set((ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command));
    // Our own ids only: VS Code also registers `<viewId>.focus`, `.resetViewLocation`, … for our
    // views (a view `mlwf.models` and our command `mlwf.models.loadMore` share that prefix).
    const views = (Object.values(ext.packageJSON.contributes.views) as { id: string }[][]).flat().map((v) => v.id);
    const byVsCode = (c: string) => !declared.has(c) && views.some((v) => c.startsWith(`${v}.`));
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('mlwf.') && !byVsCode(c));
    const registered = new Set(ours);
    assert.deepStrictEqual([...declared].filter((c) => !registered.has(c)), [], 'declared in package.json but never registered');
    assert.deepStrictEqual([...registered].filter((c) => !declared.has(c)), [], 'registered but not declared (hide it with menus.commandPalette "when": "false")');
  });

  it('starts unconfigured: no MLFLOW_TRACKING_URI and no mlwf.trackingUri setting', function () {
    if (!process.env.MLWF_TEST_RIG) this.skip(); // only meaningful under the test rigs, which clear the variable
    assert.strictEqual(process.env.MLFLOW_TRACKING_URI, undefined);
    assert.strictEqual(vscode.workspace.getConfiguration('mlwf').get<string>('trackingUri'), '');
  });

  it('sees the test MLflow server from the rig (MLWF_TEST_* variables)', function () {
    if (!process.env.MLWF_TEST_RIG) this.skip();
    const uri = process.env.MLWF_TEST_TRACKING_URI;
    assert.ok(uri, 'MLWF_TEST_TRACKING_URI is not set in the extension host');
    assert.doesNotThrow(() => new URL(uri), `not a URL: ${uri}`);
    assert.ok(process.env.MLWF_TEST_USERNAME, 'MLWF_TEST_USERNAME is not set');
    assert.ok(process.env.MLWF_TEST_PASSWORD, 'MLWF_TEST_PASSWORD is not set');
  });
});
