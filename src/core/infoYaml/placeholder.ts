// The marker for a value a person must still write. The export (MLWFExportModel_*/info.yaml)
// pre-fills what it knows and leaves this marker where only a person can answer; validation
// fails on it with "placeholder not filled", so an unfinished file is never submitted.
//
// The marker contains ": ", which starts a nested mapping in a plain YAML scalar: it must be
// written quoted. `placeholderYaml()` does that.

/** Start of the marker, e.g. `<<FILL IN: a short description of the model>>`. */
export const PLACEHOLDER_PREFIX = '<<FILL IN:';

/** Matches one whole placeholder inside a value (global: use with matchAll or lastIndex reset). */
export const PLACEHOLDER_PATTERN = /<<FILL IN:[^>]*>>/g;

/** Tells whether a value still holds a placeholder. */
export function hasPlaceholder(value: string): boolean {
  return value.includes(PLACEHOLDER_PREFIX);
}

/** The placeholder text for a hint, e.g. placeholder('contact e-mail') → `<<FILL IN: contact e-mail>>`. */
export function placeholder(hint: string): string {
  return `${PLACEHOLDER_PREFIX} ${hint.replace(/>/g, '')}>>`;
}

/** The placeholder as a YAML double-quoted scalar, ready to follow `Key: `. */
export function placeholderYaml(hint: string): string {
  return JSON.stringify(placeholder(hint));
}
