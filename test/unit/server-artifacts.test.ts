/** Artifact listing and downloads, including HTTP Range on a 5 GB generated file (direct and via nginx). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generatedBytes, hexId } from '../servers/mlflow/deterministic';
import { api, basicAuth } from '../servers/mlflow/test-client';
import { startMlflowServer, startRig, type Rig } from '../servers/rig';

const SIZE = 5 * 1024 ** 3;
const SEED = 7;
const RUN_ID = hexId(SEED, 0); // the first generated run holds big/weights.bin
const FILE = `api/2.0/mlflow-artifacts/artifacts/999/${RUN_ID}/artifacts/big/weights.bin`;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('artifacts', () => {
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    ({ url, stop } = await startMlflowServer({ scenario: 'recorded', generate: { seed: SEED, runs: 3, artifactBytes: SIZE } }));
  });
  after(() => stop());

  it('lists the generated file with its size, one level at a time', async () => {
    const root = await api(url, 'GET', `api/2.0/mlflow/artifacts/list?run_id=${RUN_ID}`);
    assert.deepEqual(root.json.files, [{ path: 'big', is_dir: true }, { path: 'model', is_dir: true }]);
    const big = await api(url, 'GET', `api/2.0/mlflow/artifacts/list?run_id=${RUN_ID}&path=big`);
    assert.deepEqual(big.json.files, [{ path: 'big/weights.bin', is_dir: false, file_size: SIZE }]);
    const proxied = await api(url, 'GET', `api/2.0/mlflow-artifacts/artifacts?path=999/${RUN_ID}/artifacts/big`);
    assert.deepEqual(proxied.json.files, [{ path: 'weights.bin', is_dir: false, file_size: SIZE }]);
  });

  it('serves a byte range deep inside the file (206 + Content-Range)', async () => {
    const start = 4 * 1024 ** 3 + 12345;
    const { res, body } = await get(`${url}/${FILE}`, { Range: `bytes=${start}-${start + 99999}` });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes ${start}-${start + 99999}/${SIZE}`);
    assert.ok(body.equals(generatedBytes(SEED, start, 100000)));
  });

  it('serves open-ended and suffix ranges', async () => {
    const tail = await get(`${url}/${FILE}`, { Range: 'bytes=-1000' });
    assert.equal(tail.res.status, 206);
    assert.ok(tail.body.equals(generatedBytes(SEED, SIZE - 1000, 1000)));
    const open = await get(`${url}/${FILE}`, { Range: `bytes=${SIZE - 10}-` });
    assert.equal(open.res.status, 206);
    assert.ok(open.body.equals(generatedBytes(SEED, SIZE - 10, 10)));
  });

  it('answers 416 for a range past the end', async () => {
    const { res } = await get(`${url}/${FILE}`, { Range: `bytes=${SIZE}-` });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), `bytes */${SIZE}`);
  });

  it('downloads a whole small generated file and advertises ranges', async () => {
    const { res, body } = await get(`${url}/api/2.0/mlflow-artifacts/artifacts/1/fdc0413dbe594808a9e7f4ac1b68800c/artifacts/plots/residuals.png`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.ok(body.equals(generatedBytes(12, 0, 8849)));
  });

  it('answers a missing file with 500 INTERNAL_ERROR and a missing run with 404', async () => {
    const missing = await api(url, 'GET', `api/2.0/mlflow-artifacts/artifacts/999/${RUN_ID}/artifacts/nope.bin`);
    assert.equal(missing.status, 500);
    assert.equal(missing.json.error_code, 'INTERNAL_ERROR');
    const noRun = await api(url, 'GET', 'get-artifact?run_uuid=ffffffffffffffffffffffffffffffff&path=x');
    assert.equal(noRun.status, 404);
  });

  it('serves model-version artifacts through the UI route (runs:/ and mlflow-artifacts:/ sources)', async () => {
    const { res, body } = await get(`${url}/model-versions/get-artifact?name=Cerebras-GPT-590M&version=1&path=artifacts/weights/config.json`);
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(body.toString('utf8')).model_type, 'gpt2');
  });
});

describe('artifacts through nginx', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ scenario: 'recorded', generate: { seed: SEED, runs: 1, artifactBytes: SIZE } });
  });
  after(() => rig?.stop());

  it('passes Range through the proxy unchanged', async () => {
    const start = 3 * 1024 ** 3 + 1;
    const { res, body } = await get(`${rig.trackingUri}${FILE}`, { ...basicAuth(rig.username, rig.password), Range: `bytes=${start}-${start + 65535}` });
    assert.equal(res.status, 206);
    assert.ok(body.equals(generatedBytes(SEED, start, 65536)));
  });

  it('streams 64 MB from the middle of a file without buffering it', async () => {
    const start = 2 * 1024 ** 3;
    const len = 64 * 1024 * 1024;
    const { res, body } = await get(`${rig.trackingUri}${FILE}`, { ...basicAuth(rig.username, rig.password), Range: `bytes=${start}-${start + len - 1}` });
    assert.equal(res.status, 206);
    assert.equal(body.length, len);
    assert.ok(body.subarray(len - 4096).equals(generatedBytes(SEED, start + len - 4096, 4096)));
  });
});
