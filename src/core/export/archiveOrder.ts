// The order of model.tar.gz, fixed before a byte is downloaded: every folder, then what is in
// it, names sorted at each level (the order a sorted walk of the finished folder gives, so the
// same files always give the same archive whatever order they arrive in).
import type { RemoteFile } from './fileSource';

export type ArchiveEntry = { kind: 'folder'; name: string } | { kind: 'file'; name: string; file: RemoteFile };

interface Folder {
  folders: Map<string, Folder>;
  files: Map<string, RemoteFile>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The entries of `files` under the archive folder `root` (`artifacts`), in archive order. */
export function archiveOrder(files: readonly RemoteFile[], root: string): ArchiveEntry[] {
  const top: Folder = { folders: new Map(), files: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    let at = top;
    for (const part of parts.slice(0, -1)) {
      let next = at.folders.get(part);
      if (!next) at.folders.set(part, (next = { folders: new Map(), files: new Map() }));
      at = next;
    }
    at.files.set(parts[parts.length - 1]!, file);
  }
  const out: ArchiveEntry[] = [{ kind: 'folder', name: root }];
  const walk = (folder: Folder, prefix: string) => {
    // A name is either a file or a folder in one listing, so one sorted list of both.
    const names = [...new Set([...folder.folders.keys(), ...folder.files.keys()])].sort(byName);
    for (const name of names) {
      const child = folder.folders.get(name);
      const file = folder.files.get(name);
      if (file) out.push({ kind: 'file', name: `${prefix}/${name}`, file });
      if (child) {
        out.push({ kind: 'folder', name: `${prefix}/${name}` });
        walk(child, `${prefix}/${name}`);
      }
    }
  };
  walk(top, root);
  return out;
}

/**
 * The order the files are fetched in: the biggest first (it sets the pace of the download), then
 * the rest in archive order, so the file the archive needs next is always on its way.
 */
export function downloadOrder(entries: readonly ArchiveEntry[]): RemoteFile[] {
  const files = entries.flatMap((e) => (e.kind === 'file' ? [e.file] : []));
  if (files.length < 2) return files;
  const biggest = files.reduce((a, b) => ((b.size ?? 0) > (a.size ?? 0) ? b : a));
  return [biggest, ...files.filter((f) => f !== biggest)];
}

/** The tar stream's size for these entries: what progress of the archive counts towards. */
export function tarSize(entries: readonly ArchiveEntry[]): number {
  const body = entries.reduce((sum, e) => sum + 512 + (e.kind === 'file' ? Math.ceil((e.file.size ?? 0) / 512) * 512 : 0), 0);
  return body + 1024;
}
