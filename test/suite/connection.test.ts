// The connection feature inside a real VS Code extension host, against the test MLflow server
// behind a real nginx (Basic auth, /mlflow/ prefix). The code-server runner passes the rig's
// address and credentials as MLWF_TEST_* environment variables.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, rig } from './inHost';

const { trackingUri, username, password } = rig;

async function setTrackingUri(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('mlwf').update('trackingUri', value, vscode.ConfigurationTarget.Global);
}

describe('MLflow connection (real server behind nginx)', function () {
  this.timeout(60_000);

  before(function () {
    if (!trackingUri || !password) throw new Error('MLWF_TEST_TRACKING_URI / MLWF_TEST_PASSWORD are not set: start the suite through test/e2e/run-in-code-server.sh');
  });

  after(async () => {
    const { credentials } = await api();
    await credentials.delete(trackingUri);
    await setTrackingUri(undefined);
  });

  it('starts unconfigured when neither the setting nor MLFLOW_TRACKING_URI names a server', async () => {
    const { connection } = await api();
    await setTrackingUri(undefined);
    const state = await connection.refresh();
    assert.strictEqual(state.kind, 'unconfigured');
  });

  it('reports sign-in needed when nginx answers 401 (no stored credentials)', async () => {
    const { connection, credentials } = await api();
    await credentials.delete(trackingUri);
    await setTrackingUri(trackingUri);
    const state = await connection.refresh();
    assert.strictEqual(state.kind, 'signInNeeded');
    assert.strictEqual(connection.client, undefined, 'no client is handed out before the server accepts us');
  });

  it('rejects a wrong password with an auth error and keeps nothing', async () => {
    const { connection, credentials } = await api();
    const outcome = await connection.probe(trackingUri, { kind: 'basic', username, password: 'wrong-' + password });
    assert.strictEqual(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.error.kind === 'auth', `expected auth error, got ${!outcome.ok ? outcome.error.kind : 'ok'}`);
    assert.strictEqual(await credentials.get(trackingUri), undefined);
  });

  it('connects with the right password from secret storage, and the client lists experiments', async () => {
    const { connection, credentials } = await api();
    await credentials.set(trackingUri, { kind: 'basic', username, password });
    const state = await connection.refresh();
    assert.strictEqual(state.kind, 'connected');
    assert.ok(state.kind === 'connected' && state.user === username);
    const page = await connection.client!.searchExperimentsPage({ maxResults: 5 });
    assert.ok(page.experiments.length > 0, 'the demo scenario has experiments');
  });

  it('still connects with a TLS option set (undici, loaded on demand from its own bundle file)', async () => {
    const { connection } = await api();
    await vscode.workspace.getConfiguration('mlwf').update('tls.insecure', true, vscode.ConfigurationTarget.Global);
    try {
      const state = await connection.refresh();
      assert.strictEqual(state.kind, 'connected', 'requests go through the undici Agent and its fetch');
      const page = await connection.client!.searchExperimentsPage({ maxResults: 1 });
      assert.strictEqual(page.experiments.length, 1);
    } finally {
      await vscode.workspace.getConfiguration('mlwf').update('tls.insecure', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('never writes the password to settings', async () => {
    const config = vscode.workspace.getConfiguration('mlwf');
    const everything = JSON.stringify(['trackingUri', 'uiUrl', 'tls', 'requestTimeoutSeconds'].map((k) => config.inspect(k)));
    assert.ok(everything.includes(trackingUri.replace(/\/$/, '')), 'the server URL is in settings');
    assert.ok(!everything.includes(password), 'the password must not be in any mlwf setting');
  });

  it('logs each request (method, path, status) and never the password or Authorization header', async () => {
    const { logUri } = await api();
    const logFile = findLogFile(logUri.fsPath);
    assert.ok(logFile, `the MLWF log file exists under ${path.dirname(logUri.fsPath)}`);
    let text = '';
    for (let i = 0; i < 50 && !/experiments\/search.*→ 200/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100)); // the log channel flushes asynchronously
      text = fs.readFileSync(logFile, 'utf8');
    }
    assert.match(text, /GET \/mlflow\/api\/2\.0\/mlflow\/experiments\/search\S* → 401/);
    assert.match(text, /GET \/mlflow\/api\/2\.0\/mlflow\/experiments\/search\S* → 200 \(\d+ ms\)/);
    assert.ok(!text.includes(password), 'the log holds no password');
    assert.ok(!/authorization|basic [a-z0-9+/=]{8,}/i.test(text), 'the log holds no Authorization header');
  });

  it('forgets credentials on MLWF: Forget Credentials and asks to sign in again', async () => {
    const { connection, credentials } = await api();
    await vscode.commands.executeCommand('mlwf.forgetCredentials');
    assert.strictEqual(await credentials.get(trackingUri), undefined);
    assert.strictEqual(connection.state.kind, 'signInNeeded');
  });

  it('reports an unreachable server as unreachable, not as a sign-in problem', async () => {
    const { connection } = await api();
    await setTrackingUri('http://127.0.0.1:9/mlflow/');
    const state = await connection.refresh();
    assert.strictEqual(state.kind, 'unreachable');
  });
});

/** The LogOutputChannel's file: `<logUri>/MLWF.log` in current VS Code, searched around it otherwise. */
function findLogFile(extensionLogDir: string): string | undefined {
  const direct = path.join(extensionLogDir, 'MLWF.log');
  if (fs.existsSync(direct)) return direct;
  const windowDir = path.dirname(path.dirname(extensionLogDir));
  const stack = [windowDir];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (/MLWF\.log$/.test(entry.name)) return full;
    }
  }
  return undefined;
}
