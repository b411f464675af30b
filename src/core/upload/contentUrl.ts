// Writes the uploaded package's URL into info.yaml `Distribution.ContentURL` as the smallest text
// edit (src/core/infoYaml), so the user's comments and key order stay. Placeholders left by the
// export and an older URL of the same file name are replaced; other URLs the user listed stay.
import { applyEdits, hasPlaceholder, parseInfoYaml, setList } from '../infoYaml';

const PATH = ['Distribution', 'ContentURL'];

function currentList(doc: unknown): string[] {
  const dist = (doc as { Distribution?: { ContentURL?: unknown } } | null)?.Distribution;
  const value = dist?.ContentURL;
  if (Array.isArray(value)) return value.map((v) => String(v ?? ''));
  if (typeof value === 'string' && value) return [value];
  return [];
}

const fileName = (url: string): string => url.replace(/[?#].*$/, '').split('/').pop() ?? '';

export function withContentUrl(text: string, url: string): string {
  const parsed = parseInfoYaml(text);
  const existing = currentList(parsed.doc?.toJS());
  const keep = existing.filter((v) => v !== url && !hasPlaceholder(v) && fileName(v) !== fileName(url));
  const values = [url, ...keep];
  if (existing.length === values.length && existing.every((v, i) => v === values[i])) return text;
  return applyEdits(text, setList(parsed, PATH, values));
}
