// What every part of the page shares: the host's strings and runs, the view state, run colours
// and the way to talk to the host. Parts get it by constructor, so none of them reach for globals.
import type { CompareRun, CompareStrings, CompareViewState, CompareWebviewMessage } from '../../../../src/protocol/compare';
import type { RunGroup } from './groupStats';
import type { ChartTheme } from './theme';
import type { Mutable } from './viewState';

export interface PageContext {
  readonly strings: CompareStrings;
  readonly runs: readonly CompareRun[];
  readonly state: Mutable<CompareViewState>;
  readonly theme: ChartTheme;
  colorOf(runId: string): string;
  runName(runId: string): string;
  /** The visible runs' groups when the user groups by a param or tag, else undefined. */
  groups(): readonly RunGroup[] | undefined;
  groupColor(group: RunGroup): string;
  /** "alpha=0.1" (or "alpha (not set)") for a group's legend and table column. */
  groupLabel(group: RunGroup): string;
  post(message: CompareWebviewMessage): void;
  /** Persist the view state (`setState`) after a user change. */
  saveState(): void;
  /** Hide/show or highlight a run in every chart at once. */
  setHighlight(runId: string | undefined): void;
}
