// Model files on a file system the login node shares with the tracking server (`file:` URIs and
// plain paths). Symbolic links are followed only to files inside the model folder.
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ExportError } from './exportErrors';
import type { FileSource, RemoteFile } from './fileSource';
import * as l10n from '@vscode/l10n';

/** `file:///a/b`, `file:/a/b` or `/a/b` → `/a/b`; relative paths resolve against `cwd`. */
export function localPathOf(uri: string, cwd = process.cwd()): string {
  if (/^file:/i.test(uri)) return fileURLToPath(uri.replace(/^file:\/*(?=[^/])/i, 'file:///'));
  return path.resolve(cwd, uri);
}

export class LocalSource implements FileSource {
  readonly route = 'local' as const;
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = root;
  }

  async list(): Promise<RemoteFile[]> {
    const stat = await fs.stat(this.root).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new ExportError('unsupportedSource', l10n.t("The model's folder {0} does not exist on this machine or is not a folder.", this.root));
    }
    const files: RemoteFile[] = [];
    const realRoot = await fs.realpath(this.root);
    const walk = async (rel: string): Promise<void> => {
      for (const entry of await fs.readdir(path.join(this.root, rel), { withFileTypes: true })) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        const full = path.join(this.root, child);
        if (entry.isDirectory()) await walk(child);
        else if (entry.isFile()) files.push({ path: child, size: (await fs.stat(full)).size });
        else if (entry.isSymbolicLink()) {
          const target = await fs.realpath(full).catch(() => '');
          const info = target ? await fs.stat(target) : undefined;
          if (info?.isFile() && target.startsWith(realRoot + path.sep)) files.push({ path: child, size: info.size });
        }
      }
    };
    await walk('');
    return files;
  }

  async open(file: RemoteFile, start: number): Promise<Readable> {
    return createReadStream(path.join(this.root, ...file.path.split('/')), { start });
  }
}
