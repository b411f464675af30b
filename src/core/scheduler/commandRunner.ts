// Runs a scheduler command (qsub, qstat, qacct, qdel) as argv, never through a shell, with the
// MLflow secrets taken out of its environment: whatever a site's qsub does with its environment
// (-V, logging), the password is not there to leak.
import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (command: string, args: readonly string[], options?: { cwd?: string; signal?: AbortSignal }) => Promise<CommandResult>;

const SECRET_VARIABLES = ['MLFLOW_TRACKING_PASSWORD', 'MLFLOW_TRACKING_TOKEN'];

export function schedulerEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of SECRET_VARIABLES) delete clean[name];
  return clean;
}

/** The real runner; `env` lets tests put stand-in tools first on PATH. */
export function execRunner(env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): CommandRunner {
  return (command, args, options = {}) =>
    new Promise((resolve) => {
      execFile(command, [...args], { cwd: options.cwd, env: schedulerEnvironment(env), timeout: timeoutMs, signal: options.signal, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 127) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && code === 127 ? error.message : '')) });
      });
    });
}

export class SchedulerCommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`${command} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
}
