// Key completion and key hover without any other extension. Completion reads the text around
// the cursor line by line (the file is often not valid YAML while a key is being typed);
// hover uses the parsed tree's key ranges.
import { INFO_YAML_FIELDS, knownKeysUnder, type FieldSpec } from './schema';
import { parseInfoYaml } from './validate';

export interface KeyCompletion {
  /** Keys that may go here and are not there yet, in the template's order. */
  readonly fields: readonly FieldSpec[];
  /** Characters the chosen key replaces (the partial key typed so far). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
  /** Column of the key, for the indentation of what follows it. */
  readonly indent: number;
}

const KEY_LINE = /^( *)([A-Za-z][A-Za-z0-9]*)[ \t]*:/;

/** The keys to offer at offset, or undefined when the cursor is not where a key goes. */
export function keyCompletions(text: string, offset: number): KeyCompletion | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const typing = /^( *)([A-Za-z][A-Za-z0-9]*)?$/.exec(before);
  if (!typing) return undefined;
  const indent = typing[1]!.length;
  const lines = text.split('\n');
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;

  // Walk up: each less-indented `Key:` line is the next parent.
  const parent: string[] = [];
  let limit = indent;
  let blockStart = 0;
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const m = KEY_LINE.exec(lines[i]!);
    if (!m || m[1]!.length >= limit) continue;
    if (lines[i]!.slice(m[0].length).replace(/#.*$/, '').trim() !== '') return undefined; // `Key: value` has no children
    parent.unshift(m[2]!);
    if (parent.length === 1) blockStart = i + 1;
    limit = m[1]!.length;
  }
  if (limit !== 0 && parent.length > 0) return undefined;
  // Siblings already there: same indentation, inside the parent's block.
  const present = new Set<string>();
  for (let i = parent.length ? blockStart : 0; i < lines.length; i++) {
    if (i === lineNo) continue;
    const m = KEY_LINE.exec(lines[i]!);
    const lineIndent = /^ */.exec(lines[i]!)![0].length;
    if (parent.length && lines[i]!.trim() && !lines[i]!.trim().startsWith('#') && lineIndent < indent && i > lineNo) break;
    if (m && m[1]!.length === indent) present.add(m[2]!);
  }
  const known = knownKeysUnder(parent);
  if (known.length === 0) return undefined;
  const fields = known.filter((k) => !present.has(k)).map((k) => INFO_YAML_FIELDS.find((f) => f.path.join('.') === [...parent, k].join('.'))!);
  return { fields, replaceStart: lineStart + indent, replaceEnd: offset, indent };
}

/** The schema key under offset, e.g. ['Creator', 'Name'] when hovering `Name` inside Creator. */
export function keyPathAt(text: string, offset: number): string[] | undefined {
  const tree = parseInfoYaml(text).tree;
  if (!tree) return undefined;
  for (const entry of tree.entries.values()) {
    if (entry.keyRange && entry.keyRange.start <= offset && offset <= entry.keyRange.end) {
      const path = entry.path.filter((k): k is string => typeof k === 'string');
      return path.length === entry.path.length ? path : undefined;
    }
  }
  return undefined;
}
