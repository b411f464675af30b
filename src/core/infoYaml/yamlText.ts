// Writing values as YAML text: the smallest faithful form (plain when it reads back as the same
// string under YAML 1.1, else double-quoted, or a literal block for several lines).
import { parseDocument } from 'yaml';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Applies non-overlapping edits (any order) to text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function readsBackAs(source: string, value: string): boolean {
  const doc = parseDocument(`k: ${source}\n`, { version: '1.1' });
  return doc.errors.length === 0 && doc.warnings.length === 0 && (doc.toJS() as { k?: unknown })?.k === value;
}

/**
 * A string as the YAML that follows `Key: ` at indent (the key's column). Multi-line text becomes
 * a literal block (`|-`) indented under the key; other text is plain when that is unambiguous.
 */
export function yamlString(value: string, indent: number): string {
  if (value.includes('\n') && !/^[ \t]/.test(value) && !/[\t\r]/.test(value)) {
    const body = value.replace(/\n+$/, '');
    const chomp = value.endsWith('\n') ? (value.endsWith('\n\n') ? '+' : '') : '-';
    const pad = ' '.repeat(indent + 2);
    return `|${chomp}\n${body.split('\n').map((l) => (l ? pad + l : '')).join('\n')}`;
  }
  if (value !== '' && !value.includes('\n') && readsBackAs(value, value)) return value;
  return JSON.stringify(value);
}

/** Column of the character at offset. */
export function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}
