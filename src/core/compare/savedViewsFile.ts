// The workspace's saved compare views (`.vscode/mlwf-views.json`, meant to be committed so a team
// shares its comparison set-ups): reading it strictly, adding or replacing one view, and writing
// it back. Pure text in, text out (no vscode, no fs): a file that does not parse or holds a view
// this version cannot read is an error naming the problem, and is never rewritten, so nothing a
// teammate wrote is lost.
import * as l10n from '@vscode/l10n';
import { isSavedView, type CompareSavedView } from '../../protocol/compare';

export const SAVED_VIEWS_FILE = '.vscode/mlwf-views.json';
export const SAVED_VIEWS_VERSION = 1;
export const MAX_VIEW_NAME = 80;

export interface SavedViewsFile {
  readonly version: typeof SAVED_VIEWS_VERSION;
  /** By name, in the order they were first saved. */
  readonly views: Readonly<Record<string, CompareSavedView>>;
}

export type SavedViewsRead = { readonly ok: true; readonly file: SavedViewsFile } | { readonly ok: false; readonly error: string };

export const emptySavedViews = (): SavedViewsFile => ({ version: SAVED_VIEWS_VERSION, views: {} });

/** A name the user may give a view: some visible text, not too long, no control characters. */
export function validViewName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return l10n.t('Give the view a name.');
  if (trimmed.length > MAX_VIEW_NAME) return l10n.t('A view name has at most {0} characters.', MAX_VIEW_NAME);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return l10n.t('A view name cannot contain control characters.');
  return undefined;
}

/** The file's text (undefined: there is no file yet) as saved views, or what is wrong with it. */
export function parseSavedViews(text: string | undefined): SavedViewsRead {
  if (text === undefined || text.trim() === '') return { ok: true, file: emptySavedViews() };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: l10n.t('{0} is not valid JSON ({1}).', SAVED_VIEWS_FILE, error instanceof Error ? error.message : String(error)) };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: l10n.t('{0} must hold a JSON object.', SAVED_VIEWS_FILE) };
  const { version, views } = data as { version?: unknown; views?: unknown };
  if (version !== SAVED_VIEWS_VERSION) return { ok: false, error: l10n.t('{0} has version {1}; this extension reads version {2}.', SAVED_VIEWS_FILE, JSON.stringify(version) ?? 'none', SAVED_VIEWS_VERSION) };
  if (typeof views !== 'object' || views === null || Array.isArray(views)) return { ok: false, error: l10n.t('{0} must have a "views" object.', SAVED_VIEWS_FILE) };
  for (const [name, view] of Object.entries(views)) {
    if (validViewName(name) !== undefined) return { ok: false, error: l10n.t('{0}: the view name {1} is not allowed.', SAVED_VIEWS_FILE, JSON.stringify(name.slice(0, 100))) };
    if (!isSavedView(view)) return { ok: false, error: l10n.t('{0}: the view "{1}" is not a view this extension can read.', SAVED_VIEWS_FILE, name) };
  }
  return { ok: true, file: { version: SAVED_VIEWS_VERSION, views: views as Record<string, CompareSavedView> } };
}

/** The file with `view` saved under `name` (a view of that name is replaced in place). */
export function withView(file: SavedViewsFile, name: string, view: CompareSavedView): SavedViewsFile {
  return { version: SAVED_VIEWS_VERSION, views: { ...file.views, [name.trim()]: view } };
}

/** The text written: two-space JSON and a final newline, so diffs in git stay small. */
export function serializeSavedViews(file: SavedViewsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
