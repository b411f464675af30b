/**
 * Low-level reads of MLflow's file store: `meta.yaml` files, key/value folders (params, tags:
 * one file per key, nested keys as subfolders) and directory listings. Everything here is
 * tolerant of missing folders (an empty run has no `params/`), but not of malformed YAML: the
 * caller decides whether one broken file should hide an item or fail the request.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import type { KeyValue } from '../mlflow/types';
import * as l10n from '@vscode/l10n';

export type Meta = Record<string, unknown>;

/** A meta.yaml that exists but cannot be understood; carries the file for problem reports. */
export class MetaError extends Error {
  constructor(readonly file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetaError';
  }
}

function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Parsed meta.yaml, or undefined when the file does not exist; MetaError when unreadable. */
export async function readMeta(file: string): Promise<Meta | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw new MetaError(file, l10n.t('cannot read: {0}', (e as Error).message), { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = load(text, { filename: file });
  } catch (e) {
    // js-yaml's message includes a code excerpt over several lines: keep the first one.
    throw new MetaError(file, l10n.t('invalid YAML: {0}', (e as Error).message.split('\n')[0]), { cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MetaError(file, l10n.t('invalid meta.yaml: expected a mapping of fields'));
  }
  return parsed as Meta;
}

/** Names of the entries of a folder (empty when it does not exist). */
export async function listEntries(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a file as text, or undefined when missing. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * `params/` or `tags/`: one file per key whose content is the value. Keys containing '/' are
 * stored as subfolders, so the folder is walked recursively and keys rebuilt with '/'.
 */
export async function readKeyValueDir(dir: string): Promise<KeyValue[]> {
  const out: KeyValue[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const entries = await listEntries(folder);
    // Sorted so answers are stable across file systems (readdir order is not defined).
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile()) out.push({ key: `${prefix}${entry.name}`, value: await fs.readFile(full, 'utf8') });
    }
  };
  await walk(dir, '');
  return out;
}

/** Relative paths of the files below `dir` (metric keys), with '/' separators. */
export async function listFileKeys(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await listEntries(folder)) {
      if (entry.isDirectory()) await walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) out.push(`${prefix}${entry.name}`);
    }
  };
  await walk(dir, '');
  return out.sort();
}

/**
 * A key from outside (metric key, alias, model name) as a path below `dir`. Keys may contain
 * '/', but no segment may be empty, '.' or '..', so the result always stays inside `dir`.
 */
export function keyPath(dir: string, key: string): string | undefined {
  const segments = key.split('/');
  if (key === '' || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    return undefined;
  }
  return path.join(dir, ...segments);
}

export function metaString(meta: Meta, field: string): string {
  const v = meta[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return '';
}

export function metaNumber(meta: Meta, field: string): number | undefined {
  const v = meta[field];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}
