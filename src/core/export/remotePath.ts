// Paths that come from an artifact store (listings, S3 keys) name files we create. Anything that
// could land outside the export folder is refused outright rather than "cleaned up": an absolute
// path, `..`/`.` segments, backslashes (a Windows separator on a shared file system), NUL.
import { ExportError } from './exportErrors';
import * as l10n from '@vscode/l10n';

export function checkRemotePath(remotePath: string, where: string): string {
  const bad =
    remotePath === '' ||
    remotePath.startsWith('/') ||
    remotePath.includes('\\') ||
    remotePath.includes('\0') ||
    /^[A-Za-z]:/.test(remotePath) ||
    remotePath.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new ExportError('unsafePath', l10n.t('The artifact store listed the path "{0}" in {1}, which would escape the export folder, so the export was stopped.', remotePath, where));
  }
  return remotePath;
}
