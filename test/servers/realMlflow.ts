/**
 * Real upstream MLflow servers (2.14.3 and 3.6) for the tests, from the kit beside the project
 * (`../shared/real-mlflow/`, or the folder named by MLWF_REAL_MLFLOW_KIT): each behind the project's
 * nginx (Basic auth, `/mlflow/` prefix) as on ABCI, filled by the real MLflow client with
 * test/fixtures/real-mlflow/populate.py.
 *
 * `realMlflowServers()` gives the two shared, populated servers: when `npm test` started them for
 * every suite it names their description file in MLWF_REAL_MLFLOW (or the reason they are missing
 * in MLWF_REAL_MLFLOW_SKIP); otherwise the first call starts them for this process. Without the kit
 * it answers `{ skipped }` with one line saying why, and callers skip: such a suite never counts as
 * passed. The kit is optional to the project (a clone elsewhere may not have it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startNginx } from './nginx';

export type RealKit = '2.14.3' | '3.6';
export const REAL_KITS: readonly RealKit[] = ['2.14.3', '3.6'];

/** What populate.py prints: the ids of what it logged (see that script for the meaning of each). */
export interface RealScenario {
  mlflow_version: string;
  mlflow3: boolean;
  experiment_id: string;
  deleted_experiment_id: string;
  runs: Record<string, { run_id: string; [k: string]: unknown }>;
  registered_model: { name: string; champion: string; versions: Record<string, { source: string; run_id: string; download_uri: string }> };
  /** Only on MLflow 3: a model logged by the 2.14.3 client before the upgrade (populate-legacy.py). */
  legacy?: { run_id: string; model_uri: string; registered_model: string; version: string; source: string };
}

export interface RealServer {
  kit: RealKit;
  /** What the server says at /version: "2.14.3" or "3.6.1.dev0". */
  mlflowVersion: string;
  /** Through the project's nginx: http://127.0.0.1:N/mlflow/ (Basic auth). */
  trackingUri: string;
  /** http://127.0.0.1:P: the server itself, no auth, no prefix. */
  directUrl: string;
  username: string;
  password: string;
  /** nginx's access log: one line per request that went through the proxy. */
  accessLog: string;
  scenario: RealScenario;
  /** Environment for /usr/bin/python3 to import the real client of the same version. */
  clientEnv: Record<string, string>;
}

export interface OwnRealServer extends RealServer {
  stop(): Promise<void>;
}

const REPO = path.resolve(__dirname, '..', '..');
export const STATE = path.join(REPO, '.cache', 'real-mlflow');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'real-mlflow');
export const PYTHON = '/usr/bin/python3';

/** The kit folder, or why there is none. */
export function findKit(): { dir: string } | { missing: string } {
  const dir = process.env.MLWF_REAL_MLFLOW_KIT || path.resolve(REPO, '..', 'shared', 'real-mlflow');
  for (const f of ['serve.sh', 'mlflow-2.14.3.tar.xz', 'mlflow-3.6.tar.xz']) {
    if (!existsSync(path.join(dir, f))) {
      return { missing: `real MLflow servers skipped: no real-MLflow kit (../shared/real-mlflow/${f} not found; set MLWF_REAL_MLFLOW_KIT to the kit's folder)` };
    }
  }
  if (!existsSync(PYTHON)) return { missing: `real MLflow servers skipped: ${PYTHON} not found (the kit runs on Debian's Python)` };
  return { dir };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: Record<string, string | undefined> = process.env, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function serve(kit: string, ...args: string[]): Promise<string> {
  const r = await run('bash', [path.join(kit, 'serve.sh'), ...args]);
  if (r.code !== 0) throw new Error(`serve.sh ${args.join(' ')} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

/** `serve.sh env` prints `export NAME=VALUE` lines; they become the client's environment. */
export function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  return env;
}

/** One unpacked kit per version, shared by every server folder (unpacking 3.6 takes a while). */
export async function unpackedKit(kit: string, version: RealKit): Promise<string> {
  const dir = path.join(STATE, 'unpacked');
  mkdirSync(dir, { recursive: true });
  await serve(kit, 'env', version, dir);
  return path.join(dir, `kit-${version}`);
}

export function clientEnvFor(server: Pick<RealServer, 'trackingUri' | 'username' | 'password' | 'clientEnv'>, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    PYTHONNOUSERSITE: '1',
    // The client must not look for git metadata of the project or report telemetry.
    GIT_PYTHON_REFRESH: 'quiet',
    MLFLOW_DISABLE_TELEMETRY: 'true',
    ...server.clientEnv,
    MLFLOW_TRACKING_URI: server.trackingUri.replace(/\/$/, ''),
    MLFLOW_TRACKING_USERNAME: server.username,
    MLFLOW_TRACKING_PASSWORD: server.password,
    ...extra,
  };
}

/**
 * Runs a Python script with the real MLflow client against `server` (through nginx, with the
 * password in the environment as MLflow users set it). Resolves with stdout; the client's own
 * chatter goes to stderr. Rejects on a non-zero exit with the end of stderr.
 */
export async function runRealClient(server: Pick<RealServer, 'kit' | 'trackingUri' | 'username' | 'password' | 'clientEnv'>, script: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const r = await run(PYTHON, [script, ...args], clientEnvFor(server, env));
  if (r.code !== 0) {
    // The exception is a traceback's last line: first in the message, since reporters show its top.
    const last = r.stderr.trim().split('\n').pop() ?? '';
    throw new Error(`${path.basename(script)} failed (${r.code}) against MLflow ${server.kit}: ${last}\n${r.stderr.slice(-3000)}`);
  }
  return r.stdout;
}

/** A fresh server of its own (empty store, own nginx); `populate` fills it with the scenario. */
export async function startRealMlflow(kit: RealKit, opts: { populate?: boolean; dir?: string } = {}): Promise<OwnRealServer> {
  const found = findKit();
  if ('missing' in found) throw new Error(found.missing);
  const unpacked = await unpackedKit(found.dir, kit);
  mkdirSync(STATE, { recursive: true });
  const dir = opts.dir ?? mkdtempSync(path.join(STATE, `server-${kit}-`));
  await serve(found.dir, 'stop', dir).catch(() => undefined);
  // A clean store every time: the suites compare what they read with what the client wrote.
  for (const f of ['mlflow.db', 'artifacts']) rmSync(path.join(dir, f), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const link = path.join(dir, `kit-${kit}`);
  if (!existsSync(link)) symlinkSync(unpacked, link);
  const port = await freePort();
  await serve(found.dir, 'start', kit, String(port), dir);
  const username = 'alice';
  const password = randomBytes(12).toString('base64url');
  let nginx;
  try {
    nginx = await startNginx({ upstreamPort: port, username, password });
  } catch (e) {
    await serve(found.dir, 'stop', dir).catch(() => undefined);
    throw e;
  }
  const directUrl = `http://127.0.0.1:${port}`;
  const version = (await (await fetch(`${directUrl}/version`)).text()).trim();
  const server: OwnRealServer = {
    kit,
    mlflowVersion: version,
    trackingUri: `http://127.0.0.1:${nginx.port}/mlflow/`,
    directUrl,
    username,
    password,
    accessLog: path.join(nginx.dir, 'access.log'),
    scenario: undefined as unknown as RealScenario,
    clientEnv: parseExports(await serve(found.dir, 'env', kit, dir)),
    stop: async () => {
      await nginx.stop();
      await serve(found.dir, 'stop', dir).catch(() => undefined);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  if (opts.populate) {
    try {
      server.scenario = await populate(server, found.dir);
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  return server;
}

async function populate(server: OwnRealServer, kitDir: string): Promise<RealScenario> {
  const scenario = JSON.parse(await runRealClient(server, path.join(FIXTURES, 'populate.py'))) as RealScenario;
  if (server.kit === '3.6') {
    // What a group has after upgrading its server: a model logged by the 2.14.3 client.
    const legacyEnv = parseExports(await serve(kitDir, 'env', '2.14.3', path.join(STATE, 'unpacked')));
    const out = await runRealClient({ ...server, clientEnv: legacyEnv }, path.join(FIXTURES, 'populate-legacy.py'), [scenario.experiment_id]);
    scenario.legacy = JSON.parse(out) as RealScenario['legacy'];
  }
  return scenario;
}

// --- the shared servers -------------------------------------------------------------------------

export interface RealServersFile {
  servers: RealServer[];
}

let shared: Promise<RealServer[] | { skipped: string }> | undefined;
let started: OwnRealServer[] = [];

/**
 * Both shared, populated servers, or why they are not there. A test file that may be the one to
 * start them calls `releaseRealMlflowServers()` in its `after` hook.
 */
export function realMlflowServers(): Promise<RealServer[] | { skipped: string }> {
  shared ??= loadOrStart();
  return shared;
}

/** Stops the servers this process started itself (nothing when npm test started them). */
export async function releaseRealMlflowServers(): Promise<void> {
  const mine = started;
  started = [];
  shared = undefined;
  await Promise.all(mine.map((s) => s.stop()));
}

/**
 * Why the real servers cannot be had, known without starting anything (so node:test can mark a
 * suite skipped when it is defined), or false.
 */
export function realMlflowSkipReason(): string | false {
  if (process.env.MLWF_REAL_MLFLOW_SKIP) return process.env.MLWF_REAL_MLFLOW_SKIP;
  if (process.env.MLWF_REAL_MLFLOW) return false;
  const found = findKit();
  return 'missing' in found ? found.missing : false;
}

async function loadOrStart(): Promise<RealServer[] | { skipped: string }> {
  const skipped = realMlflowSkipReason();
  if (skipped) return { skipped };
  const file = process.env.MLWF_REAL_MLFLOW;
  if (file) return (JSON.parse(readFileSync(file, 'utf8')) as RealServersFile).servers;
  started = await Promise.all(REAL_KITS.map((kit) => startRealMlflow(kit, { populate: true })));
  return started;
}
