/**
 * A training job in a background process: the real MLflow client (test/fixtures/real-mlflow/
 * live-train.py) creating a RUNNING run on a real server and logging steps when told to, so the
 * live tests and the benchmark watch what a user's job does, step by step, with no sleep guessing.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { clientEnvFor, type RealServer } from './realMlflow';

/** The script, found upwards from here: this file also runs bundled into dist/test/suite/. */
function script(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'real-mlflow', 'live-train.py');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('test/fixtures/real-mlflow/live-train.py not found above ' + __dirname);
  }
}

export interface LoggedSteps {
  key: string;
  last_step: number;
  /** Seconds since the epoch (Python's time.time()) right after the last log_metric returned. */
  logged_at: number;
}

export class RealTrainer {
  private readonly replies: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly runId: string,
    readonly experimentId: string,
  ) {}

  /** Starts the job; resolves once its run exists on the server. */
  static async start(server: Pick<RealServer, 'trackingUri' | 'username' | 'password' | 'clientEnv'>, experimentName: string, runName: string): Promise<RealTrainer> {
    const child = spawn('/usr/bin/python3', [script(), experimentName, runName], { env: clientEnvFor(server) as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`live-train.py exited (${code}) before creating its run:\n${stderr}`)));
    });
    const ids = JSON.parse(first) as { run_id: string; experiment_id: string };
    const trainer = new RealTrainer(child, ids.run_id, ids.experiment_id);
    trainer.stderr = stderr;
    child.stderr.on('data', (d: Buffer) => (trainer.stderr = (trainer.stderr + d.toString()).slice(-4000)));
    child.once('exit', () => (trainer.exited = true));
    lines.on('line', (line) => {
      const w = trainer.waiting;
      trainer.waiting = undefined;
      if (w) w(line);
      else trainer.replies.push(line);
    });
    return trainer;
  }

  private ask(command: string): Promise<string> {
    if (this.exited) return Promise.reject(new Error(`live-train.py has exited:\n${this.stderr}`));
    return new Promise((resolve, reject) => {
      const queued = this.replies.shift();
      if (queued !== undefined) return resolve(queued);
      const onExit = () => reject(new Error(`live-train.py exited during "${command}":\n${this.stderr}`));
      this.child.once('exit', onExit);
      this.waiting = (line) => {
        this.child.off('exit', onExit);
        resolve(line);
      };
      this.child.stdin.write(`${command}\n`);
    });
  }

  /** Logs the next `n` steps of `key` with log_metric (value 1/(step+1)). */
  async log(key: string, n: number): Promise<LoggedSteps> {
    return JSON.parse(await this.ask(`log ${key} ${n}`)) as LoggedSteps;
  }

  async end(status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<void> {
    await this.ask(`end ${status}`);
    await new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
  }

  /** Ends the job however it is (the script marks its run KILLED on EOF). */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 20_000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
