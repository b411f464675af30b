// Every MLWF command is registered here. The callback VS Code gets returns only
// workbenchResult(...) of the handler's value (see workbenchResult.ts: a panel, a node or a
// record must not be serialized to the window), so executeCommand gives that everywhere, the
// in-host tests included. Tests that want the handler's full value (the panel opened, the
// version registered) ask commandResult(), which calls the same handler in the extension host.
import * as vscode from 'vscode';
import { workbenchResult } from './workbenchResult';

// As vscode.commands.registerCommand's own callback type: handlers declare their arguments' types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (...args: any[]) => unknown;

const handlers = new Map<string, Handler>();

export function registerCommand(id: string, handler: Handler): vscode.Disposable {
  const registration = vscode.commands.registerCommand(id, async (...args: unknown[]) => workbenchResult(await handler(...args)));
  handlers.set(id, handler);
  return new vscode.Disposable(() => {
    if (handlers.get(id) === handler) handlers.delete(id);
    registration.dispose();
  });
}

/** Runs a registered command's handler and resolves with everything it returned (in-host tests). */
export async function commandResult<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
  const handler = handlers.get(id);
  if (!handler) throw new Error(`${id} is not a command registered through src/host/commands.ts`);
  return (await handler(...args)) as T;
}

/** The ids registered through registerCommand, for the test that nothing bypasses it. */
export function registeredCommandIds(): string[] {
  return [...handlers.keys()];
}
