// Unpacks a model package (tar, gzip or not) without trusting it: every entry must be a plain
// file or folder with a relative path that stays inside the target. Links, devices, absolute
// paths and `..` refuse the whole archive — a half-trusted model folder is worse than none.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import * as l10n from '@vscode/l10n';

export class UnsafeArchiveError extends Error {}

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/** Why an entry path is unsafe, or undefined when it is a clean relative path. */
export function unsafeEntryReason(entryPath: string): string | undefined {
  if (entryPath.includes('\0')) return 'contains a NUL character';
  if (entryPath.includes('\\')) return 'contains a backslash';
  if (entryPath.startsWith('/') || /^[A-Za-z]:/.test(entryPath)) return 'is absolute';
  if (entryPath.split('/').some((s) => s === '..')) return 'climbs out with ..';
  return undefined;
}

/** Checks every entry first (nothing is written when one is unsafe), then extracts into `targetDir`. */
export async function safeUnpack(archive: string, targetDir: string): Promise<number> {
  const problems: string[] = [];
  let entries = 0;
  await tar.t({
    file: archive,
    strict: true,
    onReadEntry: (entry) => {
      entries++;
      const reason = !ALLOWED_TYPES.has(entry.type) ? `is a ${entry.type} entry (links and special files are refused)` : unsafeEntryReason(entry.path);
      if (reason && problems.length < 5) problems.push(`"${entry.path}" ${reason}`);
    },
  }).catch((err: Error) => {
    throw new UnsafeArchiveError(l10n.t('The package is not a readable tar archive: {0}', err.message));
  });
  if (problems.length > 0) throw new UnsafeArchiveError(l10n.t('The package was refused: {0}.', problems.join('; ')));
  if (entries === 0) throw new UnsafeArchiveError(l10n.t('The package is an empty archive.'));

  mkdirSync(targetDir, { recursive: true });
  const root = path.resolve(targetDir);
  await tar.x({
    file: archive,
    cwd: root,
    strict: true,
    // Defence in depth: the same rules again at extraction, and no owner or odd modes from the archive.
    preservePaths: false,
    preserveOwner: false,
    noChmod: false,
    filter: (p, entry) => {
      const type = 'type' in entry ? entry.type : 'File';
      const resolved = path.resolve(root, p);
      const inside = resolved === root || resolved.startsWith(root + path.sep);
      if (!ALLOWED_TYPES.has(type) || unsafeEntryReason(p) || !inside) throw new UnsafeArchiveError(l10n.t('The package was refused: "{0}" is not a plain file inside the folder.', p));
      return true;
    },
  });
  return entries;
}
