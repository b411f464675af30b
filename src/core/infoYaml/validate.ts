// Parses and validates an info.yaml text: syntax problems from the YAML parser, then the schema
// (Ajv) on the parsed value, each problem mapped back onto the exact key or value range.
// Never throws: whatever the text, the result is a list of diagnostics.
import { parseDocument, type Document } from 'yaml';
import { schemaProblems } from './schemaProblems';
import { buildSourceTree, type SourceRange, type SourceTree } from './sourceTree';
import { LineIndex } from './textPositions';
import { MAX_INFO_YAML_BYTES, type InfoYamlDiagnostic, type InfoYamlCode, type Severity, type FixHint } from './diagnostics';

export interface ParsedInfoYaml {
  readonly text: string;
  readonly lines: LineIndex;
  /** Undefined when the text was not parsed (binary, too large). */
  readonly doc?: Document;
  readonly tree?: SourceTree;
  readonly diagnostics: readonly InfoYamlDiagnostic[];
}

/** Builds a diagnostic with positions from offsets. */
export type Report = (code: InfoYamlCode, range: SourceRange, field: readonly string[], message: string, params?: Record<string, string | number>, extra?: { severity?: Severity; fix?: FixHint }) => void;

function reporter(lines: LineIndex, out: InfoYamlDiagnostic[]): Report {
  return (code, rawRange, field, message, params = {}, extra = {}) => {
    // Block values end after their line break; the squiggle should end with the last character.
    let end = rawRange.end;
    while (end > rawRange.start && /\s/.test(lines.text[end - 1] ?? '')) end--;
    const range = { start: rawRange.start, end: end > rawRange.start ? end : rawRange.end };
    out.push({
      code,
      severity: extra.severity ?? 'error',
      range,
      start: lines.positionAt(range.start),
      end: lines.positionAt(range.end),
      field,
      message,
      params,
      fix: extra.fix,
    });
  };
}

/** Control characters that never occur in a text file (NUL, and C0 codes other than tab/CR/LF). */
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

const firstLineRange = (text: string): SourceRange => ({ start: 0, end: Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')) });

export function parseInfoYaml(text: string): ParsedInfoYaml {
  const lines = new LineIndex(text);
  const diagnostics: InfoYamlDiagnostic[] = [];
  const report = reporter(lines, diagnostics);

  if (Buffer.byteLength(text, 'utf8') > MAX_INFO_YAML_BYTES) {
    report('too-large', firstLineRange(text), [], `The file is too large to validate (${Math.round(Buffer.byteLength(text, 'utf8') / 1024)} KiB; an info.yaml is a few KiB, the limit is ${MAX_INFO_YAML_BYTES / 1024} KiB).`, {
      sizeKiB: Math.round(Buffer.byteLength(text, 'utf8') / 1024),
      limitKiB: MAX_INFO_YAML_BYTES / 1024,
    });
    return { text, lines, diagnostics };
  }
  const binaryAt = text.search(BINARY);
  if (binaryAt !== -1 || text.includes('\ufffd')) {
    const at = binaryAt !== -1 ? binaryAt : text.indexOf('\ufffd');
    report('not-text', { start: at, end: at + 1 }, [], 'This is not a text file (it holds binary data): an info.yaml must be UTF-8 text.');
    return { text, lines, diagnostics };
  }

  let doc: Document;
  try {
    // YAML 1.1, as PyYAML reads it on the Datasets side: `yes`, `no`, `on` are booleans there.
    doc = parseDocument(text, { version: '1.1', uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  } catch (err) {
    report('yaml-syntax', firstLineRange(text), [], `The YAML parser failed: ${err instanceof Error ? err.message : String(err)}`, { detail: err instanceof Error ? err.message : String(err) });
    return { text, lines, diagnostics };
  }

  for (const error of doc.errors) {
    const range = { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) };
    const detail = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (error.code === 'TAB_AS_INDENT') report('tab-indent', range, [], 'Tabs are not allowed for indentation in YAML: indent with spaces.');
    else if (error.code === 'DUPLICATE_KEY') {
      const lineEnd = text.indexOf('\n', error.pos[0]);
      const colon = text.indexOf(':', error.pos[0]);
      const keyEnd = colon !== -1 && (lineEnd === -1 || colon < lineEnd) ? colon : error.pos[1];
      const key = text.slice(error.pos[0], keyEnd).trim();
      report('duplicate-key', { start: error.pos[0], end: error.pos[0] + Math.max(1, key.length) }, [key], `The key ${key} appears more than once: keep one.`, { key });
    } else if (error.code === 'MISSING_CHAR' && /closing/.test(error.message)) {
      const opening = unterminatedQuoteStart(text, error.pos[0]);
      report('unterminated-quote', opening ?? range, [], 'A quoted value is not closed: add the closing quote.');
    } else report('yaml-syntax', range, [], `YAML syntax error: ${detail}.`, { detail });
  }
  if (doc.errors.length > 0) {
    placeholdersInBrokenText(text, report);
    return { text, lines, doc, diagnostics };
  }

  const root = doc.contents;
  if (root === null || root === undefined) {
    report('empty-document', firstLineRange(text), [], 'The file is empty: an info.yaml needs Name, Description, Keywords, Creator and License.');
    return { text, lines, doc, diagnostics };
  }
  const tree = buildSourceTree(doc, text);
  const rootRange = tree.entries.get('')!.valueRange;
  if (tree.value === null || typeof tree.value !== 'object' || Array.isArray(tree.value)) {
    const kind = Array.isArray(tree.value) ? 'a list' : 'a single value';
    report('not-a-mapping', rootRange, [], `The top level is ${kind}: an info.yaml is a mapping of keys such as Name: and Description:.`, { kind: Array.isArray(tree.value) ? 'list' : 'scalar' });
    return { text, lines, doc, tree, diagnostics };
  }
  for (const range of tree.unknownAliases) report('unknown-alias', range, [], `The alias ${text.slice(range.start, range.end)} names no anchor (&name) defined before it.`, { alias: text.slice(range.start, range.end) });
  if (tree.aliasOverflow) {
    report('alias-overflow', tree.aliasOverflow, [], 'Aliases expand into too many values: this file is not validated further.');
    return { text, lines, doc, tree, diagnostics };
  }
  if (tree.unknownAliases.length > 0) return { text, lines, doc, tree, diagnostics };
  for (const range of tree.aliases) {
    report('alias-used', range, [], 'An alias (*name) repeats a value from elsewhere: it is validated as that value, and the form edits the anchored original.', {}, { severity: 'information' });
  }
  schemaProblems(tree, text, report);
  return { text, lines, doc, tree, diagnostics };
}

/** Every problem of an info.yaml text, in source order. */
export function validateInfoYaml(text: string): InfoYamlDiagnostic[] {
  return [...parseInfoYaml(text).diagnostics].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}

/** The parser reports an unclosed quote where the text ends; the user needs the quote that opened it. */
function unterminatedQuoteStart(text: string, errorAt: number): SourceRange | undefined {
  const before = text.slice(0, errorAt);
  const candidates = [...before.matchAll(/:[ \t]+(["'])/g)];
  for (let i = candidates.length - 1; i >= 0; i--) {
    const m = candidates[i]!;
    const quoteAt = m.index! + m[0].length - 1;
    const lineEnd = text.indexOf('\n', quoteAt);
    const rest = text.slice(quoteAt + 1, lineEnd === -1 ? text.length : lineEnd);
    if (!rest.includes(m[1]!)) return { start: quoteAt, end: lineEnd === -1 ? text.length : lineEnd };
  }
  return undefined;
}

/** An unquoted `Key: <<FILL IN: …>>` breaks the YAML itself; say what it is, not only "syntax". */
function placeholdersInBrokenText(text: string, report: Report): void {
  for (const m of text.matchAll(/^([ \t-]*)([A-Za-z][\w]*):[ \t]+(<<FILL IN:[^>\n]*>>)/gm)) {
    const start = m.index! + m[0].length - m[3]!.length;
    report('placeholder-not-filled', { start, end: start + m[3]!.length }, [m[2]!], `${m[2]} is not filled in yet: replace the placeholder ${m[3]}.`, { key: m[2]!, placeholder: m[3]! });
  }
}
