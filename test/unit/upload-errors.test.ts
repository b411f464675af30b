// How the SDK's and Node's errors become one clear upload error: a kind the editor acts on
// (keys, profile, settings, another bucket) and a sentence naming the code, the bucket, the
// refused operation or the endpoint. The shapes are the SDK's as seen from real moto
// (upload-auth.test.ts sends the real requests). Also the AWS profiles the picker offers for a fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listAwsProfiles, mergeProfiles } from '../../src/core/s3/awsProfiles';
import { toUploadError, UploadError, type UploadErrorContext, type UploadErrorKind } from '../../src/core/upload';

const sdk = (name: string, status?: number, message = 'server text') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const node = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });

interface Case {
  name: string;
  error: unknown;
  context: UploadErrorContext;
  kind: UploadErrorKind;
  message: RegExp;
  code?: string;
}

const ctx = (bucket: string, operation?: UploadErrorContext['operation']): UploadErrorContext => ({ bucket, operation, endpoint: 'http://127.0.0.1:9' });

const cases: Case[] = [
  { name: 'wrong secret', error: sdk('SignatureDoesNotMatch', 403), context: ctx('', 'listBuckets'), kind: 'credentials', message: /^Cloud Storage rejected the keys \(SignatureDoesNotMatch\)/, code: 'SignatureDoesNotMatch' },
  { name: 'unknown access key', error: sdk('InvalidAccessKeyId', 403), context: ctx('b', 'upload'), kind: 'credentials', message: /^Cloud Storage rejected the keys \(InvalidAccessKeyId\)/, code: 'InvalidAccessKeyId' },
  { name: 'expired session token', error: sdk('ExpiredToken', 400), context: ctx('b'), kind: 'credentials', message: /\(ExpiredToken\)/ },
  { name: 'no keys anywhere', error: sdk('CredentialsProviderError', undefined, 'Could not load credentials from any providers'), context: ctx(''), kind: 'noCredentials', message: /^No Cloud Storage keys were found/ },
  { name: 'no permission to write', error: sdk('AccessDenied', 403), context: ctx('other', 'upload'), kind: 'accessDenied', message: /no permission to write to the bucket "other" \(AccessDenied\)/, code: 'AccessDenied' },
  { name: 'no permission to create', error: sdk('AccessDenied', 403), context: ctx('new-one', 'createBucket'), kind: 'accessDenied', message: /no permission to create the bucket "new-one"/ },
  { name: 'no permission to list', error: sdk('AccessDenied', 403), context: ctx('', 'listBuckets'), kind: 'accessDenied', message: /no permission to list the buckets \(AccessDenied\)\.$/ },
  { name: 'a bare 403 on an object', error: sdk('Unknown', 403), context: ctx('b', 'headObject'), kind: 'accessDenied', message: /read objects in the bucket "b"/ },
  { name: 'name taken on create', error: sdk('BucketAlreadyExists', 409), context: ctx('theirs', 'createBucket'), kind: 'bucketTaken', message: /"theirs" is already taken by another account; choose another name/ },
  { name: 'HeadBucket refused: someone else\'s bucket', error: sdk('Unknown', 403), context: ctx('theirs', 'headBucket'), kind: 'bucketTaken', message: /"theirs" exists but belongs to someone else/ },
  { name: 'no such bucket', error: sdk('NoSuchBucket', 404), context: ctx('gone', 'upload'), kind: 'noSuchBucket', message: /"gone" does not exist/ },
  { name: 'connection refused', error: node('ECONNREFUSED'), context: ctx('b', 'listBuckets'), kind: 'unreachable', message: /endpoint http:\/\/127\.0\.0\.1:9 cannot be reached \(ECONNREFUSED\)/, code: 'ECONNREFUSED' },
  { name: 'host not found', error: node('ENOTFOUND'), context: ctx('b'), kind: 'unreachable', message: /\(ENOTFOUND\)/ },
  { name: 'connect timeout (the SDK\'s connectionTimeout)', error: sdk('TimeoutError', undefined, 'Socket timed out without establishing a connection within 15000 ms'), context: ctx('b'), kind: 'unreachable', message: /\(TimeoutError\)/ },
  { name: 'IPv4 and IPv6 both refused (AggregateError)', error: new AggregateError([node('ECONNREFUSED'), node('ECONNREFUSED')]), context: ctx('b'), kind: 'unreachable', message: /ECONNREFUSED/ },
  { name: 'AWS itself unreachable', error: node('EAI_AGAIN'), context: { bucket: 'b' }, kind: 'unreachable', message: /endpoint of AWS cannot be reached/ },
  { name: 'cancelled', error: sdk('AbortError'), context: ctx('b'), kind: 'cancelled', message: /cancelled; nothing was left/ },
  { name: 'anything else keeps the server text', error: sdk('InternalError', 500, 'We encountered an internal error'), context: ctx('b', 'upload'), kind: 'failed', message: /"b" failed \(We encountered an internal error\)/ },
];

describe('upload errors: one clear sentence per fault', () => {
  for (const c of cases) {
    it(c.name, () => {
      const e = toUploadError(c.error, c.context);
      assert.ok(e instanceof UploadError);
      assert.equal(e.kind, c.kind);
      assert.match(e.message, c.message);
      assert.equal(e.bucket, c.context.bucket ?? '');
      if (c.code) assert.equal(e.code, c.code);
      assert.equal(e.cause, c.error, 'the original error is kept for the log');
    });
  }

  it('a bare string context is the bucket; an UploadError passes through', () => {
    const e = toUploadError(sdk('AccessDenied', 403), 'mine');
    assert.equal(e.bucket, 'mine');
    assert.match(e.message, /write to the bucket "mine"/);
    assert.equal(toUploadError(e, 'other'), e);
  });
});

describe('AWS profiles for the picker (the SDK parser\'s sections)', () => {
  it('merges both files by name, default first, leaves sso-session and services sections out', () => {
    const profiles = mergeProfiles(
      { 'grp-b': { aws_access_key_id: 'AK', aws_secret_access_key: 's' }, default: { aws_access_key_id: 'AK2', aws_secret_access_key: 's' } },
      { default: { region: 'ap-northeast-1' }, 'grp-a': { sso_session: 'corp' }, 'sso-session.corp': { sso_start_url: 'https://x' }, 'services.s3': { endpoint_url: 'https://y' } },
    );
    assert.deepEqual(profiles, [
      { name: 'default', inCredentials: true, inConfig: true, hasKeys: true, region: 'ap-northeast-1' },
      { name: 'grp-a', inCredentials: false, inConfig: true, hasKeys: false, region: undefined },
      { name: 'grp-b', inCredentials: true, inConfig: false, hasKeys: true, region: undefined },
    ]);
  });

  it('reads the files AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE name, afresh on every call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-aws-profiles-'));
    const saved = { creds: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
    try {
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[gaa50000]\naws_access_key_id = AK\naws_secret_access_key = s\n');
      writeFileSync(process.env.AWS_CONFIG_FILE, '[profile gaa50000]\nregion = ap-northeast-1\n');
      assert.deepEqual((await listAwsProfiles()).map((p) => `${p.name} ${p.region}`), ['gaa50000 ap-northeast-1']);
      writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[gaa50000]\naws_access_key_id = AK\naws_secret_access_key = s\n\n[gab60000]\naws_access_key_id = AK2\naws_secret_access_key = s\n');
      assert.deepEqual((await listAwsProfiles()).map((p) => p.name), ['gaa50000', 'gab60000'], 'a profile added later is seen');
    } finally {
      for (const [k, v] of [['AWS_SHARED_CREDENTIALS_FILE', saved.creds], ['AWS_CONFIG_FILE', saved.config]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
