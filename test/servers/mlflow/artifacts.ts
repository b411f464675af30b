/**
 * The artifact store behind `mlflow-artifacts:/`: a tree of files keyed by their path under the
 * artifacts root (`<experiment_id>/<run_id>/artifacts/...`), directories implied by file paths.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { generatedBytes } from './deterministic';
import type { ArtifactContent } from './scenario';

export interface ArtifactFile {
  size: number;
  read(offset: number, length: number): Buffer;
}

export interface ArtifactEntry {
  name: string;
  isDir: boolean;
  size?: number;
}

const LAZY_FILE_BYTES = 64 * 1024 * 1024;

function readAt(fd: number, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const n = readSync(fd, out, 0, length, offset);
  return n === length ? out : out.subarray(0, n);
}

export function fileFromContent(content: ArtifactContent, baseDir: string): ArtifactFile {
  if ('generated' in content) {
    const { size, seed = 1 } = content.generated;
    return { size, read: (offset, length) => generatedBytes(seed, offset, length) };
  }
  let bytes: Buffer;
  if ('text' in content) bytes = Buffer.from(content.text, 'utf8');
  else if ('base64' in content) bytes = Buffer.from(content.base64, 'base64');
  else {
    const file = path.resolve(baseDir, content.file);
    const fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    // Big files (benchmark weights) are read where asked instead of held in memory.
    if (size > LAZY_FILE_BYTES) return { size, read: (offset, length) => readAt(fd, offset, length) };
    closeSync(fd);
    bytes = readFileSync(file);
  }
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

function normalise(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

export class ArtifactTree {
  private readonly files = new Map<string, ArtifactFile>();
  /** directory path ('' = root) -> child name -> is a directory */
  private readonly dirs = new Map<string, Map<string, boolean>>([['', new Map()]]);

  put(filePath: string, file: ArtifactFile): void {
    const parts = normalise(filePath).split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      let children = this.dirs.get(dir);
      if (!children) this.dirs.set(dir, (children = new Map()));
      const isDir = i < parts.length - 1;
      children.set(parts[i], isDir || (children.get(parts[i]) ?? false));
    }
    this.files.set(parts.join('/'), file);
  }

  get(filePath: string): ArtifactFile | undefined {
    return this.files.get(normalise(filePath));
  }

  /** One level, sorted by name like MLflow's local repository; undefined if not a directory. */
  list(dirPath: string): ArtifactEntry[] | undefined {
    const dir = normalise(dirPath);
    const children = this.dirs.get(dir);
    if (!children) return undefined;
    return [...children.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, isDir]) => {
        const file = isDir ? undefined : this.files.get(dir ? `${dir}/${name}` : name);
        return { name, isDir, size: file?.size };
      });
  }
}

/** `mlflow-artifacts:/1/abc/artifacts` -> `1/abc/artifacts` (undefined for other schemes). */
export function mlflowArtifactsPath(uri: string): string | undefined {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
  return m ? normalise(m[1]) : undefined;
}

// MLflow's _guess_mime_type: these extensions (and extension-less MLmodel) are served as text.
const TEXT_EXTENSIONS = new Set(
  'txt log err cfg conf cnf cf ini properties prop hocon toml yaml yml xml json js py py3 csv tsv md rst MLmodel mlproject'.split(
    ' ',
  ),
);
const KNOWN_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  html: 'text/html',
  pdf: 'application/pdf',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  zip: 'application/zip',
};

export function guessMimeType(filePath: string): string {
  const name = filePath.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : name;
  if (TEXT_EXTENSIONS.has(ext)) return 'text/plain';
  return KNOWN_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}
