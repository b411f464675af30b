// Words every info.yaml problem and quick fix in the user's language: the core names the problem
// (code + parameters) and keeps English for logs and tests; this adds the field's rule from the
// schema (English or Japanese), so the fix is clear without opening the ABCI guide.
import * as vscode from 'vscode';
import { fieldAt, type InfoYamlDiagnostic, type QuickFix } from '../../core/infoYaml';

export const isJapanese = (): boolean => vscode.env.language.toLowerCase().startsWith('ja');

/** The schema's rule for a field, in the UI language ('' when it has none). */
export function ruleOf(field: readonly string[]): string {
  const spec = fieldAt(field);
  if (!spec) return '';
  return isJapanese() ? spec.description.ja : spec.description.en;
}

/** The field's title in the UI language. */
export function titleOf(field: readonly string[]): string {
  const spec = fieldAt(field);
  if (!spec) return field.join('.');
  return isJapanese() ? spec.title.ja : spec.title.en;
}

/** The problem alone, one sentence, localised. */
export function problemText(d: Pick<InfoYamlDiagnostic, 'code' | 'params' | 'message'>): string {
  const p = (k: string): string => String(d.params[k] ?? '');
  switch (d.code) {
    case 'not-text':
      return vscode.l10n.t('This is not a text file (it holds binary data): an info.yaml must be UTF-8 text.');
    case 'too-large':
      return vscode.l10n.t('The file is too large to validate ({0} KiB; an info.yaml is a few KiB, the limit is {1} KiB).', p('sizeKiB'), p('limitKiB'));
    case 'empty-document':
      return vscode.l10n.t('The file is empty: an info.yaml needs Name, Description, Keywords, Creator and License.');
    case 'not-a-mapping':
      return p('kind') === 'list'
        ? vscode.l10n.t('The top level is a list: an info.yaml is a mapping of keys such as Name: and Description:.')
        : vscode.l10n.t('The top level is a single value: an info.yaml is a mapping of keys such as Name: and Description:.');
    case 'yaml-syntax':
      return vscode.l10n.t('YAML syntax error: {0}.', p('detail'));
    case 'tab-indent':
      return vscode.l10n.t('Tabs are not allowed for indentation in YAML: indent with spaces.');
    case 'duplicate-key':
      return vscode.l10n.t('The key {0} appears more than once: keep one.', p('key'));
    case 'unterminated-quote':
      return vscode.l10n.t('A quoted value is not closed: add the closing quote.');
    case 'unknown-alias':
      return vscode.l10n.t('The alias {0} names no anchor (&name) defined before it.', p('alias'));
    case 'alias-overflow':
      return vscode.l10n.t('Aliases expand into too many values: this file is not validated further.');
    case 'alias-used':
      return vscode.l10n.t('An alias (*name) repeats a value from elsewhere: it is validated as that value, and the form edits the anchored original.');
    case 'missing-required':
      return vscode.l10n.t('{0} is required and missing.', p('key'));
    case 'missing-contact':
      return vscode.l10n.t('{0} needs an Email or a URL (at least one of the two).', p('key'));
    case 'unknown-key':
      if (p('suggestion')) return vscode.l10n.t('Unknown key {0}: did you mean {1}?', p('key'), p('suggestion'));
      return vscode.l10n.t('Unknown key {0}: ABCI Datasets does not read it.', p('key'));
    case 'wrong-type':
      if (p('expected') === 'string' && (p('actual') === 'a number' || p('actual') === 'a boolean')) return vscode.l10n.t('{0} is read as a number or true/false, not text: quote it.', p('key'));
      if (p('expected') === 'object') return vscode.l10n.t('{0} must be a mapping of keys.', p('key'));
      if (p('expected') === 'array') return vscode.l10n.t('{0} must be a list.', p('key'));
      return vscode.l10n.t('{0} must be text.', p('key'));
    case 'not-a-list':
      return vscode.l10n.t('{0} must be a block sequence (one "- item" per line), even for one item.', p('key'));
    case 'version-not-string':
      return vscode.l10n.t('Version {0} is read as a number: quote it ("{0}").', p('value'));
    case 'empty-value':
      return vscode.l10n.t('{0} is empty.', p('key'));
    case 'empty-list':
      return vscode.l10n.t('{0} is an empty list: give at least one item.', p('key'));
    case 'description-too-short':
      return vscode.l10n.t('{0} has {1} characters; it must be more than {2}.', p('key'), p('length'), p('min'));
    case 'invalid-url':
      return vscode.l10n.t('{0} is not a URL (like https://example.com/…): {1}', p('key'), p('value'));
    case 'invalid-email':
      return vscode.l10n.t('{0} is not an e-mail address: {1}', p('key'), p('value'));
    case 'invalid-date':
      if (p('iso')) return vscode.l10n.t('{0} {1} is not ISO 8601: write {2}.', p('key'), p('value'), p('iso'));
      return vscode.l10n.t('{0} {1} is not an ISO 8601 date (2024-01-31, time optional: 2024-01-31T09:00:00+09:00).', p('key'), p('value'));
    case 'placeholder-not-filled':
      return vscode.l10n.t('{0} is not filled in yet: replace the placeholder {1}.', p('key'), p('placeholder'));
  }
}

/** Problem plus the field's rule, as shown in the Problems panel and on hover. */
export function diagnosticText(d: InfoYamlDiagnostic): string {
  const rule = d.code === 'unknown-key' ? '' : ruleOf(d.field);
  return rule ? `${problemText(d)}\n${vscode.l10n.t('Rule: {0}', rule)}` : problemText(d);
}

export function quickFixTitle(fix: QuickFix): string {
  switch (fix.kind) {
    case 'add-key':
      return vscode.l10n.t('Add {0} with a placeholder', fix.params.key ?? '');
    case 'to-sequence':
      return vscode.l10n.t('Make {0} a block sequence', fix.params.key ?? '');
    case 'quote-value':
      return vscode.l10n.t('Quote {0}', fix.params.key ?? '');
    case 'normalize-date':
      return vscode.l10n.t('Change to {0}', fix.params.iso ?? '');
    case 'rename-key':
      return vscode.l10n.t('Rename to {0}', fix.params.to ?? '');
  }
}
