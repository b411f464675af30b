// The values the form shows, read from the parsed text: text fields as strings, lists as string
// arrays. A value of the wrong shape (a mapping where text belongs) is shown as its source text
// and marked read-only, so the form never silently overwrites what it cannot represent.
import { isAlias } from 'yaml';
import { INFO_YAML_FIELDS } from './schema';
import { pointerOf } from './sourceTree';
import type { ParsedInfoYaml } from './validate';

export interface FormValues {
  /** By dotted path ("Creator.ContactPoint.Email"). */
  readonly values: Record<string, string | string[]>;
  /** Dotted paths the form must not edit (wrong shape, or an alias: edit the text instead). */
  readonly readOnly: string[];
}

export function readFormValues(parsed: ParsedInfoYaml): FormValues {
  const values: Record<string, string | string[]> = {};
  const readOnly: string[] = [];
  const tree = parsed.tree;
  for (const field of INFO_YAML_FIELDS) {
    if (field.kind === 'group') continue;
    const dotted = field.path.join('.');
    const entry = tree?.entries.get(pointerOf(field.path));
    const value = field.path.reduce<unknown>((v, k) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined), tree?.value);
    const isList = field.kind === 'list' || field.kind === 'urlList';
    const aliased = entry?.node !== undefined && isAlias(entry.node);
    if (value === undefined || value === null) values[dotted] = isList ? [] : '';
    else if (isList && Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) values[dotted] = value.map((v) => (v === null ? '' : String(v)));
    else if (isList && typeof value !== 'object') values[dotted] = [String(value)];
    // A number or boolean is shown as written (Version: 1.0 shows "1.0", not "1"); saving it from
    // the form writes it quoted, as text.
    else if (!isList && typeof value !== 'object') values[dotted] = typeof value === 'string' || !entry ? String(value) : parsed.text.slice(entry.valueRange.start, entry.valueRange.end).trim();
    else {
      values[dotted] = isList ? [] : parsed.text.slice(entry?.valueRange.start ?? 0, entry?.valueRange.end ?? 0).trimEnd();
      readOnly.push(dotted);
      continue;
    }
    if (aliased) readOnly.push(dotted);
  }
  return { values, readOnly };
}
