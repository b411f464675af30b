// Edits of info.yaml text that touch only the characters they must, so comments, blank lines and
// the order of every other key survive: set a value, set a list, add or remove a key. The quick
// fixes and the form editor both build on these.
import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { placeholderYaml } from './placeholder';
import { fieldAt, INFO_YAML_FIELDS, knownKeysUnder } from './schema';
import { pointerOf, type PathEntry } from './sourceTree';
import type { ParsedInfoYaml } from './validate';
import { columnAt, yamlString, type TextEdit } from './yamlText';

const INDENT = 2;

/** Placeholder hints for keys a quick fix adds: what the person has to write there. */
const HINTS: Record<string, string> = {
  Name: 'name of the data set or model',
  Description: 'what it is, how it was made and what it is for (more than 50 characters)',
  Keywords: 'keyword',
  'Creator.Name': 'organisation or person',
  'Creator.ContactPoint.Email': 'contact e-mail address',
  'Creator.ContactPoint.URL': 'contact page URL',
  'License.Name': 'license name, e.g. MIT License',
};

const hintFor = (path: readonly string[]): string => HINTS[path.join('.')] ?? fieldAt(path)?.title.en ?? path.join('.');

/** Lines (without indentation) of a key with a placeholder, including its required children. */
export function skeletonLines(path: readonly string[], extraChild?: string): string[] {
  const field = fieldAt(path);
  const key = path[path.length - 1]!;
  if (field?.kind === 'group') {
    const children = INFO_YAML_FIELDS.filter((f) => f.path.length === path.length + 1 && f.path.slice(0, -1).join('.') === path.join('.'));
    const needed = children.filter((c) => c.required || c.path[c.path.length - 1] === extraChild);
    // ContactPoint: Email or URL is required; the skeleton offers Email.
    const chosen = needed.length ? needed : children.filter((c) => c.oneOfGroup).slice(0, 1);
    return [`${key}:`, ...chosen.flatMap((c) => skeletonLines(c.path)).map((l) => ' '.repeat(INDENT) + l)];
  }
  if (field?.kind === 'list' || field?.kind === 'urlList') return [`${key}:`, `${' '.repeat(INDENT)}- ${placeholderYaml(hintFor(path))}`];
  return [`${key}: ${placeholderYaml(hintFor(path))}`];
}

const entryAt = (parsed: ParsedInfoYaml, path: readonly (string | number)[]): PathEntry | undefined => parsed.tree?.entries.get(pointerOf(path));

/** From just after `Key:` to the end of its value: what to replace to give the key a new value. */
function afterColon(parsed: ParsedInfoYaml, entry: PathEntry): { start: number; end: number } {
  const text = parsed.text;
  const colon = entry.keyRange ? text.indexOf(':', entry.keyRange.end) : entry.valueRange.start - 1;
  return { start: colon + 1, end: Math.max(colon + 1, entry.valueRange.end) };
}

/** Where a mapping's item ends: the start of the line after its value (keeps same-line comments). */
function endOfPair(parsed: ParsedInfoYaml, entry: PathEntry): number {
  const end = entry.node?.range ? entry.node.range[1] : entry.valueRange.end;
  const text = parsed.text;
  if (end > 0 && text[end - 1] === '\n') return end;
  return parsed.lines.nextLineStart(end);
}

/** Indented lines joined, ending in a newline. */
const block = (lines: readonly string[], indent: number): string => lines.map((l) => ' '.repeat(indent) + l).join('\n') + '\n';

/** Inserts lines (written for column 0) as a new key of the mapping at parent. */
export function insertKey(parsed: ParsedInfoYaml, parent: readonly string[], key: string, lines: readonly string[]): TextEdit[] {
  const text = parsed.text;
  const parentEntry = entryAt(parsed, parent);
  if (parent.length > 0 && !parentEntry) {
    // The parent is missing too: add it with this key inside.
    return insertKey(parsed, parent.slice(0, -1), parent[parent.length - 1]!, [`${parent[parent.length - 1]}:`, ...lines.map((l) => ' '.repeat(INDENT) + l)]);
  }
  const node = parentEntry?.node;
  if (parent.length === 0 && !node) return [{ start: text.length, end: text.length, newText: (text && !text.endsWith('\n') ? '\n' : '') + block(lines, 0) }];
  if (!node || !isMap(node) || (node as YAMLMap).flow || (node as YAMLMap).items.length === 0) {
    // `Creator:` with nothing, or `ContactPoint: {}`: the value becomes a block under the key.
    if (!parentEntry?.keyRange) return [];
    const indent = columnAt(text, parentEntry.keyRange.start) + INDENT;
    const range = afterColon(parsed, parentEntry);
    return [{ start: range.start, end: range.end, newText: `\n${block(lines, indent).replace(/\n$/, '')}` }];
  }
  const map = node as YAMLMap;
  const firstKey = map.items[0]!.key as Node;
  const indent = columnAt(text, firstKey.range![0]);
  const order = knownKeysUnder(parent);
  const present = new Map(map.items.map((p) => [isScalar(p.key) ? String(p.key.value) : String(p.key), p]));
  const rank = order.indexOf(key);
  // After the closest key that comes before it in the template's order, else before the first.
  let anchor: PathEntry | undefined;
  for (let i = rank - 1; i >= 0 && !anchor; i--) if (present.has(order[i]!)) anchor = entryAt(parsed, [...parent, order[i]!]);
  if (!anchor && rank === -1) anchor = entryAt(parsed, [...parent, [...present.keys()].pop()!]);
  if (anchor) {
    const at = endOfPair(parsed, anchor);
    const needsNewline = at === text.length && text.length > 0 && !text.endsWith('\n');
    return [{ start: at, end: at, newText: (needsNewline ? '\n' : '') + block(lines, indent) }];
  }
  const at = parsed.lines.lineStart(firstKey.range![0]);
  return [{ start: at, end: at, newText: block(lines, indent) }];
}

/** Removes a key with its value (and the lines they take). */
export function removeKey(parsed: ParsedInfoYaml, path: readonly string[]): TextEdit[] {
  const entry = entryAt(parsed, path);
  if (!entry?.keyRange) return [];
  return [{ start: parsed.lines.lineStart(entry.keyRange.start), end: endOfPair(parsed, entry), newText: '' }];
}

/** Sets a text field; an empty value removes an optional key. */
export function setScalar(parsed: ParsedInfoYaml, path: readonly string[], value: string): TextEdit[] {
  const entry = entryAt(parsed, path);
  const required = fieldAt(path)?.required ?? false;
  if (!entry) {
    if (value === '') return [];
    const lines = `${path[path.length - 1]}: ${yamlString(value, 0)}`.split('\n');
    return insertKey(parsed, path.slice(0, -1), path[path.length - 1]!, lines);
  }
  if (value === '' && !required) return removeKey(parsed, path);
  const text = parsed.text;
  const indent = entry.keyRange ? columnAt(text, entry.keyRange.start) : 0;
  const rendered = yamlString(value, indent);
  if (entry.node && isScalar(entry.node)) {
    const [start, end] = entry.node.range!;
    // A block scalar's range takes the line break after it: keep one.
    const keepNewline = text[end - 1] === '\n' && !rendered.endsWith('\n') ? '\n' : '';
    return [{ start, end, newText: rendered + keepNewline }];
  }
  const range = afterColon(parsed, entry);
  const keepNewline = text[range.end - 1] === '\n' ? '\n' : '';
  return [{ start: range.start, end: range.end, newText: ` ${rendered}${keepNewline}` }];
}

/** Column of the `- ` of a block sequence item. */
function dashColumn(text: string, itemStart: number): number {
  return columnAt(text, text.lastIndexOf('-', itemStart - 1));
}

/** Sets a list field item by item, so comments between untouched items stay. */
export function setList(parsed: ParsedInfoYaml, path: readonly string[], values: readonly string[]): TextEdit[] {
  const text = parsed.text;
  const entry = entryAt(parsed, path);
  const required = fieldAt(path)?.required ?? false;
  if (!entry) {
    if (values.length === 0) return [];
    const key = path[path.length - 1]!;
    return insertKey(parsed, path.slice(0, -1), key, [`${key}:`, ...values.map((v) => `${' '.repeat(INDENT)}- ${yamlString(v, INDENT)}`)]);
  }
  if (values.length === 0 && !required) return removeKey(parsed, path);
  const node = entry.node;
  if (!node || !isSeq(node) || (node as YAMLSeq).flow || (node as YAMLSeq).items.length === 0) {
    const indent = (entry.keyRange ? columnAt(text, entry.keyRange.start) : 0) + INDENT;
    const range = afterColon(parsed, entry);
    const keepNewline = text[range.end - 1] === '\n' ? '\n' : '';
    const newText = values.length ? '\n' + values.map((v) => `${' '.repeat(indent)}- ${yamlString(v, indent)}`).join('\n') : ' []';
    return [{ start: range.start, end: range.end, newText: newText + keepNewline }];
  }
  const items = (node as YAMLSeq).items as (Node | null)[];
  const edits: TextEdit[] = [];
  const firstItem = items.find((i) => i?.range);
  const dash = firstItem ? dashColumn(text, firstItem.range![0]) : 0;
  for (let i = 0; i < Math.min(items.length, values.length); i++) {
    const item = items[i];
    if (!item?.range) continue;
    const current = isScalar(item) ? String(item.value ?? '') : undefined;
    if (current === values[i]) continue;
    const [start, end] = item.range;
    const keepNewline = text[end - 1] === '\n' ? '\n' : '';
    edits.push({ start, end, newText: yamlString(values[i]!, dash) + keepNewline });
  }
  if (values.length > items.length) {
    const last = items[items.length - 1]!;
    const endLast = last.range![1];
    const at = text[endLast - 1] === '\n' ? endLast : parsed.lines.nextLineStart(endLast);
    const needsNewline = at === text.length && !text.endsWith('\n');
    const added = values.slice(items.length).map((v) => `${' '.repeat(dash)}- ${yamlString(v, dash)}`);
    edits.push({ start: at, end: at, newText: (needsNewline ? '\n' : '') + added.join('\n') + '\n' });
  }
  for (let i = values.length; i < items.length; i++) {
    const item = items[i];
    if (!item?.range) continue;
    const end = text[item.range[1] - 1] === '\n' ? item.range[1] : parsed.lines.nextLineStart(item.range[1]);
    edits.push({ start: parsed.lines.lineStart(item.range[0]), end, newText: '' });
  }
  return edits;
}
