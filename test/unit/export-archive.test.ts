// model.tar.gz as written by the parallel gzip: several independent gzip members that GNU gzip,
// Python and Node read back as the original bytes; compressible and random data, an empty input,
// files that straddle block borders; the level setting changes the size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, describe, it } from 'node:test';
import { constants as zlibConstants, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { blockStrategy, createParallelGzip } from '../../src/core/export/parallelGzip';
import { writeArchive } from '../../src/core/export/writeArchive';
import { assertSameTree, unpackThreeWays, writeTree, type Tree } from './helpers/exportFixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-archive-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function gzipWith(input: Buffer, options: Parameters<typeof createParallelGzip>[0]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const gz = createParallelGzip(options);
  gz.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(Readable.from([input.subarray(0, 1000), input.subarray(1000)]), gz);
  return Buffer.concat(chunks);
}

/** The IEEE half-precision bits of `x` (rounded toward zero; enough for test data). */
function fp16Bits(x: number): number {
  const sign = x < 0 ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a < 6.1e-5) return sign | Math.floor(a / 5.96e-8);
  const exponent = Math.floor(Math.log2(a));
  return sign | ((exponent + 15) << 10) | Math.floor((a / 2 ** exponent - 1) * 1024);
}

/** Gzip members, counted by walking them: each is inflated alone and its compressed length skipped. */
function memberCount(gz: Buffer): number {
  let n = 0;
  for (let offset = 0; offset < gz.length; n++) {
    // Header: 10 bytes (no optional fields are written by zlib's gzip); then deflate; then 8 bytes of trailer.
    const result = inflateRawSync(gz.subarray(offset + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    offset += 10 + result.engine.bytesWritten + 8;
  }
  return n;
}

describe('parallel gzip', () => {
  it('mixed data in many members reads back identically with Node, GNU gzip and Python', async () => {
    const input = Buffer.concat([Buffer.alloc(300_000, 'weights '), randomBytes(700_000), Buffer.alloc(123_457, 7)]);
    const gz = await gzipWith(input, { threads: 3, blockSize: 64 * 1024, level: 6 });
    assert.equal(memberCount(gz), Math.ceil(input.length / (64 * 1024)), 'one gzip member per block');
    assert.ok(gunzipSync(gz).equals(input), 'Node zlib');
    const file = path.join(dir, 'mixed.gz');
    await fs.writeFile(file, gz);
    const gnu = spawnSync('gzip', ['-dc', file], { maxBuffer: 64 << 20 });
    assert.equal(gnu.status, 0);
    assert.ok(gnu.stdout.equals(input), 'GNU gzip');
    const py = spawnSync('python3', ['-c', 'import gzip,sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())', file], { maxBuffer: 64 << 20 });
    assert.equal(py.status, 0, String(py.stderr));
    assert.ok(py.stdout.equals(input), 'Python gzip');
  });

  it('weights blocks are Huffman coded only (same size as full deflate), text keeps string matching', async () => {
    // fp16 values of a normal distribution, like trained weights (the benchmark's model.safetensors).
    const weights = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < weights.length; i += 2) {
      const normal = Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random()) * 0.02;
      weights.writeUInt16LE(fp16Bits(normal), i);
    }
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `{"token_${i}": ${i}, "merges": "a${i % 97} b${i % 89}"}\n`).join('')).subarray(0, 1024 * 1024);
    assert.equal(await blockStrategy(weights, 6), zlibConstants.Z_HUFFMAN_ONLY);
    assert.equal(await blockStrategy(text, 6), zlibConstants.Z_DEFAULT_STRATEGY);
    assert.equal(await blockStrategy(weights, 0), zlibConstants.Z_DEFAULT_STRATEGY, 'level 0 stores, whatever the data');
    assert.equal(await blockStrategy(weights.subarray(0, 100_000), 6), zlibConstants.Z_DEFAULT_STRATEGY, 'small blocks are not sampled');
    // What the choice costs in size: nothing on weights, and text would lose a lot without matching.
    const gzWeights = await gzipWith(weights, { threads: 2, level: 6 });
    assert.ok(gunzipSync(gzWeights).equals(weights));
    assert.ok(gzWeights.length <= gzipSync(weights, { level: 6 }).length * 1.001, `${gzWeights.length} vs full deflate`);
    const gzText = await gzipWith(text, { threads: 2, level: 6 });
    assert.ok(gunzipSync(gzText).equals(text));
    assert.ok(gzText.length < 0.6 * gzipSync(text, { level: 6, strategy: zlibConstants.Z_HUFFMAN_ONLY }).length, 'text compressed with string matching');
  });

  it('an empty input is still a valid gzip file', async () => {
    const gz = await gzipWith(Buffer.alloc(0), { threads: 2 });
    assert.equal(gunzipSync(gz).length, 0);
  });

  it('level 1 is faster-and-larger than level 9 on compressible data', async () => {
    const text = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i} ${i % 97} ${(i * 7919) % 1000}\n`).join(''));
    const fast = await gzipWith(text, { level: 1, threads: 2 });
    const small = await gzipWith(text, { level: 9, threads: 2 });
    assert.ok(small.length < fast.length, `${small.length} < ${fast.length}`);
    assert.ok(gunzipSync(small).equals(text) && gunzipSync(fast).equals(text));
  });
});

describe('writeArchive', () => {
  it('an artifacts/ tree with nested folders, odd names and files across block borders unpacks the same three ways', async () => {
    const tree: Tree = new Map([
      ['MLmodel', Buffer.from('flavors: {}\n')],
      ['empty.txt', Buffer.alloc(0)],
      ['artifacts/weights/shard-00001-of-00002.bin', randomBytes(150_000)],
      ['artifacts/weights/shard-00002-of-00002.bin', randomBytes(70_001)],
      ['metadata/日本語 ファイル.json', Buffer.from('{"a": 1}')],
      [`deep/${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(60)}/long-name.txt`, Buffer.from('a path over 100 characters needs a PAX header')],
    ]);
    const work = path.join(dir, 'tree');
    await writeTree(path.join(work, 'artifacts'), tree);
    const archive = path.join(dir, 'model.tar.gz');
    let counted = 0;
    await writeArchive(work, 'artifacts', archive, { blockSize: 32 * 1024, threads: 2, onBytes: (d) => (counted += d) });
    const { gnu, python, npm, entries } = await unpackThreeWays(archive);
    assertSameTree(gnu, tree, 'GNU tar');
    assertSameTree(python, tree, 'Python tarfile');
    assertSameTree(npm, tree, 'npm tar');
    assert.deepEqual(entries, [...entries].sort(), 'entries in sorted order');
    assert.ok(counted > 220_000, `tar bytes counted (${counted})`);
    assert.equal(readFileSync(archive).subarray(0, 2).toString('hex'), '1f8b');
  });
});
