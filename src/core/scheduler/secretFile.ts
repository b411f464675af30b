// The password's way to a job: a file only the user can read (0600, in a 0700 folder, created
// exclusively so nothing else can have opened it first), removed by the job when it ends and by
// MLWF when it sees the job gone. The path is not secret; the content never leaves this file.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, closeSync, writeSync, rmSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function writeSecretFile(dir: string, secret: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // an existing folder may have been created with a looser mode
  const file = path.join(dir, `${randomBytes(12).toString('hex')}.secret`);
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, secret);
  } finally {
    closeSync(fd);
  }
  return file;
}

export function removeSecretFile(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}

/** Removes secret files older than maxAgeMs (jobs that were killed too hard to clean up). */
export function removeStaleSecrets(dir: string, maxAgeMs: number, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names.filter((n) => n.endsWith('.secret'))) {
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > maxAgeMs) {
        rmSync(file, { force: true });
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
