// Starts the test MLflow server + nginx in a child process, so the benchmark process runs only
// the code being measured (an in-process server's JSON work would compete with the client's on
// one event loop, and bias every ratio against curl, which runs in a process of its own).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface RigProcess {
  trackingUri: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/** `scenario`: a name under test/fixtures/scenarios or a scenario file's path (default: recorded). */
export async function startRigProcess(generate: object, scenario = 'recorded'): Promise<RigProcess> {
  const start = path.join(__dirname, '..', 'test', 'servers', 'start.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', start, '--scenario', scenario, '--generate', JSON.stringify(generate)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the test server exited (${code}) before it was ready`)));
  });
  const info = JSON.parse(firstLine) as { trackingUri: string; username: string; password: string };
  return {
    ...info,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
