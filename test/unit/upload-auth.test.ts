// Credentials, permissions, someone else's bucket and an unreachable endpoint, against a real
// moto that checks every signature and IAM policy (test/servers/motoAuth.ts; a moto of its own,
// since auth mode is global). Each case asserts the clear message and, where a bucket is
// reachable, that no multipart upload was left pending (ABCI charges for those).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadAwsSdk } from '../../src/core/s3/awsSdk';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { checkBucketAccess, createBucket, headObject, listBuckets, MIN_PART_SIZE, uploadFile, UploadError, type UploadErrorKind } from '../../src/core/upload';
import { findMotoServer, MOTO_MISSING } from '../servers/moto';
import { bucketPolicy, startMotoWithAuth, type AuthMoto, type Keys } from '../servers/motoAuth';

const motoBin = findMotoServer();
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-upload-auth-'));
const MINE = 'mlwf-mine';
const OTHER = 'mlwf-other-team';
const THEIRS = 'mlwf-theirs';

function client(endpoint: string, credentials: Keys, maxAttempts = 1): Promise<S3Client> {
  return createS3Client({ settings: resolveS3Settings({ endpoint, region: 'us-east-1', addressingStyle: 'path' }, {}), credentials, maxAttempts });
}

/** A model package large enough for a multipart upload (two parts). */
function packageFile(): string {
  const p = path.join(root, 'model.tar.gz');
  writeFileSync(p, randomBytes(MIN_PART_SIZE + 4096));
  return p;
}

async function refused(p: Promise<unknown>, kind: UploadErrorKind): Promise<UploadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UploadError, `expected UploadError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('upload errors against moto with signature and policy checks', { skip: motoBin ? false : MOTO_MISSING }, () => {
  let auth: AuthMoto;
  let admin: S3Client;
  let limited: Keys;

  /** ListMultipartUploads (no Prefix: moto's auth mode mishandles `/` in query values). */
  async function pending(c: S3Client, bucket: string): Promise<string[]> {
    const { s3 } = await loadAwsSdk();
    const out = await c.send(new s3.ListMultipartUploadsCommand({ Bucket: bucket }));
    return (out.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
  }

  before(async () => {
    auth = await startMotoWithAuth({ bin: motoBin, otherAccountBuckets: [THEIRS] });
    admin = await client(auth.endpoint, auth.admin);
    await createBucket(admin, MINE, 'us-east-1');
    await createBucket(admin, OTHER, 'us-east-1');
    limited = await auth.createUser('mlwf-limited', bucketPolicy(MINE));
  });
  after(async () => {
    admin?.destroy();
    await auth?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the right keys work: a multipart upload to the allowed bucket lands (the checks do not refuse everything)', async () => {
    const c = await client(auth.endpoint, limited);
    const file = packageFile();
    const result = await uploadFile({ client: c, bucket: MINE, key: 'wine-model.tar.gz', file, partSize: MIN_PART_SIZE });
    assert.equal((await headObject(admin, MINE, 'wine-model.tar.gz'))?.size, result.size);
    assert.deepEqual(await pending(admin, MINE), []);
    c.destroy();
  });

  it('a wrong secret: "Cloud Storage rejected the keys (SignatureDoesNotMatch)", before and during an upload; nothing pending', async () => {
    const c = await client(auth.endpoint, { accessKeyId: limited.accessKeyId, secretAccessKey: 'not-the-secret' });
    const listing = await refused(listBuckets(c), 'credentials');
    assert.match(listing.message, /^Cloud Storage rejected the keys \(SignatureDoesNotMatch\)/);
    assert.equal(listing.code, 'SignatureDoesNotMatch');
    const upload = await refused(uploadFile({ client: c, bucket: MINE, key: 'wrong-secret.tar.gz', file: packageFile(), partSize: MIN_PART_SIZE }), 'credentials');
    assert.match(upload.message, /SignatureDoesNotMatch/);
    assert.deepEqual(await pending(admin, MINE), []);
    assert.equal(await headObject(admin, MINE, 'wrong-secret.tar.gz'), undefined);
    c.destroy();
  });

  it('an unknown access key: "Cloud Storage rejected the keys (InvalidAccessKeyId)"', async () => {
    const c = await client(auth.endpoint, { accessKeyId: 'no-such-access-key-id', secretAccessKey: 'whatever' });
    const e = await refused(listBuckets(c), 'credentials');
    assert.match(e.message, /^Cloud Storage rejected the keys \(InvalidAccessKeyId\)/);
    c.destroy();
  });

  it('keys allowed only one bucket: AccessDenied names the other bucket and the write; nothing pending there', async () => {
    const c = await client(auth.endpoint, limited);
    const e = await refused(uploadFile({ client: c, bucket: OTHER, key: 'model.tar.gz', file: packageFile(), partSize: MIN_PART_SIZE }), 'accessDenied');
    assert.equal(e.message, `Your keys have no permission to write to the bucket "${OTHER}" (AccessDenied).`);
    assert.equal(e.operation, 'upload');
    assert.deepEqual(await pending(admin, OTHER), []);
    assert.equal(await headObject(admin, OTHER, 'model.tar.gz'), undefined);
    // HeadBucket before the upload says the same thing earlier (a bare 403: not ours to use).
    const head = await refused(checkBucketAccess(c, OTHER), 'bucketTaken');
    assert.match(head.message, new RegExp(`"${OTHER}" exists but belongs to someone else \\(or your keys may not use it\\)`));
    await checkBucketAccess(c, MINE); // the allowed bucket passes
    c.destroy();
  });

  it('a bucket of another account: create says the name is taken, HeadBucket says it is someone else\'s; nothing pending', async () => {
    const c = await client(auth.endpoint, limited);
    const create = await refused(createBucket(c, THEIRS, 'us-east-1'), 'bucketTaken');
    assert.equal(create.message, `The bucket name "${THEIRS}" is already taken by another account; choose another name.`);
    assert.equal(create.code, 'BucketAlreadyExists');
    const head = await refused(checkBucketAccess(c, THEIRS), 'bucketTaken');
    assert.equal(head.operation, 'headBucket');
    assert.deepEqual(await pending(admin, THEIRS), [], 'no upload left in that bucket');
    c.destroy();
  });

  it('a bucket that does not exist: HeadBucket says so', async () => {
    const c = await client(auth.endpoint, auth.admin);
    const e = await refused(checkBucketAccess(c, 'mlwf-nowhere'), 'noSuchBucket');
    assert.match(e.message, /"mlwf-nowhere" does not exist/);
    c.destroy();
  });

  it('an unreachable endpoint (a closed port): names the endpoint and the cause', async () => {
    const port = await closedPort();
    const c = await client(`http://127.0.0.1:${port}`, limited, 2);
    const e = await refused(listBuckets(c), 'unreachable');
    assert.equal(e.message, `The Cloud Storage endpoint http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`);
    assert.equal(e.endpoint, `http://127.0.0.1:${port}`);
    const upload = await refused(uploadFile({ client: c, bucket: MINE, key: 'x.tar.gz', file: packageFile() }), 'unreachable');
    assert.match(upload.message, /ECONNREFUSED/);
    c.destroy();
  });
});
