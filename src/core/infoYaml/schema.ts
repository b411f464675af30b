// The ABCI Datasets info.yaml schema (media/info-yaml.schema.json, JSON Schema draft-07) and the
// field list derived from it, which the form and the quick fixes share. The JSON file is the one
// source of truth: the Red Hat YAML extension reads it too (contributes.yamlValidation).
import schemaJson from '../../../media/info-yaml.schema.json';

export const INFO_YAML_SCHEMA: Record<string, unknown> = schemaJson as Record<string, unknown>;

export type FieldKind = 'text' | 'longText' | 'list' | 'urlList' | 'url' | 'email' | 'date' | 'group';

export interface FieldSpec {
  /** Path of keys from the root, e.g. ['Creator', 'ContactPoint', 'Email']. */
  readonly path: readonly string[];
  readonly kind: FieldKind;
  /** Required whenever its parent exists (ContactPoint's Email/URL: one of the two, see `oneOfGroup`). */
  readonly required: boolean;
  /** Set for fields of which at least one is required. */
  readonly oneOfGroup?: string;
  readonly title: { readonly en: string; readonly ja: string };
  readonly description: { readonly en: string; readonly ja: string };
}

interface SchemaNode {
  type?: string;
  title?: string;
  'x-title-ja'?: string;
  'x-description-en'?: string;
  'x-description-ja'?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  required?: string[];
  anyOf?: { required?: string[] }[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const LONG_TEXT = new Set(['Description', 'AdditionalInfo']);

function kindOf(key: string, node: SchemaNode): FieldKind {
  if (node.type === 'object') return 'group';
  if (node.type === 'array') return node.items?.format === 'uri' ? 'urlList' : 'list';
  if (node.format === 'uri') return 'url';
  if (node.format === 'email') return 'email';
  if (node.pattern?.startsWith('^\\d{4}')) return 'date';
  return LONG_TEXT.has(key) ? 'longText' : 'text';
}

function collect(node: SchemaNode, prefix: string[], out: FieldSpec[]): void {
  const oneOf = new Set((node.anyOf ?? []).flatMap((branch) => branch.required ?? []));
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = [...prefix, key];
    out.push({
      path,
      kind: kindOf(key, child),
      required: (node.required ?? []).includes(key),
      oneOfGroup: oneOf.has(key) ? prefix.join('.') : undefined,
      title: { en: child.title ?? key, ja: child['x-title-ja'] ?? child.title ?? key },
      description: { en: child['x-description-en'] ?? '', ja: child['x-description-ja'] ?? '' },
    });
    if (child.type === 'object') collect(child, path, out);
  }
}

/** Every key the schema knows, parents before children, in the schema's (= the template's) order. */
export const INFO_YAML_FIELDS: readonly FieldSpec[] = (() => {
  const out: FieldSpec[] = [];
  collect(INFO_YAML_SCHEMA as SchemaNode, [], out);
  return out;
})();

export function fieldAt(path: readonly string[]): FieldSpec | undefined {
  const key = path.join('.');
  return INFO_YAML_FIELDS.find((f) => f.path.join('.') === key);
}

/** The keys the schema allows directly under path ([] = the top level), in schema order. */
export function knownKeysUnder(path: readonly string[]): string[] {
  return INFO_YAML_FIELDS.filter((f) => f.path.length === path.length + 1 && path.every((k, i) => f.path[i] === k)).map((f) => f.path[f.path.length - 1]!);
}
