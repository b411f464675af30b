// Build and serve as VS Code Tasks: a ShellExecution of `bash build.sh` in the generated folder,
// so the terminal shows the live build and the exit status is the build's. Arguments go through
// ShellExecution's own quoting; the folder is the cwd, never part of a command string.
import * as vscode from 'vscode';

export const TASK_TYPE = 'mlwf-container';

export interface TaskOutcome {
  readonly exitCode: number | undefined;
  readonly execution: vscode.TaskExecution;
}

export function containerTask(folder: vscode.Uri, script: 'build.sh' | 'serve.sh', label: string, env?: Record<string, string>): vscode.Task {
  const scope = vscode.workspace.getWorkspaceFolder(folder) ?? vscode.TaskScope.Workspace;
  const execution = new vscode.ShellExecution('bash', [{ value: script, quoting: vscode.ShellQuoting.Strong }], { cwd: folder.fsPath, env });
  const task = new vscode.Task({ type: TASK_TYPE, script, folder: folder.fsPath }, scope, label, 'MLWF', execution, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false };
  task.isBackground = script === 'serve.sh';
  return task;
}

/** Runs a task and resolves when its process ends, with the exit code; `onStart` gets the process id once it runs. */
export async function runTask(task: vscode.Task, onStart?: (processId: number) => void): Promise<TaskOutcome> {
  const mine = (t: vscode.Task) => t.definition.type === TASK_TYPE && t.definition.script === task.definition.script && t.definition.folder === task.definition.folder;
  const started = onStart
    ? vscode.tasks.onDidStartTaskProcess((e) => {
        if (!mine(e.execution.task)) return;
        started?.dispose();
        onStart(e.processId);
      })
    : undefined;
  const ended = new Promise<number | undefined>((resolve) => {
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (mine(e.execution.task)) {
        sub.dispose();
        resolve(e.exitCode);
      }
    });
  });
  const execution = await vscode.tasks.executeTask(task);
  const exitCode = await ended;
  started?.dispose();
  return { exitCode, execution };
}

/** The terminal a task runs in (VS Code names it after the task). */
export function terminalOfTask(label: string): vscode.Terminal | undefined {
  return vscode.window.terminals.find((t) => t.name.includes(label));
}
