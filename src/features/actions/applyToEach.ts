// One write applied to several rows (tag, delete or restore several runs at once): one request
// per row, under one cancellable progress notification that names the row being done. With a
// single row its failure is shown as usual; with several, the failures are collected (row: reason)
// for the summary and the other rows go on. Cancel stops before the next row.
import type { ActionDeps } from './actionContext';
import { withActionProgress } from './actionContext';
import { labelOf, type ActionTarget } from './actionTargets';

export interface EachResult {
  done: number;
  failures: string[];
}

function reasonOf(error: unknown): string {
  return error instanceof Error && 'userMessage' in error ? String(error.userMessage) : String(error);
}

/** Resolves undefined when a single row failed (already shown to the user). */
export function applyToEach(deps: ActionDeps, title: string, targets: readonly ActionTarget[], write: (target: ActionTarget, signal: AbortSignal) => Promise<void>): Promise<EachResult | undefined> {
  return withActionProgress(deps, title, async (signal, progress) => {
    let done = 0;
    const failures: string[] = [];
    for (const target of targets) {
      if (signal.aborted) break;
      progress.report({ message: labelOf(target), increment: 100 / targets.length });
      try {
        await write(target, signal);
        done++;
      } catch (error) {
        if (targets.length === 1) throw error;
        failures.push(`${labelOf(target)}: ${reasonOf(error)}`);
      }
    }
    return { done, failures };
  });
}
