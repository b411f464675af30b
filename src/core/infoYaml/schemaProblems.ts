// Schema validation (Ajv, draft-07) of the parsed value, with every Ajv error turned into one of
// our codes, placed on the key or value it concerns, and given the quick fix that repairs it.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isScalar, Scalar } from 'yaml';
import { normalizeDate } from './dates';
import { nearestKey } from './nearestKey';
import { PLACEHOLDER_PATTERN } from './placeholder';
import { fieldAt, INFO_YAML_SCHEMA, knownKeysUnder } from './schema';
import { describeValue, pathOfPointer, pointerOf, type SourceRange, type SourceTree } from './sourceTree';
import type { Report } from './validate';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // allErrors: the user fixes a file in one pass, not one problem per save.
    const ajv = new Ajv({ allErrors: true, strictTypes: false });
    addFormats(ajv, ['uri', 'email']);
    // Annotations for the Red Hat YAML extension's hovers and messages, and our Japanese texts.
    ajv.addVocabulary(['errorMessage', 'patternErrorMessage', 'x-title-ja', 'x-description-en', 'x-description-ja']);
    compiled = ajv.compile(INFO_YAML_SCHEMA);
  }
  return compiled;
}

const LIST_FIELDS = new Set(['Keywords', 'Distribution.ContentURL', 'Citation']);

/** Keys only: ['Keywords', '0'] → ['Keywords']. */
const fieldOf = (path: readonly string[]): string[] => path.filter((k) => !/^\d+$/.test(k));

export function schemaProblems(tree: SourceTree, text: string, report: Report): void {
  const validate = validator();
  if (validate(tree.value)) return;
  const seen = new Set<string>();
  const once = (path: readonly string[], code: string): boolean => {
    const key = `${pointerOf(path)}|${code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const firstTopLevelKey = [...tree.entries.values()].find((e) => e.path.length === 1)?.keyRange ?? { start: 0, end: 0 };
  const keyRangeOf = (path: readonly string[]): SourceRange => (path.length === 0 ? firstTopLevelKey : tree.entries.get(pointerOf(path))?.keyRange ?? firstTopLevelKey);
  const valueRangeOf = (path: readonly string[]): SourceRange => tree.entries.get(pointerOf(path))?.valueRange ?? keyRangeOf(path);
  const valueAt = (path: readonly string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), tree.value);
  const sourceOf = (path: readonly string[]): string => {
    const r = valueRangeOf(path);
    return text.slice(r.start, r.end).trim();
  };
  // "Keywords #2" for the second item (no words: the host puts it in English or Japanese sentences).
  const name = (path: readonly string[]): string => {
    const last = path[path.length - 1];
    return fieldOf(path).join('.') + (last !== undefined && /^\d+$/.test(last) ? ` #${Number(last) + 1}` : '');
  };

  // A placeholder is the one thing to say about a value: not also "not a URL" or "too short".
  const placeholders = new Set((validate.errors ?? []).filter((e) => e.keyword === 'not').map((e) => e.instancePath));
  const hiddenByPlaceholder = new Set(['format', 'pattern', 'minLength']);
  for (const error of validate.errors ?? []) {
    if (hiddenByPlaceholder.has(error.keyword) && placeholders.has(error.instancePath)) continue;
    const path = pathOfPointer(error.instancePath);
    const dotted = name(path);
    switch (error.keyword) {
      case 'required': {
        if (error.schemaPath.includes('/anyOf/')) break; // reported once as missing-contact
        const key = (error.params as { missingProperty: string }).missingProperty;
        const full = [...path, key];
        if (!once(full, 'missing-required')) break;
        report('missing-required', keyRangeOf(path), full, `${full.join('.')} is required and missing.`, { key: full.join('.') }, { fix: { kind: 'add-key', parent: path, key } });
        break;
      }
      case 'anyOf': {
        if (!once(path, 'missing-contact')) break;
        report('missing-contact', keyRangeOf(path), path, `${dotted} needs an Email or a URL (at least one of the two).`, { key: dotted }, { fix: { kind: 'add-key', parent: path, key: 'Email' } });
        break;
      }
      case 'additionalProperties': {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const full = [...path, key];
        const known = knownKeysUnder(path).filter((k) => !(valueAt(path) as Record<string, unknown>)?.[k]);
        const suggestion = nearestKey(key, known.length ? known : knownKeysUnder(path));
        const where = path.length ? `under ${dotted}` : 'at the top level';
        const fixTo = suggestion && known.includes(suggestion) ? suggestion : undefined;
        report(
          'unknown-key',
          keyRangeOf(full),
          full,
          suggestion ? `Unknown key ${key} ${where}: did you mean ${suggestion}?` : `Unknown key ${key} ${where}: ABCI Datasets does not read it.`,
          { key, suggestion: suggestion ?? '', parent: dotted },
          { severity: 'warning', fix: fixTo ? { kind: 'rename-key', path: full, to: fixTo } : undefined },
        );
        break;
      }
      case 'type':
        typeProblem(path, (error.params as { type: string }).type);
        break;
      case 'minLength': {
        const limit = (error.params as { limit: number }).limit;
        const value = String(valueAt(path) ?? '');
        if (limit > 1) {
          if (!once(path, 'description-too-short')) break;
          report('description-too-short', valueRangeOf(path), fieldOf(path), `${dotted} has ${[...value].length} characters; it must be more than ${limit - 1}.`, { key: dotted, length: [...value].length, min: limit - 1 });
        } else if (once(path, 'empty-value')) {
          report('empty-value', valueRangeOf(path), fieldOf(path), `${dotted} is empty.`, { key: dotted });
        }
        break;
      }
      case 'minItems':
        if (once(path, 'empty-list')) report('empty-list', valueRangeOf(path), fieldOf(path), `${dotted} is an empty list: give at least one item.`, { key: dotted });
        break;
      case 'format':
      case 'pattern':
        formatProblem(path, error);
        break;
      case 'not': {
        if (!once(path, 'placeholder-not-filled')) break;
        const range = valueRangeOf(path);
        const source = text.slice(range.start, range.end);
        const m = new RegExp(PLACEHOLDER_PATTERN.source).exec(source);
        const exact = m ? { start: range.start + m.index, end: range.start + m.index + m[0].length } : range;
        report('placeholder-not-filled', exact, fieldOf(path), `${dotted} is not filled in yet: replace the placeholder ${m?.[0] ?? ''}.`.replace(/ \.$/, '.'), { key: dotted, placeholder: m?.[0] ?? '' });
        break;
      }
      default:
        // allOf and the like only repeat what their sub-errors say.
        break;
    }
  }

  function typeProblem(path: string[], expected: string): void {
    const dotted = name(path);
    const value = valueAt(path);
    const entry = tree.entries.get(pointerOf(path));
    const scalar = entry?.node && isScalar(entry.node) ? (entry.node as Scalar) : undefined;
    const field = fieldAt(fieldOf(path));
    if (value === null || value === undefined) {
      if (!once(path, 'empty-value')) return;
      const fix = field?.kind === 'group' || field?.required ? { kind: 'add-key' as const, parent: path.slice(0, -1), key: path[path.length - 1]! } : undefined;
      report('empty-value', valueRangeOf(path), fieldOf(path), `${dotted} is empty.`, { key: dotted }, { fix: path.length > 0 && fix && !/^\d+$/.test(fix.key) ? fix : undefined });
      return;
    }
    if (field?.kind === 'date' && scalar) {
      dateProblem(path, sourceOf(path));
      return;
    }
    if (expected === 'array' && LIST_FIELDS.has(dotted) && scalar) {
      if (once(path, 'not-a-list')) {
        report('not-a-list', valueRangeOf(path), fieldOf(path), `${dotted} must be a block sequence (one "- item" per line), even for one item.`, { key: dotted }, { fix: { kind: 'to-sequence', path } });
      }
      return;
    }
    if (expected === 'string' && scalar && (typeof value === 'number' || typeof value === 'boolean')) {
      const actual = describeValue(value);
      if (dotted === 'Version') {
        if (once(path, 'version-not-string')) report('version-not-string', valueRangeOf(path), ['Version'], `Version ${sourceOf(path)} is read as ${actual}: quote it ("${sourceOf(path)}").`, { value: sourceOf(path), actual }, { fix: { kind: 'quote-value', path } });
        return;
      }
      if (once(path, 'wrong-type')) report('wrong-type', valueRangeOf(path), fieldOf(path), `${dotted} is read as ${actual} (${sourceOf(path)}), not text: quote it.`, { key: dotted, expected, actual }, { fix: { kind: 'quote-value', path } });
      return;
    }
    // `- Title. Available: https://…` is a one-line mapping by accident: quoting makes it text.
    const oneLineMapping = expected === 'string' && entry?.node && !isScalar(entry.node) && !sourceOf(path).includes('\n') && typeof value === 'object' && !Array.isArray(value);
    if (once(path, 'wrong-type')) {
      const expectedWords = expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : 'text';
      report('wrong-type', valueRangeOf(path), fieldOf(path), `${dotted} must be ${expectedWords}, not ${describeValue(value)}${oneLineMapping ? ' (": " starts a mapping: quote the text)' : ''}.`, { key: dotted, expected, actual: describeValue(value) }, { fix: oneLineMapping ? { kind: 'quote-value', path } : undefined });
    }
  }

  function formatProblem(path: string[], error: ErrorObject): void {
    const dotted = name(path);
    const field = fieldAt(fieldOf(path));
    if (field?.kind === 'date') {
      dateProblem(path, String(valueAt(path)));
      return;
    }
    if ((error.params as { format?: string }).format === 'email' || field?.kind === 'email') {
      if (once(path, 'invalid-email')) report('invalid-email', valueRangeOf(path), fieldOf(path), `${dotted} is not an e-mail address: ${String(valueAt(path))}.`, { key: dotted, value: String(valueAt(path)) });
      return;
    }
    if (once(path, 'invalid-url')) report('invalid-url', valueRangeOf(path), fieldOf(path), `${dotted} is not a URL (like https://example.com/…): ${String(valueAt(path))}.`, { key: dotted, value: String(valueAt(path)) });
  }

  function dateProblem(path: string[], written: string): void {
    if (!once(path, 'invalid-date')) return;
    const dotted = name(path);
    const iso = normalizeDate(written);
    report(
      'invalid-date',
      valueRangeOf(path),
      fieldOf(path),
      iso ? `${dotted} ${written} is not ISO 8601: write ${iso}.` : `${dotted} ${written} is not an ISO 8601 date (2024-01-31, time optional: 2024-01-31T09:00:00+09:00).`,
      { key: dotted, value: written, iso: iso ?? '' },
      { fix: iso ? { kind: 'normalize-date', path, iso } : undefined },
    );
  }
}
