/** Shared bits of the file-store tests: the fixture store, run ids by name, error assertions. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isMlflowError, type MlflowErrorKind } from '../../src/core/mlflow';

export const FIXTURE_ROOT = path.join(__dirname, '..', 'fixtures', 'mlruns');

/** The generator derives run ids from run names (see test/fixtures/make-mlruns.ts). */
export const runId = (name: string): string => createHash('sha1').update(name).digest('hex').slice(0, 32);

/** A private copy of the fixture store that a test may modify (symlinks, new runs…). */
export function copyOfFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-filestore-'));
  const root = path.join(dir, 'mlruns');
  cpSync(FIXTURE_ROOT, root, { recursive: true });
  return root;
}

export async function rejectsWith(promise: Promise<unknown>, kind: MlflowErrorKind, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isMlflowError(e), `expected an MlflowError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.userMessage, message);
    return true;
  });
}

export async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
