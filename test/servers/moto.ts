/**
 * A real S3-compatible server for tests: moto_server on a free loopback port, ready when it
 * answers. moto cannot be installed from the project's registries, so callers must handle
 * `findMotoServer()` returning undefined (skip with a clear message, never silently).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export const MOTO_MISSING = 'moto_server is not installed on this machine (pip install "moto[server]"), so the S3 tests are skipped';

export function findMotoServer(): string | undefined {
  const explicit = process.env.MLWF_MOTO_SERVER;
  if (explicit) return explicit;
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (!path) return undefined;
  // A pyenv shim exists even when the active Python lacks moto: ask it.
  const works = spawnSync(path, ['--help'], { encoding: 'utf8', timeout: 20_000 });
  return works.status === 0 ? path : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startMoto(bin = findMotoServer()): Promise<MotoServer> {
  if (!bin) throw new Error(MOTO_MISSING);
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    const ok = await fetch(`${endpoint}/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('moto_server did not answer within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
