// Cancel while the multipart upload is being started, against a real S3-compatible server (moto):
// the start request still gets its answer, so the upload it created is aborted and nothing is left
// pending (ABCI charges for those) even though the user cancelled before MLWF knew its UploadId.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/core/s3/s3Client';
import { resolveS3Settings } from '../../src/core/s3/s3Settings';
import { createBucket, headObject, MIN_PART_SIZE, pendingUploads, uploadFile, UploadError } from '../../src/core/upload';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';

const BUCKET = 'mlwf-cancel';
const motoBin = findMotoServer();

describe('Cancel while the multipart upload starts (moto)', { skip: motoBin ? false : MOTO_MISSING }, () => {
  let moto: MotoServer;
  let client: S3Client;
  const root = mkdtempSync(path.join(tmpdir(), 'mlwf-upload-cancel-'));

  before(async () => {
    moto = await startMoto(motoBin);
    client = await createS3Client({ settings: resolveS3Settings({ endpoint: moto.endpoint, region: 'us-east-1', addressingStyle: 'path' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createBucket(client, BUCKET, 'us-east-1');
  });
  after(async () => {
    client?.destroy();
    await moto?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the upload the server started is aborted: cancelled, nothing pending, no object', async () => {
    const file = path.join(root, 'model.tar.gz');
    writeFileSync(file, randomBytes(2 * MIN_PART_SIZE + 1));
    const key = 'cancel-start/model.tar.gz';
    const ac = new AbortController();
    const started: string[] = [];
    const sent: string[] = [];
    // Cancel exactly when the start request leaves; record what the server answered and every request after.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateMultipartUploadCommand') ac.abort();
        sent.push(context.commandName ?? '');
        const out = await next(args);
        const id = (out.output as { UploadId?: string }).UploadId;
        if (context.commandName === 'CreateMultipartUploadCommand' && id) started.push(id);
        return out;
      },
      { step: 'initialize', name: 'cancelWhenStarting' },
    );
    let error: unknown;
    try {
      await uploadFile({ client, bucket: BUCKET, key, file, partSize: MIN_PART_SIZE, queueSize: 2, signal: ac.signal });
    } catch (e) {
      error = e;
    } finally {
      client.middlewareStack.remove('cancelWhenStarting');
    }
    assert.ok(error instanceof UploadError && error.kind === 'cancelled', `expected cancelled, got ${String(error)}`);
    assert.equal(started.length, 1, 'the server started one upload');
    assert.ok(!sent.includes('UploadPartCommand'), `no part after Cancel: ${sent.join(', ')}`);
    assert.ok(sent.includes('AbortMultipartUploadCommand'), `aborted: ${sent.join(', ')}`);
    assert.deepEqual(await pendingUploads(client, BUCKET, key), []);
    assert.equal(await headObject(client, BUCKET, key), undefined);
  });
});
