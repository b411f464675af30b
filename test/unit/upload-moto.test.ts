// Multipart upload of a model package against a real S3-compatible server (moto), directly and
// through the fault proxy: bytes round-trip, Cancel and a part that always fails leave no pending
// multipart upload (ABCI charges for those), transient 503s and resets still complete, buckets
// are created only with valid names, and public-read sets the ACL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { abortUnfinishedUploads, createBucket, headObject, listBuckets, listUnfinishedUploads, pendingUploads, uploadFile, UploadError, MIN_PART_SIZE } from '../../src/core/upload';
import { startFaultProxy, type FaultProxy } from '../servers/faultProxy';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';

const BUCKET = 'mlwf-upload';
const KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-upload-'));
const motoBin = findMotoServer();

function client(endpoint: string, maxAttempts = 4): Promise<S3Client> {
  const settings = resolveS3Settings({ endpoint, region: 'us-east-1', addressingStyle: 'path' }, {});
  return createS3Client({ settings, credentials: KEYS, maxAttempts });
}

function file(name: string, bytes: number): { path: string; data: Buffer } {
  const data = randomBytes(bytes);
  const p = path.join(root, name);
  writeFileSync(p, data);
  return { path: p, data };
}

async function download(c: S3Client, key: string): Promise<Buffer> {
  const { s3 } = await loadAwsSdk();
  const out = await c.send(new s3.GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function failure(p: Promise<unknown>): Promise<UploadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UploadError, `expected UploadError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the upload to fail');
}

describe('upload to S3-compatible storage (moto)', { skip: motoBin ? false : MOTO_MISSING }, () => {
  let moto: MotoServer;
  let direct: S3Client;
  let proxy: FaultProxy;
  let viaProxy: S3Client;

  before(async () => {
    moto = await startMoto(motoBin);
    direct = await client(moto.endpoint);
    await createBucket(direct, BUCKET, 'us-east-1');
    proxy = await startFaultProxy(moto.port);
    viaProxy = await client(proxy.url, 3);
  });
  after(async () => {
    direct?.destroy();
    viaProxy?.destroy();
    await proxy?.stop();
    await moto?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('uploads in parts with progress and downloads the same bytes; HeadObject sees it', async () => {
    const f = file('model.tar.gz', 3 * MIN_PART_SIZE + 12345);
    const seen: number[] = [];
    const key = 'Wine Model/モデル/model.tar.gz';
    assert.equal(await headObject(direct, BUCKET, key), undefined);
    const result = await uploadFile({ client: direct, bucket: BUCKET, key, file: f.path, partSize: MIN_PART_SIZE, queueSize: 2, onProgress: (p) => seen.push(p.loaded) });
    assert.equal(result.size, f.data.length);
    assert.ok(seen.length >= 4, `progress events: ${seen.join(',')}`);
    assert.equal(seen[seen.length - 1], f.data.length);
    assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1]!), 'progress never goes back');
    assert.ok((await download(direct, key)).equals(f.data));
    assert.equal((await headObject(direct, BUCKET, key))?.size, f.data.length);
    assert.deepEqual(await pendingUploads(direct, BUCKET, key), []);
  });

  it('uploads a 0-byte file', async () => {
    const f = file('empty.tar.gz', 0);
    await uploadFile({ client: direct, bucket: BUCKET, key: 'empty/model.tar.gz', file: f.path });
    assert.equal((await headObject(direct, BUCKET, 'empty/model.tar.gz'))?.size, 0);
  });

  it('Cancel mid-upload aborts the multipart upload: nothing pending, no object', async () => {
    const f = file('cancel.tar.gz', 6 * MIN_PART_SIZE);
    const key = 'cancel/model.tar.gz';
    const ac = new AbortController();
    const e = await failure(uploadFile({ client: direct, bucket: BUCKET, key, file: f.path, partSize: MIN_PART_SIZE, queueSize: 1, signal: ac.signal, onProgress: (p) => p.loaded > 0 && ac.abort() }));
    assert.equal(e.kind, 'cancelled');
    assert.deepEqual(await pendingUploads(direct, BUCKET, key), []);
    assert.equal(await headObject(direct, BUCKET, key), undefined);
  });

  it('a part that always fails: a clear error and nothing pending', async () => {
    const f = file('fail.tar.gz', 3 * MIN_PART_SIZE);
    const key = 'fail/model.tar.gz';
    proxy.setRules([{ mode: 'status', status: 500, match: /^PUT .*partNumber=2&/ }, { mode: 'status', status: 500, match: /^PUT .*partNumber=2$/ }]);
    try {
      const e = await failure(uploadFile({ client: viaProxy, bucket: BUCKET, key, file: f.path, partSize: MIN_PART_SIZE, queueSize: 2 }));
      assert.equal(e.kind, 'failed');
      assert.match(e.message, /The upload to "mlwf-upload" failed/);
      assert.ok(proxy.injected.length >= 3, `retried: ${proxy.injected.join('\n')}`);
    } finally {
      proxy.setRules([]);
    }
    assert.deepEqual(await pendingUploads(direct, BUCKET, key), []);
    assert.equal(await headObject(direct, BUCKET, key), undefined);
  });

  it('503s and connection resets on parts: retried, completes with the right bytes', async () => {
    const f = file('flaky.tar.gz', 4 * MIN_PART_SIZE + 7);
    const key = 'flaky/model.tar.gz';
    const before = proxy.injected.length;
    proxy.setRules([
      { mode: 'status', status: 503, match: /^PUT .*partNumber=1\b/, limit: 1 },
      { mode: 'reset', match: /^PUT .*partNumber=3\b/, limit: 1 },
    ]);
    try {
      await uploadFile({ client: viaProxy, bucket: BUCKET, key, file: f.path, partSize: MIN_PART_SIZE, queueSize: 2 });
    } finally {
      proxy.setRules([]);
    }
    assert.equal(proxy.injected.length - before, 2, proxy.injected.join('\n'));
    assert.ok((await download(direct, key)).equals(f.data));
    assert.deepEqual(await pendingUploads(direct, BUCKET, key), []);
  });

  it('a file that grows during the upload is reported, not confirmed', async () => {
    const f = file('grow.tar.gz', 2 * MIN_PART_SIZE);
    let grown = false;
    const e = await failure(
      uploadFile({
        client: direct, bucket: BUCKET, key: 'grow/model.tar.gz', file: f.path, partSize: MIN_PART_SIZE, queueSize: 1,
        onProgress: () => {
          if (!grown) appendFileSync(f.path, Buffer.alloc(10));
          grown = true;
        },
      }),
    );
    assert.ok(['fileChanged', 'failed'].includes(e.kind), e.kind);
    assert.deepEqual(await pendingUploads(direct, BUCKET, 'grow/model.tar.gz'), []);
  });

  it('public-read sets the ACL (GetObjectAcl)', async () => {
    const f = file('info.yaml', 100);
    await uploadFile({ client: direct, bucket: BUCKET, key: 'acl/info.yaml', file: f.path, acl: 'public-read', contentType: 'application/yaml' });
    const { s3 } = await loadAwsSdk();
    const acl = await direct.send(new s3.GetObjectAclCommand({ Bucket: BUCKET, Key: 'acl/info.yaml' }));
    assert.ok(acl.Grants?.some((g) => g.Grantee?.URI?.endsWith('/global/AllUsers') && g.Permission === 'READ'), JSON.stringify(acl.Grants));
  });

  it('bad bucket names are refused before the server is asked; good ones are created and listed', async () => {
    const seenBefore = proxy.seen.length;
    for (const bad of ['My_Bucket', 'ab', '10.0.0.1']) assert.equal((await failure(createBucket(viaProxy, bad))).kind, 'badBucketName');
    assert.equal(proxy.seen.length, seenBefore, 'no request for a bad name');
    await createBucket(viaProxy, 'grp-models-2', 'us-east-1');
    assert.ok((await listBuckets(direct)).includes('grp-models-2'));
  });

  it('a missing bucket gives noSuchBucket', async () => {
    const f = file('nobucket.tar.gz', 10);
    assert.equal((await failure(uploadFile({ client: direct, bucket: 'no-such-bucket-here', key: 'k', file: f.path }))).kind, 'noSuchBucket');
  });

  it('clean-up finds a deliberately left multipart upload and aborts it', async () => {
    const { s3 } = await loadAwsSdk();
    const left = await direct.send(new s3.CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'left/model.tar.gz' }));
    await direct.send(new s3.UploadPartCommand({ Bucket: BUCKET, Key: 'left/model.tar.gz', UploadId: left.UploadId, PartNumber: 1, Body: randomBytes(1024) }));
    const found = await listUnfinishedUploads(direct, BUCKET);
    assert.deepEqual(found.map((u) => [u.key, u.uploadId]), [['left/model.tar.gz', left.UploadId]]);
    assert.equal(await abortUnfinishedUploads(direct, BUCKET, found), 1);
    assert.deepEqual(await listUnfinishedUploads(direct, BUCKET), []);
    assert.equal(await abortUnfinishedUploads(direct, BUCKET, found), 0, 'an upload already gone counts as done');
  });
});
