// downloadToFile: exact bytes on success; nothing left behind on cancel or a short body.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { downloadToFile, type FetchArtifact } from '../../src/core/artifacts/downloadToFile';

const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-dl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A body of `chunks` chunks of 64 KiB, slow enough to cancel in the middle. */
function fakeArtifact(chunks: number, declared = chunks * 65536, delayMs = 0): { fetch: FetchArtifact; bytes: Buffer } {
  const parts = Array.from({ length: chunks }, (_, i) => Buffer.alloc(65536, i % 251));
  const fetch: FetchArtifact = async () => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (i < parts.length) controller.enqueue(new Uint8Array(parts[i++]!));
        else controller.close();
      },
    });
    return { body, status: 200, contentLength: declared };
  };
  return { fetch, bytes: Buffer.concat(parts) };
}

describe('downloadToFile', () => {
  it('writes exactly the served bytes and reports progress', async () => {
    const { fetch, bytes } = fakeArtifact(10);
    const target = path.join(dir, 'ok.bin');
    let last = 0;
    const n = await downloadToFile(fetch, target, { onProgress: (p) => (last = p.received) });
    assert.equal(n, bytes.length);
    assert.equal(last, bytes.length);
    assert.ok(readFileSync(target).equals(bytes));
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.part')), []);
  });

  it('removes the partial file when cancelled', async () => {
    const { fetch } = fakeArtifact(100, undefined, 5);
    const target = path.join(dir, 'cancelled.bin');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(downloadToFile(fetch, target, { signal: controller.signal }));
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(`${target}.part`), false);
  });

  it('fails on a body shorter than Content-Length and leaves nothing', async () => {
    const { fetch } = fakeArtifact(2, 3 * 65536);
    const target = path.join(dir, 'short.bin');
    await assert.rejects(downloadToFile(fetch, target), /ended after 131072 of 196608 bytes/);
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(`${target}.part`), false);
  });
});
