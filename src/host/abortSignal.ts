// Bridges VS Code's CancellationToken (progress notifications, tree loads) to the AbortSignal
// that src/core understands, so pressing Cancel aborts the HTTP request itself.
import type * as vscode from 'vscode';

export function abortSignalFor(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
