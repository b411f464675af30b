// info.yaml for ABCI Datasets: schema, validation with source ranges, quick fixes and the edits
// behind the form editor. Plain Node (no vscode): the host turns these into diagnostics,
// code actions and WorkspaceEdits.
export { INFO_YAML_FIELDS, INFO_YAML_SCHEMA, fieldAt, knownKeysUnder, type FieldKind, type FieldSpec } from './schema';
export { MAX_INFO_YAML_BYTES, type FixHint, type InfoYamlCode, type InfoYamlDiagnostic, type Severity } from './diagnostics';
export { parseInfoYaml, validateInfoYaml, type ParsedInfoYaml } from './validate';
export { quickFixFor, type QuickFix } from './quickFixes';
export { insertKey, removeKey, setList, setScalar } from './edits';
export { applyEdits, type TextEdit } from './yamlText';
export { normalizeDate, ISO_DATE_PATTERN } from './dates';
export { PLACEHOLDER_PATTERN, PLACEHOLDER_PREFIX, hasPlaceholder, placeholder, placeholderYaml } from './placeholder';
export { readFormValues, type FormValues } from './formValues';
export { keyCompletions, keyPathAt, type KeyCompletion } from './completion';
