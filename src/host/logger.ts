// The "MLWF" log channel. Only what helps diagnose a problem goes here: method, path, status and
// duration of each request, and error kinds/messages. Never headers, bodies or credentials — the
// core's request hook hands us nothing else, and callers pass messages, not objects.
import * as vscode from 'vscode';

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly error?: string;
}

export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(name = 'MLWF') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  /** One line per HTTP request, e.g. `GET /mlflow/api/2.0/mlflow/experiments/search?max_results=1 → 200 (12 ms)`. */
  request(entry: RequestLogEntry): void {
    const outcome = entry.status !== undefined ? String(entry.status) : (entry.error ?? 'failed');
    const line = `${entry.method} ${entry.path} → ${outcome} (${Math.round(entry.durationMs)} ms)`;
    // Info, not debug: the default log level must show every request when a user sends us a log.
    if (entry.status !== undefined && entry.status < 400) this.channel.info(line);
    else this.channel.warn(line);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
