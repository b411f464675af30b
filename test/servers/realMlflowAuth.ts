/**
 * A real upstream MLflow server (2.14.3 or 3.6, from the same kit as realMlflow.ts) run with
 * MLflow's own auth app, as a group's administrator starts it:
 *
 *   mlflow server --app-name basic-auth …   (MLFLOW_AUTH_CONFIG_PATH = an ini of this rig's)
 *
 * No nginx in front: MLflow itself asks for the Basic-auth password and decides, per user, who
 * may read or change each experiment and registered model. `default_permission` is
 * NO_PERMISSIONS, so a user sees only what the admin granted (auth-users.py grants READ).
 *
 * Two things the kit lacks, added here rather than in the kit:
 * - `--app-name` looks the app up among the `mlflow.app` entry points, which an installed MLflow
 *   declares in its dist-info; the kit's MLflow is a source tree without one. A two-line
 *   dist-info of this rig's (on PYTHONPATH) declares `basic-auth` as MLflow's setup.py does, so
 *   the server and `mlflow.server.get_app_client("basic-auth")` work unchanged.
 * - MLflow 3's auth app needs Flask-WTF (CSRF protection), which Debian ships as
 *   python3-flaskext.wtf: installed with apt-get when missing, like serve.sh does for its list.
 *
 * The server starts in about 15 s. It is started only by the suite that needs it. Mind that MLflow's
 * auth app checks the password hash (PBKDF2) on every request: on a loaded machine each request
 * costs a second or more, so a view that loads many rows queues for a while.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { findKit, freePort, parseExports, PYTHON, run, serve, STATE, unpackedKit, type RealKit } from './realMlflow';

/** Who signs in to the auth server: its admin (every right) and a user of this rig's. */
export interface AuthUser {
  username: string;
  password: string;
}

export interface AuthMlflowServer {
  kit: RealKit;
  mlflowVersion: string;
  /** http://127.0.0.1:P/ : MLflow itself, with its auth app. */
  trackingUri: string;
  admin: AuthUser;
  /** Environment for /usr/bin/python3 to import the real client (and its auth client). */
  clientEnv: Record<string, string>;
  /** The server's log, for a failing test's message. */
  log: string;
  /** `as(user)` gives what runRealClient needs to run a script signed in as that user. */
  as(user: AuthUser): { kit: RealKit; trackingUri: string; username: string; password: string; clientEnv: Record<string, string> };
  stop(): Promise<void>;
}

/**
 * gunicorn (MLflow 2) kills a worker that has spent 30 s on one request and drops its connection,
 * which the client, on a POST, reports as a ConnectionError without retrying. Every request here
 * checks a PBKDF2 hash, and a loaded 2-core machine queues a model's artifact uploads behind
 * that: a CI run lost actions-setup.py this way. A slow answer is fine for these tests; a dropped
 * one is not.
 */
const WORKER_TIMEOUT_S = 600;

const DIST_INFO = 'mlwf_test_mlflow_apps-0.dist-info';
const ENTRY_POINTS = `[mlflow.app]
basic-auth = mlflow.server.auth:create_app

[mlflow.app.client]
basic-auth = mlflow.server.auth.client:AuthServiceClient
`;

async function pythonImports(module: string): Promise<boolean> {
  return (await run(PYTHON, ['-c', `import ${module}`], { PATH: '/usr/bin:/bin', PYTHONNOUSERSITE: '1' })).code === 0;
}

async function ensureFlaskWtf(): Promise<void> {
  if (await pythonImports('flask_wtf')) return;
  const root = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (...args: string[]) => run(root[0] ?? 'apt-get', [...root.slice(1), ...(root.length ? ['apt-get'] : []), ...args], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
  const install = ['-y', '-q', '--no-install-recommends', 'install', 'python3-flaskext.wtf'];
  if ((await apt(...install)).code !== 0) {
    await apt('-q', 'update');
    const r = await apt(...install);
    if (r.code !== 0) throw new Error(`MLflow 3's auth app needs Flask-WTF; apt-get install python3-flaskext.wtf failed:\n${r.stderr.slice(-2000)}`);
  }
  if (!(await pythonImports('flask_wtf'))) throw new Error('python3-flaskext.wtf installed, yet flask_wtf does not import');
}

async function waitHealthy(url: string, exited: () => string | undefined, log: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) throw new Error(`MLflow with its auth app exited during start-up (${gone}):\n${readFileSync(log, 'utf8').slice(-3000)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`MLflow with its auth app did not answer /health within 120 s:\n${readFileSync(log, 'utf8').slice(-3000)}`);
}

/** Starts MLflow `kit` with `--app-name basic-auth` on an empty store. */
export async function startAuthMlflow(kit: RealKit): Promise<AuthMlflowServer> {
  const found = findKit();
  if ('missing' in found) throw new Error(found.missing);
  if (kit === '3.6') await ensureFlaskWtf();
  const unpacked = await unpackedKit(found.dir, kit);
  mkdirSync(STATE, { recursive: true });
  const dir = mkdtempSync(path.join(STATE, `auth-${kit}-`));
  const apps = path.join(dir, 'apps');
  mkdirSync(path.join(apps, DIST_INFO), { recursive: true });
  writeFileSync(path.join(apps, DIST_INFO, 'METADATA'), 'Metadata-Version: 2.1\nName: mlwf-test-mlflow-apps\nVersion: 0\n');
  writeFileSync(path.join(apps, DIST_INFO, 'entry_points.txt'), ENTRY_POINTS);
  const admin: AuthUser = { username: 'admin', password: randomBytes(12).toString('base64url') };
  const ini = path.join(dir, 'basic_auth.ini');
  writeFileSync(
    ini,
    `[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = sqlite:///${dir}/basic_auth.db\nadmin_username = ${admin.username}\nadmin_password = ${admin.password}\n`,
    { mode: 0o600 },
  );
  const port = await freePort();
  const src = path.join(unpacked, 'src');
  const deps = path.join(unpacked, 'deps');
  const serverPath = [apps, ...(kit === '3.6' ? [path.join(unpacked, 'deps-net')] : []), src, deps].join(':');
  const log = path.join(dir, 'server.log');
  const out = openSync(log, 'a');
  const child = spawn(
    PYTHON,
    ['-m', 'mlflow', 'server', '--app-name', 'basic-auth', '--backend-store-uri', `sqlite:///${dir}/mlflow.db`, '--serve-artifacts', '--artifacts-destination', path.join(dir, 'artifacts'), '--host', '127.0.0.1', '--port', String(port), '--workers', '2', ...(kit === '2.14.3' ? ['--gunicorn-opts', `--timeout ${WORKER_TIMEOUT_S}`] : [])],
    {
      cwd: dir,
      detached: true, // its own process group: gunicorn/uvicorn workers stop with it
      stdio: ['ignore', out, out],
      env: {
        PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
        PYTHONNOUSERSITE: '1',
        PYTHONPATH: serverPath,
        MLFLOW_AUTH_CONFIG_PATH: ini,
        MLFLOW_FLASK_SERVER_SECRET_KEY: randomBytes(16).toString('hex'),
        MLFLOW_DISABLE_TELEMETRY: 'true',
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
        GIT_PYTHON_REFRESH: 'quiet',
      },
    },
  );
  closeSync(out);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      resolve();
    }),
  );
  const stop = async () => {
    if (exit === undefined && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const trackingUri = `http://127.0.0.1:${port}/`;
  try {
    await waitHealthy(`http://127.0.0.1:${port}`, () => exit, log);
  } catch (e) {
    await stop();
    throw e;
  }
  const mlflowVersion = (await (await fetch(`http://127.0.0.1:${port}/version`)).text()).trim();
  const kitEnv = parseExports(await serve(found.dir, 'env', kit, path.join(STATE, 'unpacked')));
  const clientEnv = { ...kitEnv, PYTHONPATH: `${apps}:${kitEnv.PYTHONPATH}` };
  return {
    kit,
    mlflowVersion,
    trackingUri,
    admin,
    clientEnv,
    log,
    as: (user) => ({ kit, trackingUri, username: user.username, password: user.password, clientEnv }),
    stop,
  };
}
