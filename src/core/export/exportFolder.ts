// The export folder's name and life: `MLWFExportModel_YYYYMMDDhhmmss` in local time (like the
// CLI it replaces), built in a hidden temporary sibling and renamed at the very end, so the
// name only ever appears complete. Nothing existing is ever overwritten.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

export const EXPORT_FOLDER_PREFIX = 'MLWFExportModel_';

const pad = (n: number) => String(n).padStart(2, '0');

export function exportFolderName(at: Date): string {
  return `${EXPORT_FOLDER_PREFIX}${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}

/** A fresh hidden folder next to where the export will land. */
export async function makeTemporaryFolder(outputDir: string, finalName: string): Promise<string> {
  const dir = path.join(outputDir, `.${finalName}.partial-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(dir);
  return dir;
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Renames the finished folder into place. rename(2) would silently replace an empty folder of
 * the same name, so an existing name gets a suffix (`_2`, `_3`…) instead.
 */
export async function publishFolder(temporary: string, outputDir: string, finalName: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const candidate = path.join(outputDir, n === 1 ? finalName : `${finalName}_${n}`);
    if (await exists(candidate)) continue;
    await fs.rename(temporary, candidate);
    return candidate;
  }
  throw new Error(l10n.t('Too many folders named {0}* in {1}.', finalName, outputDir));
}
