// The parsed info.yaml with source ranges: a plain value for the schema validator plus, for every
// path in it, where its key and value are in the text. The `yaml` package keeps a node tree with
// offsets and comments (js-yaml yields only plain values), which is what lets each problem sit on
// its exact key or value and each edit touch only its own characters.
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node, type Pair } from 'yaml';

export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export interface PathEntry {
  readonly path: readonly (string | number)[];
  /** The key's characters (absent for the root and sequence items). */
  readonly keyRange?: SourceRange;
  /** The value's characters; for a key with no value, the empty range just after the colon. */
  readonly valueRange: SourceRange;
  /** The node as written (an alias stays an alias); undefined for `Key:` with nothing after it. */
  readonly node: Node | undefined;
  /** The pair holding the value, when it is a mapping value. */
  readonly pair?: Pair;
}

export interface SourceTree {
  readonly value: unknown;
  readonly entries: ReadonlyMap<string, PathEntry>;
  readonly aliases: readonly SourceRange[];
  /** Set when aliases expand beyond reason (a "billion laughs" file): validation stops. */
  readonly aliasOverflow?: SourceRange;
  /** Aliases naming no anchor. */
  readonly unknownAliases: readonly SourceRange[];
}

/** JSON Pointer of a path, the form Ajv reports (`/Creator/ContactPoint`). */
export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function pathOfPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const MAX_ALIAS_EXPANSIONS = 1000;

const rangeOf = (node: Node): SourceRange => ({ start: node.range![0], end: node.range![1] });

export function buildSourceTree(doc: Document, text: string): SourceTree {
  const entries = new Map<string, PathEntry>();
  const aliases: SourceRange[] = [];
  const unknownAliases: SourceRange[] = [];
  let expansions = 0;
  let aliasOverflow: SourceRange | undefined;

  const convert = (node: Node | null | undefined, path: (string | number)[], record: boolean, depth: number): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (record) aliases.push(rangeOf(node));
      const target = (node as Alias).resolve(doc);
      if (!target) {
        unknownAliases.push(rangeOf(node));
        return null;
      }
      if (++expansions > MAX_ALIAS_EXPANSIONS || depth > 50) {
        aliasOverflow ??= rangeOf(node);
        return null;
      }
      // What an alias stands for is validated, but its ranges stay on the alias the user wrote.
      return convert(target as Node, path, false, depth + 1);
    }
    if (isScalar(node)) return scalarValue(node, text);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = [...path, key];
        const value = pair.value as Node | null;
        if (record && !entries.has(pointerOf(childPath))) {
          const keyNode = pair.key as Node | null;
          const keyRange = keyNode?.range ? rangeOf(keyNode) : undefined;
          entries.set(pointerOf(childPath), {
            path: childPath,
            keyRange,
            valueRange: value?.range ? rangeOf(value) : emptyValueRange(text, keyRange),
            node: value ?? undefined,
            pair: isPair(pair) ? (pair as Pair) : undefined,
          });
        }
        // The first of duplicate keys wins, as PyYAML's last-wins would hide the first: either
        // way the duplicate is reported as an error before this value is used.
        if (!(key in out)) out[key] = convert(value, childPath, record, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const childPath = [...path, i];
        const itemNode = item as Node | null;
        if (record) entries.set(pointerOf(childPath), { path: childPath, valueRange: itemNode?.range ? rangeOf(itemNode) : { start: 0, end: 0 }, node: itemNode ?? undefined });
        return convert(itemNode, childPath, record, depth + 1);
      });
    }
    return null;
  };

  const root = doc.contents as Node | null;
  if (root?.range) entries.set('', { path: [], valueRange: rangeOf(root), node: root });
  const value = convert(root, [], true, 0);
  return { value, entries, aliases, aliasOverflow, unknownAliases };
}

/** YAML 1.1 reads 2024-01-31 as a timestamp; for the schema it is the date as written. */
function scalarValue(node: Scalar, text: string): unknown {
  if (node.value instanceof Date) return node.range ? text.slice(node.range[0], node.range[1]).trim() : node.value.toISOString();
  return node.value;
}

/** For `Key:` with no value: the position just after the colon. */
function emptyValueRange(text: string, keyRange: SourceRange | undefined): SourceRange {
  if (!keyRange) return { start: 0, end: 0 };
  const colon = text.indexOf(':', keyRange.end);
  const at = colon === -1 ? keyRange.end : colon + 1;
  return { start: at, end: at };
}

/** What a value is, in words for messages: "a number", "a list"… */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'text';
}
