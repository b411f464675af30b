// A model package named by URL: https:// from a local HTTP server, s3:// from a real
// S3-compatible server (moto), byte for byte; a missing object, a 404, missing keys and a cancel
// each give a clear error and leave no file behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { downloadPackage, PackageUrlError } from '../../src/core/container/packageDownload';
import { findMotoServer, MOTO_MISSING, startMoto, type MotoServer } from '../servers/moto';
import { s3ClientFor } from './helpers/exportFixtures';

const PACKAGE = randomBytes(3 * 1024 * 1024 + 17); // several chunks, not a round size

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the download to fail');
}

describe('model package downloads (https:// and s3://)', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlwf-package-'));
    server = http.createServer((req, res) => {
      if (req.url === '/models/model.tar.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': PACKAGE.length });
        res.end(PACKAGE);
      } else if (req.url === '/slow/model.tar.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': PACKAGE.length });
        res.write(PACKAGE.subarray(0, 1024)); // then nothing: the client cancels
      } else {
        res.writeHead(404).end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('https:// (http here): the bytes on disk equal the served ones', async () => {
    const target = path.join(dir, 'http.tar.gz');
    const size = await downloadPackage(`${base}/models/model.tar.gz`, target);
    assert.equal(size, PACKAGE.length);
    assert.ok(readFileSync(target).equals(PACKAGE));
  });

  it('a 404 is one clear error and no file', async () => {
    const target = path.join(dir, 'missing.tar.gz');
    const error = await failure(downloadPackage(`${base}/nope.tar.gz`, target));
    assert.ok(error instanceof PackageUrlError);
    assert.match(error.message, /failed: HTTP 404/);
    assert.equal(existsSync(target), false);
  });

  it('cancel mid-download stops and leaves no file', async () => {
    const target = path.join(dir, 'cancelled.tar.gz');
    const controller = new AbortController();
    const pending = downloadPackage(`${base}/slow/model.tar.gz`, target, { signal: controller.signal, onProgress: (received) => received > 0 && controller.abort() });
    await failure(pending);
    assert.equal(existsSync(target), false);
  });

  it('s3:// without keys says how to give them, and writes nothing', async () => {
    const target = path.join(dir, 'nokeys.tar.gz');
    const error = await failure(downloadPackage('s3://bucket/models/model.tar.gz', target, { s3: async () => undefined }));
    assert.ok(error instanceof PackageUrlError);
    assert.match(error.message, /No Cloud Storage keys were found/);
    assert.equal(existsSync(target), false);
  });

  const motoBin = findMotoServer();
  describe('s3:// on a real S3-compatible server', { skip: motoBin ? false : MOTO_MISSING }, () => {
    let moto: MotoServer;
    before(async () => {
      moto = await startMoto(motoBin);
      const s3 = s3ClientFor(moto.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: 'group-models' }));
      await s3.send(new PutObjectCommand({ Bucket: 'group-models', Key: 'wine/v1/model.tar.gz', Body: PACKAGE }));
      s3.destroy();
    });
    after(() => moto?.stop());

    it('downloads the object byte for byte through the client it is given', async () => {
      const target = path.join(dir, 's3.tar.gz');
      const size = await downloadPackage('s3://group-models/wine/v1/model.tar.gz', target, { s3: async () => s3ClientFor(moto.endpoint) });
      assert.equal(size, PACKAGE.length);
      assert.ok(readFileSync(target).equals(PACKAGE));
    });

    it('a missing object is one clear error and no file', async () => {
      const target = path.join(dir, 's3-missing.tar.gz');
      const error = await failure(downloadPackage('s3://group-models/wine/v9/model.tar.gz', target, { s3: async () => s3ClientFor(moto.endpoint) }));
      assert.ok(error instanceof PackageUrlError, String(error));
      assert.match(error.message, /no such object/);
      assert.equal(existsSync(target), false);
    });
  });
});
