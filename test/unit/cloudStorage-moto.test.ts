// Browsing Cloud Storage against a real S3-compatible server (moto): one level at a time with
// "folders" from Delimiter "/", paging past the page size with the continuation token, the
// prefix picker's listing, delete (an object, a folder), reading a small object, download bytes
// (and nothing left behind on cancel or failure), and how a missing bucket, a missing object and
// an unreachable endpoint are classified.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { asFolderPrefix, childName, deleteFolderContents, deleteObject, downloadObject, listBucketEntries, listFolderContents, listPage, listPrefixes, parentPrefix, readObject, statObject, storageError } from '../../src/core/cloudStorage';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { createBucket, headObject } from '../../src/core/upload';
import { startFaultProxy } from '../servers/faultProxy';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';

const BUCKET = 'mlwf-browse';
const KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const motoBin = findMotoServer();
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-browse-'));

function client(endpoint: string, maxAttempts = 4): Promise<S3Client> {
  return createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1', addressingStyle: 'path' }, {}), credentials: KEYS, maxAttempts });
}

async function put(c: S3Client, key: string, body: Buffer | string): Promise<void> {
  const { s3 } = await loadAwsSdk();
  // ContentLength given: for an empty body the SDK cannot tell it and warns about "a Stream of
  // unknown length" (a folder marker and a 0-byte object are put here).
  await c.send(new s3.PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

describe('key helpers', () => {
  it('names children relative to their parent and walks up', () => {
    assert.equal(childName('a/b/', 'a/b/c.txt'), 'c.txt');
    assert.equal(childName('a/', 'a/b/'), 'b/');
    assert.equal(childName('', 'top.txt'), 'top.txt');
    assert.equal(parentPrefix('a/b/'), 'a/');
    assert.equal(parentPrefix('a/'), '');
    assert.equal(parentPrefix(''), '');
    assert.equal(asFolderPrefix(' /Wine Model// '), 'Wine Model/');
    assert.equal(asFolderPrefix('/'), '');
  });
});

describe('Cloud Storage listing (moto)', { skip: motoBin ? false : MOTO_MISSING }, () => {
  let moto: MotoServer;
  let c: S3Client;
  const many = Array.from({ length: 123 }, (_, i) => `many/obj-${String(i).padStart(4, '0')}.bin`);
  const modelBytes = randomBytes(300_000);

  before(async () => {
    moto = await startMoto(motoBin);
    c = await client(moto.endpoint);
    await createBucket(c, BUCKET, 'us-east-1');
    await createBucket(c, 'mlwf-other', 'us-east-1');
    await put(c, 'top.txt', 'hello');
    await put(c, 'models/readme.txt', 'read me');
    await put(c, 'models/wine/model.tar.gz', modelBytes);
    await put(c, 'models/wine/info.yaml', 'Name: Wine\n');
    await put(c, 'models/モデル 2/info.yaml', 'Name: x\n');
    await put(c, 'empty/', ''); // a "folder" marker as the web consoles create them
    for (let i = 0; i < many.length; i += 20) await Promise.all(many.slice(i, i + 20).map((k, j) => put(c, k, Buffer.alloc(i + j))));
  });
  after(async () => {
    c?.destroy();
    await moto?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists buckets by name', async () => {
    const buckets = await listBucketEntries(c);
    assert.deepEqual(buckets.map((b) => b.name), ['mlwf-browse', 'mlwf-other']);
    assert.ok(buckets[0]!.created instanceof Date);
  });

  it('lists the top level as folders and objects with size, date and ETag', async () => {
    const page = await listPage(c, { bucket: BUCKET, prefix: '' });
    assert.deepEqual(page.prefixes, ['empty/', 'many/', 'models/']);
    assert.deepEqual(page.objects.map((o) => [o.key, o.size]), [['top.txt', 5]]);
    assert.ok(page.objects[0]!.lastModified instanceof Date);
    assert.equal(page.objects[0]!.etag, '5d41402abc4b2a76b9719d911017c592', 'the MD5 of "hello", without quotes');
    assert.equal(page.nextToken, undefined);
  });

  it('lists one level under a prefix, non-ASCII and spaces included; a folder marker is not its own child', async () => {
    const models = await listPage(c, { bucket: BUCKET, prefix: 'models/' });
    assert.deepEqual(models.prefixes, ['models/wine/', 'models/モデル 2/']);
    assert.deepEqual(models.objects.map((o) => o.key), ['models/readme.txt']);
    const wine = await listPage(c, { bucket: BUCKET, prefix: 'models/wine/' });
    assert.deepEqual(wine.objects.map((o) => [childName('models/wine/', o.key), o.size]), [['info.yaml', 11], ['model.tar.gz', modelBytes.length]]);
    const empty = await listPage(c, { bucket: BUCKET, prefix: 'empty/' });
    assert.deepEqual([empty.prefixes, empty.objects], [[], []]);
  });

  it('pages past the page size with the continuation token, every key once and in order', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listPage(c, { bucket: BUCKET, prefix: 'many/', pageSize: 50, continuationToken: token });
      assert.ok(page.objects.length <= 50);
      seen.push(...page.objects.map((o) => o.key));
      sizes.push(...page.objects.map((o) => o.size));
      token = page.nextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, many);
    assert.deepEqual(sizes, many.map((_, i) => i));
    const first = await listPage(c, { bucket: BUCKET, prefix: 'many/', pageSize: 50 });
    assert.equal(first.objects.length, 50);
    assert.ok(first.nextToken, 'a first page of a longer list says there is more');
  });

  it('lists prefixes for the picker across pages and says when it stopped early', async () => {
    assert.deepEqual(await listPrefixes(c, BUCKET, '', { pageSize: 1 }), { prefixes: ['empty/', 'many/', 'models/'], truncated: false });
    assert.deepEqual(await listPrefixes(c, BUCKET, '', { pageSize: 1, limit: 2 }), { prefixes: ['empty/', 'many/'], truncated: true });
    assert.deepEqual(await listPrefixes(c, BUCKET, 'many/'), { prefixes: [], truncated: false });
  });

  it('downloads the exact bytes; a missing key or Cancel leaves no file behind', async () => {
    const target = path.join(root, 'model.tar.gz');
    const progress: number[] = [];
    const n = await downloadObject(c, { bucket: BUCKET, key: 'models/wine/model.tar.gz' }, target, { onProgress: (p) => progress.push(p.received) });
    assert.equal(n, modelBytes.length);
    assert.ok(readFileSync(target).equals(modelBytes));
    assert.equal(progress.at(-1), modelBytes.length);

    const missing = path.join(root, 'missing.bin');
    const e = await rejection(downloadObject(c, { bucket: BUCKET, key: 'models/nope.bin' }, missing));
    assert.equal(storageError(e).kind, 'notFound');
    const cancelled = path.join(root, 'cancelled.bin');
    const abort = new AbortController();
    abort.abort();
    const e2 = await rejection(downloadObject(c, { bucket: BUCKET, key: 'models/wine/model.tar.gz' }, cancelled, { signal: abort.signal }));
    assert.equal(storageError(e2).kind, 'cancelled');
    const midway = path.join(root, 'midway.bin');
    const stop = new AbortController();
    const e3 = await rejection(downloadObject(c, { bucket: BUCKET, key: 'models/wine/model.tar.gz' }, midway, { signal: stop.signal, onProgress: () => stop.abort() }));
    assert.equal(storageError(e3).kind, 'cancelled');
    assert.deepEqual(readdirSync(root).sort(), ['model.tar.gz'], 'no partial or empty files');
  });

  it('reads a small object into memory (the read-only editor) and refuses one over the limit without reading it', async () => {
    const object = { bucket: BUCKET, key: 'models/wine/model.tar.gz' };
    assert.deepEqual(Buffer.from(await readObject(c, object, { maxBytes: modelBytes.length })), modelBytes);
    assert.equal((await statObject(c, object)).size, modelBytes.length);
    const tooBig = await rejection(readObject(c, object, { maxBytes: modelBytes.length - 1 }));
    assert.ok(tooBig instanceof RangeError && /too large to open in an editor/.test(tooBig.message), String(tooBig));
    assert.equal(storageError(await rejection(readObject(c, { bucket: BUCKET, key: 'models/none.txt' }, { maxBytes: 10 }))).kind, 'notFound');
    assert.equal(storageError(await rejection(statObject(c, { bucket: BUCKET, key: 'models/none.txt' }))).kind, 'notFound');
  });

  it('deletes an object: HeadObject finds nothing afterwards, the neighbours stay', async () => {
    await put(c, 'models/wine/old.bin', 'old');
    assert.ok(await headObject(c, BUCKET, 'models/wine/old.bin'));
    await deleteObject(c, { bucket: BUCKET, key: 'models/wine/old.bin' });
    assert.equal(await headObject(c, BUCKET, 'models/wine/old.bin'), undefined);
    const wine = await listPage(c, { bucket: BUCKET, prefix: 'models/wine/' });
    assert.deepEqual(wine.objects.map((o) => o.key), ['models/wine/info.yaml', 'models/wine/model.tar.gz']);
  });

  it('deletes a folder: counts every level and its unfinished uploads first, deletes and aborts exactly those, leaves later keys and the neighbours', async () => {
    const keys = ['old/model.tar.gz', 'old/info.yaml', 'old/v1/a.bin', 'old/v1/deep/b.bin', 'old/'];
    for (const [i, key] of keys.entries()) await put(c, key, Buffer.alloc(i * 10));
    await put(c, 'older/keep.bin', 'not under old/');
    // Unfinished multipart uploads: one under old/ (charged for, invisible in listings), one beside it.
    const { s3 } = await loadAwsSdk();
    const startUpload = async (Key: string) => (await c.send(new s3.CreateMultipartUploadCommand({ Bucket: BUCKET, Key }))).UploadId!;
    const pending = async (Prefix: string) => ((await c.send(new s3.ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix }))).Uploads ?? []).map((u) => u.Key);
    const leftUnder = await startUpload('old/v2/model.tar.gz');
    const leftBeside = await startUpload('older/model.tar.gz');
    const contents = await listFolderContents(c, BUCKET, 'old/', { pageSize: 2 });
    assert.deepEqual(contents.objects.map((o) => o.key).sort(), [...keys].sort(), 'every level, the marker too, across pages');
    assert.deepEqual(contents.uploads, [{ key: 'old/v2/model.tar.gz', uploadId: leftUnder }]);
    assert.equal(contents.bytes, 0 + 10 + 20 + 30 + 40);
    assert.equal(contents.truncated, false);
    await put(c, 'old/written-after-the-question.bin', 'new'); // not in the list the user agreed to
    const progress: number[] = [];
    const result = await deleteFolderContents(c, contents, { concurrency: 2, onProgress: (n, total) => progress.push(n / total) });
    assert.equal(result.error, undefined);
    assert.deepEqual([...result.deleted].sort(), [...keys].sort());
    assert.equal(result.aborted, 1);
    assert.deepEqual(await pending('old/'), [], 'the unfinished upload under the folder is aborted');
    assert.deepEqual(await pending('older/'), ['older/model.tar.gz'], 'the one beside it stays');
    await c.send(new s3.AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'older/model.tar.gz', UploadId: leftBeside }));
    assert.deepEqual(progress, [0.2, 0.4, 0.6, 0.8, 1]);
    for (const key of keys) assert.equal(await headObject(c, BUCKET, key), undefined, `${key} is gone`);
    assert.ok(await headObject(c, BUCKET, 'old/written-after-the-question.bin'), 'a key written after the listing stays');
    assert.ok(await headObject(c, BUCKET, 'older/keep.bin'), 'a prefix that only starts alike stays');
    await deleteObject(c, { bucket: BUCKET, key: 'old/written-after-the-question.bin' });
  });

  it('refuses the bucket itself and stops listing at the limit', async () => {
    await assert.rejects(listFolderContents(c, BUCKET, ''), RangeError);
    const capped = await listFolderContents(c, BUCKET, 'many/', { limit: 50, pageSize: 20 });
    assert.equal(capped.truncated, true);
    assert.equal(capped.objects.length, 50);
    const all = await listFolderContents(c, BUCKET, 'many/', { limit: many.length });
    assert.equal(all.truncated, false, 'exactly the limit is not more than it');
    assert.equal(all.objects.length, many.length);
  });

  it('a folder delete stopped by a refusal or a cancel says how far it got; the rest stays', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `stop/k${i}.bin`);
    for (const key of keys) await put(c, key, 'x');
    // The third DeleteObject is refused: one at a time, so exactly two go first.
    const proxy = await startFaultProxy(moto.port, [{ mode: 'status', status: 403, match: new RegExp(`^DELETE /${BUCKET}/stop/`), every: 3, limit: 1 }]);
    const viaProxy = await client(proxy.url, 1);
    try {
      const refused = await deleteFolderContents(viaProxy, await listFolderContents(viaProxy, BUCKET, 'stop/'), { concurrency: 1 });
      assert.equal(storageError(refused.error).kind, 'accessDenied');
      assert.equal(refused.deleted.length, 2, 'the keys after the refusal were not tried');
      assert.equal(proxy.seen.filter((l) => l.startsWith('DELETE')).length, 3);
    } finally {
      viaProxy.destroy();
      await proxy.stop();
    }
    const left = await listFolderContents(c, BUCKET, 'stop/');
    assert.equal(left.objects.length, 4);
    const cancel = new AbortController();
    const cancelled = await deleteFolderContents(c, left, {
      concurrency: 1,
      signal: cancel.signal,
      onProgress: (n) => n === 1 && cancel.abort(),
    });
    assert.equal(storageError(cancelled.error).kind, 'cancelled');
    assert.equal(cancelled.deleted.length, 1);
    assert.equal((await listFolderContents(c, BUCKET, 'stop/')).objects.length, 3, 'nothing after the cancel was deleted');
    await deleteFolderContents(c, await listFolderContents(c, BUCKET, 'stop/'));
  });

  it('classifies a 403 from the server as no permission', async () => {
    const proxy = await startFaultProxy(moto.port, [{ mode: 'status', status: 403, match: new RegExp(`^GET /${BUCKET}`) }]);
    const viaProxy = await client(proxy.url, 1);
    try {
      assert.deepEqual((await listBucketEntries(viaProxy)).map((b) => b.name), ['mlwf-browse', 'mlwf-other'], 'ListBuckets passes');
      assert.equal(storageError(await rejection(listPage(viaProxy, { bucket: BUCKET, prefix: '' }))).kind, 'accessDenied');
      assert.equal(proxy.injected.length, 1);
    } finally {
      viaProxy.destroy();
      await proxy.stop();
    }
  });

  it('classifies a missing bucket and an unreachable endpoint', async () => {
    assert.equal(storageError(await rejection(listPage(c, { bucket: 'no-such-bucket-here', prefix: '' }))).kind, 'noSuchBucket');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = await client(`http://127.0.0.1:${port}`, 1);
    const e = storageError(await rejection(listBucketEntries(dead)));
    dead.destroy();
    assert.equal(e.kind, 'unreachable', e.detail);
    assert.ok(!existsSync(path.join(root, 'missing.bin')));
  });
});
