// Quick fixes: the edits that repair one diagnostic, computed from the current text (never from
// a stale copy), each touching only its own characters so comments and key order survive.
import { isScalar } from 'yaml';
import type { FixHint, InfoYamlDiagnostic } from './diagnostics';
import { insertKey, skeletonLines } from './edits';
import { pointerOf } from './sourceTree';
import { parseInfoYaml, type ParsedInfoYaml } from './validate';
import { columnAt, yamlString, type TextEdit } from './yamlText';

export interface QuickFix {
  readonly kind: FixHint['kind'];
  /** English title, for logs and tests; the host words it from kind and params. */
  readonly title: string;
  readonly params: Readonly<Record<string, string>>;
  readonly edits: readonly TextEdit[];
}

/** The fix a diagnostic offers, as edits of text (which must be the text it was computed on). */
export function quickFixFor(text: string, diagnostic: Pick<InfoYamlDiagnostic, 'fix'>, parsed: ParsedInfoYaml = parseInfoYaml(text)): QuickFix | undefined {
  const hint = diagnostic.fix;
  if (!hint || !parsed.tree) return undefined;
  const edits = editsFor(parsed, hint);
  if (!edits || edits.length === 0) return undefined;
  return { kind: hint.kind, ...titleOf(hint), edits };
}

function titleOf(hint: FixHint): { title: string; params: Record<string, string> } {
  switch (hint.kind) {
    case 'add-key': {
      const key = [...hint.parent, hint.key].join('.');
      return { title: `Add ${key} with a placeholder`, params: { key } };
    }
    case 'to-sequence':
      return { title: `Make ${hint.path.join('.')} a block sequence`, params: { key: hint.path.join('.') } };
    case 'quote-value':
      return { title: `Quote ${hint.path.join('.')}`, params: { key: hint.path.join('.') } };
    case 'normalize-date':
      return { title: `Change to ${hint.iso}`, params: { iso: hint.iso } };
    case 'rename-key':
      return { title: `Rename to ${hint.to}`, params: { to: hint.to } };
  }
}

function editsFor(parsed: ParsedInfoYaml, hint: FixHint): TextEdit[] | undefined {
  const text = parsed.text;
  const entries = parsed.tree!.entries;
  switch (hint.kind) {
    case 'add-key': {
      const path = [...hint.parent, hint.key];
      const existing = entries.get(pointerOf(path));
      if (existing && existing.node !== undefined && !(isScalar(existing.node) && existing.node.value === null)) {
        // The key exists with a value: nothing to add (never write it a second time).
        return undefined;
      }
      if (existing?.keyRange) {
        // `Creator:` with nothing after it: fill in its required keys under it.
        const [, ...children] = skeletonLines(path);
        if (children.length === 0) {
          const [line] = skeletonLines(path);
          const value = line!.slice(line!.indexOf(':') + 1);
          const colon = text.indexOf(':', existing.keyRange.end);
          return [{ start: colon + 1, end: existing.valueRange.end, newText: value }];
        }
        const indent = columnAt(text, existing.keyRange.start);
        const colon = text.indexOf(':', existing.keyRange.end);
        return [{ start: colon + 1, end: existing.valueRange.end, newText: '\n' + children.map((l) => ' '.repeat(indent) + l).join('\n') }];
      }
      return insertKey(parsed, hint.parent, hint.key, skeletonLines(path));
    }
    case 'to-sequence': {
      const entry = entries.get(pointerOf(hint.path));
      if (!entry?.keyRange || !entry.node || !isScalar(entry.node)) return undefined;
      const value = String(entry.node.value ?? '');
      // "a, b, c" is a list written on one line; only keywords are split (citations hold commas).
      const items = hint.path.join('.') === 'Keywords' && entry.node.type === 'PLAIN' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [value];
      const indent = columnAt(text, entry.keyRange.start) + 2;
      const colon = text.indexOf(':', entry.keyRange.end);
      const [, end] = entry.node.range!;
      const keepNewline = text[end - 1] === '\n' ? '\n' : '';
      const source = text.slice(entry.valueRange.start, entry.valueRange.end).trim();
      const written = items.length === 1 && !source.startsWith('|') && !source.startsWith('>') && !source.includes('\n') ? [source] : items.map((v) => yamlString(v, indent));
      return [{ start: colon + 1, end, newText: '\n' + written.map((v) => `${' '.repeat(indent)}- ${v}`).join('\n') + keepNewline }];
    }
    case 'quote-value': {
      const entry = entries.get(pointerOf(hint.path));
      if (!entry?.node) return undefined;
      const source = text.slice(entry.valueRange.start, entry.valueRange.end).trim();
      if (source.includes('\n')) return undefined;
      return [{ start: entry.valueRange.start, end: entry.valueRange.end, newText: JSON.stringify(source) }];
    }
    case 'normalize-date': {
      const entry = entries.get(pointerOf(hint.path));
      if (!entry?.node || !isScalar(entry.node)) return undefined;
      return [{ start: entry.valueRange.start, end: entry.valueRange.end, newText: hint.iso }];
    }
    case 'rename-key': {
      const entry = entries.get(pointerOf(hint.path));
      if (!entry?.keyRange || entries.has(pointerOf([...hint.path.slice(0, -1), hint.to]))) return undefined;
      return [{ start: entry.keyRange.start, end: entry.keyRange.end, newText: hint.to }];
    }
  }
}
