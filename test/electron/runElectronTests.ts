// Runs the in-host suite (dist/test/suite/index.js) in a desktop VS Code through @vscode/test-electron,
// against the same test MLflow server as the code-server rig (test/e2e/run-in-code-server.sh host).
//   npm run test:electron        (esbuild compiles this file to dist/test/electron/runElectronTests.js)
// @vscode/test-electron downloads VS Code unless VSCODE_EXECUTABLE names an installed one; offline
// machines use the code-server rig instead. Environment:
//   VSCODE_EXECUTABLE   path of a VS Code executable to use instead of downloading
//   VSCODE_VERSION      version to download (default 'stable')
//   MLWF_TEST_GREP      mocha grep passed through to the suite
//   MLWF_TEST_NO_SERVERS=1  do not start test/servers/start.ts (tests needing the server then fail)
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

// dist/test/electron/runElectronTests.js -> repository root
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_START_TIMEOUT_MS = 120_000;

interface TestServers {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Parses KEY=VALUE lines (the env file written by test/servers/start.ts). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    env[m[1]] = value;
  }
  return env;
}

/** Starts the test MLflow server behind nginx (scenario "demo") and waits for its env file. */
async function startTestServers(workDir: string): Promise<TestServers> {
  const envFile = path.join(workDir, 'servers.env');
  const logFile = path.join(workDir, 'servers.log');
  const log = fs.openSync(logFile, 'w');
  // Node itself consumes "--env-file FILE" even after the script name and aborts when FILE does not
  // exist: create it empty first (node then loads nothing from it; start.ts overwrites it).
  fs.writeFileSync(envFile, '', { mode: 0o600 });
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'servers', 'start.ts'), '--scenario', 'demo', '--env-file', envFile],
    { cwd: REPO_ROOT, stdio: ['ignore', log, log], detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL'); // the whole process group (nginx, MLflow)
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const env = fs.existsSync(envFile) ? parseEnvFile(fs.readFileSync(envFile, 'utf8')) : {};
    if (env.MLWF_TEST_TRACKING_URI) {
      await new Promise((r) => setTimeout(r, 200)); // let the writer finish the file
      return { env: parseEnvFile(fs.readFileSync(envFile, 'utf8')), stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '';
  throw new Error(`the test MLflow server did not start within ${SERVER_START_TIMEOUT_MS} ms:\n${tail}`);
}

async function main(): Promise<number> {
  const cacheDir = path.join(REPO_ROOT, '.cache', 'vscode-test');
  fs.mkdirSync(cacheDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(cacheDir, 'electron.'));
  const workspace = path.join(workDir, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), 'Workspace opened by the MLWF test-electron runner.\n');

  let servers: TestServers | undefined;
  const stopServers = () => servers?.stop();
  process.once('SIGINT', () => void stopServers()?.finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stopServers()?.finally(() => process.exit(143)));
  try {
    if (!process.env.MLWF_TEST_NO_SERVERS) {
      servers = await startTestServers(workDir);
      console.log(`test MLflow server: ${servers.env.MLWF_TEST_TRACKING_URI}`);
    }
    const extensionTestsEnv: Record<string, string | undefined> = {
      ...(servers?.env ?? {}),
      MLWF_TEST_RIG: 'electron',
      MLWF_TEST_GREP: process.env.MLWF_TEST_GREP,
      // The extension must start unconfigured unless a test configures it.
      MLFLOW_TRACKING_URI: undefined,
      MLFLOW_TRACKING_USERNAME: undefined,
      MLFLOW_TRACKING_PASSWORD: undefined,
      MLFLOW_TRACKING_TOKEN: undefined,
    };
    // runTests merges extensionTestsEnv into process.env: an undefined value does not remove a
    // variable, so clear the inherited ones here.
    for (const key of ['MLFLOW_TRACKING_URI', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD', 'MLFLOW_TRACKING_TOKEN']) {
      delete process.env[key];
    }
    const exitCode = await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'dist', 'test', 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(workDir, 'user-data')}`,
        `--extensions-dir=${path.join(workDir, 'extensions')}`,
      ],
      extensionTestsEnv,
      ...(process.env.VSCODE_EXECUTABLE
        ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE }
        : { version: process.env.VSCODE_VERSION || 'stable', cachePath: path.join(cacheDir, 'electron-download') }),
    });
    return exitCode;
  } finally {
    await stopServers();
    if (!process.env.KEEP_RUN) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('test-electron run failed:', err instanceof Error ? err.message : err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
