// The Jobs view's row text as the in-host suites (test/suite) and the UI tests (test/e2e/ui)
// match it, in one place: when the row changes, this file does (the exact strings are pinned in
// test/unit/jobs-rowText.test.ts). A row is its label, then its description:
//   STATE[ · exit N][ · ELAPSED / WALL TIME][ · RESOURCE] · #ID
// No vscode import: the UI tests run in plain Node.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One part of the description whose value the test leaves open (it may also be absent). */
const ANY_PART = '(?: · [^·#][^·]*)?';

/** Regular-expression sources of the description's parts; a part left out matches whatever is there. */
export interface JobRowParts {
  /** The state word, as shown ("running", "実行中"); default: any word. */
  readonly state?: string;
  /** The exit code of a failed job (source). */
  readonly exit?: string;
  /** "ELAPSED / WALL TIME" (source). */
  readonly time?: string;
  /** Where it runs: the job's resource or queue@host (source). */
  readonly resource?: string;
  /** The job id, literally. */
  readonly id?: string;
  /** The parts left out are absent (not "anything"): the description is exactly these parts. */
  readonly exact?: boolean;
}

export function jobDescriptionSource(p: JobRowParts = {}): string {
  const open = p.exact ? '' : ANY_PART;
  const part = (source: string | undefined) => (source === undefined ? open : ` · ${source}`);
  const id = p.id === undefined ? '\\S+' : escape(p.id);
  return `${p.state ?? '\\S+'}${p.exit === undefined ? open : ` · (?:exit|終了コード) ${p.exit}`}${part(p.time)}${part(p.resource)} · #${id}`;
}

/** A row's description (TreeItem.description), whole. */
export function jobDescriptionRe(p: JobRowParts = {}): RegExp {
  return new RegExp(`^${jobDescriptionSource(p)}$`);
}

/** A row as the workbench renders it (label, maybe a blank, description; blanks folded), whole. */
export function jobRowRe(label: string, p: JobRowParts = {}): RegExp {
  return new RegExp(`^${escape(label)} ?${jobDescriptionSource(p)}$`);
}

/** "Build 12-04 18:30" / "Serve 12-04 18:30" for the MLWFCreateImage_20261204183000 folder. */
export function containerJobLabel(kind: 'build' | 'serve', folder: string): string {
  const name = folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
  const m = /^MLWFCreateImage_\d{4}(\d\d)(\d\d)(\d\d)(\d\d)\d\d(_\d+)?$/.exec(name);
  return `${kind === 'build' ? 'Build' : 'Serve'} ${m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}${m[5] ?? ''}` : name}`;
}
