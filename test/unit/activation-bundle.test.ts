// What activation loads: dist/extension.js alone. The AWS SDK and undici stay in dist/vendor/
// until first use, and no chart or webview code is in the host bundle, so a window that never
// opens Cloud Storage or a compare panel never pays for them (figures: bench/activation.bench.ts).
// Runs after `npm run build` (as in npm test).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadOnce } from '../../bench/bundleLoader';

const DIST = path.join(__dirname, '..', '..', 'dist');
const HOST = path.join(DIST, 'extension.js');

describe('the host bundle at activation', { skip: !existsSync(HOST) && 'dist/extension.js is missing: run npm run build first' }, () => {
  it('loads no file besides itself: no vendor code (S3 SDK, undici), no webview code', async () => {
    const { files } = await loadOnce(HOST);
    assert.deepEqual(files.filter((f) => f !== HOST).map((f) => path.relative(DIST, f)), []);
  });

  it('holds no S3 SDK, chart or toolkit code (they live in dist/vendor and dist/webview)', () => {
    const text = readFileSync(HOST, 'utf8');
    for (const marker of ['@aws-sdk/client-s3/', 'S3ServiceException', 'echarts', 'zrender', '@microsoft/fast-element']) {
      assert.ok(!text.includes(marker), `dist/extension.js contains ${marker}`);
    }
    assert.ok(existsSync(path.join(DIST, 'vendor', 'aws-sdk.js')), 'the S3 SDK is built apart, in dist/vendor/aws-sdk.js');
    assert.ok(readFileSync(path.join(DIST, 'vendor', 'aws-sdk.js'), 'utf8').includes('S3ServiceException'));
  });
});
