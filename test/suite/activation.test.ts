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
        `appHost=${vscode.env.appHost}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, rig=${process.env.MLWF_TEST_RIG ?? '(none)'}`,
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

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
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
