// What validation reports: a code per kind of problem (stable: tests, quick fixes and the host's
// localised wording key on it), the exact source range, the field's path, English text for logs
// and tests, and the parameters the host needs to word it in the user's language.
import type { Position } from './textPositions';
import type { SourceRange } from './sourceTree';

export type InfoYamlCode =
  | 'not-text'
  | 'too-large'
  | 'empty-document'
  | 'not-a-mapping'
  | 'yaml-syntax'
  | 'tab-indent'
  | 'duplicate-key'
  | 'unterminated-quote'
  | 'unknown-alias'
  | 'alias-overflow'
  | 'alias-used'
  | 'missing-required'
  | 'missing-contact'
  | 'unknown-key'
  | 'wrong-type'
  | 'not-a-list'
  | 'version-not-string'
  | 'empty-value'
  | 'empty-list'
  | 'description-too-short'
  | 'invalid-url'
  | 'invalid-email'
  | 'invalid-date'
  | 'placeholder-not-filled';

export type Severity = 'error' | 'warning' | 'information';

/** A quick fix this problem offers; the edit itself is computed on demand (quickFixes.ts). */
export type FixHint =
  | { readonly kind: 'add-key'; readonly parent: readonly string[]; readonly key: string }
  | { readonly kind: 'to-sequence'; readonly path: readonly string[] }
  | { readonly kind: 'quote-value'; readonly path: readonly string[] }
  | { readonly kind: 'normalize-date'; readonly path: readonly string[]; readonly iso: string }
  | { readonly kind: 'rename-key'; readonly path: readonly string[]; readonly to: string };

export interface InfoYamlDiagnostic {
  readonly code: InfoYamlCode;
  readonly severity: Severity;
  readonly range: SourceRange;
  readonly start: Position;
  readonly end: Position;
  /** The field concerned (keys only, list indexes dropped), e.g. ['Creator', 'Name']; [] for the file. */
  readonly field: readonly string[];
  /** English, for logs and tests; the host words it per language from code and params. */
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly fix?: FixHint;
}

/** Size above which a file is not parsed: an info.yaml is a few kilobytes, and parsing megabytes
 * on every keystroke would stall the extension host. */
export const MAX_INFO_YAML_BYTES = 512 * 1024;
