// Transient faults between the export and the server, injected by a proxy in front of nginx:
// connection resets, 503s and a body cut mid-file. The export must still finish with exactly the
// server's bytes (resuming the cut file with Range, not starting over).
import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportModelVersion } from '../../src/core/export';
import { downloadFiles } from '../../src/core/export/downloadFiles';
import { ProxiedArtifactSource } from '../../src/core/export/mlflowSources';
import { startFaultProxy, type FaultProxy } from '../servers/faultProxy';
import { startRig, type Rig } from '../servers/rig';
import { assertSameTree, LLM, proxiedTree, readTree, rigClient, unpackThreeWays } from './helpers/exportFixtures';

let rig: Rig;
let proxy: FaultProxy;
const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-faults-'));
const WEIGHTS = /GET \/mlflow\/api\/2\.0\/mlflow-artifacts\/artifacts\/2\/dcc3e2fd33314388a51eb3cfadb16bd5\/artifacts\/model\/artifacts\/weights\/adapter_model\.bin/;

describe('export through a faulty network', () => {
  before(async () => {
    rig = await startRig();
    proxy = await startFaultProxy(Number(new URL(rig.trackingUri).port));
  });
  after(async () => {
    await proxy.stop();
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const viaProxy = () => rigClient(rig, `${proxy.url}/mlflow/`);

  it('resets, 503s and a body cut mid-file: the export completes with identical bytes', async () => {
    const expected = await proxiedTree(rig, `${LLM.experiment}/${LLM.run}/artifacts/model`);
    const weights = expected.get('artifacts/weights/adapter_model.bin')!;
    proxy.setRules([
      { mode: 'cut', match: WEIGHTS, limit: 1, cutAfter: Math.floor(weights.length / 3) },
      { mode: 'reset', match: /GET .*mlflow-artifacts\/artifacts\/.*(config|tokenizer)\.json/, limit: 2 },
      { mode: 'status', status: 503, match: /GET .*mlflow-artifacts\/artifacts\/.*(MLmodel|requirements\.txt)/, limit: 2 },
      { mode: 'status', status: 503, match: /GET .*model-versions\/get-download-uri/, limit: 1 },
    ]);
    const out = await fs.mkdtemp(path.join(root, 'out-'));
    const retries: string[] = [];
    const result = await exportModelVersion({ client: viaProxy(), name: LLM.name, version: LLM.version, outputDir: out, log: (l) => retries.push(l) });
    assertSameTree(await readTree(path.join(result.folder, 'artifacts')), expected, 'artifacts/ after faults');
    assertSameTree((await unpackThreeWays(result.archive)).gnu, expected, 'archive after faults');

    const kinds = proxy.injected.map((i) => i.split(' ')[0]);
    assert.ok(kinds.includes('cut') && kinds.includes('reset') && kinds.includes('status'), proxy.injected.join('\n'));
    // The cut file was resumed from where it stopped, not downloaded again from byte 0.
    const weightRequests = proxy.seen.filter((l) => WEIGHTS.test(l));
    assert.equal(weightRequests.length, 2, weightRequests.join('\n'));
    const resumedAt = Number(/\[bytes=(\d+)-\]$/.exec(weightRequests[1]!)?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= Math.floor(weights.length / 3), `resumed with Range from byte ${resumedAt}`);
    assert.ok(retries.some((l) => /Retrying artifacts\/weights\/adapter_model\.bin from byte [1-9]\d*/.test(l)), retries.join('\n'));
  });

  it('a transfer that stalls mid-file is cut after the idle timeout and resumed', async () => {
    const root2 = `${LLM.experiment}/${LLM.run}/artifacts/model`;
    const expected = await proxiedTree(rig, root2);
    proxy.setRules([{ mode: 'stall', match: WEIGHTS, limit: 1, cutAfter: 200_000 }]);
    const source = new ProxiedArtifactSource(viaProxy(), root2);
    const files = (await source.list()).filter((f) => f.path.endsWith('adapter_model.bin'));
    const dir = await fs.mkdtemp(path.join(root, 'stall-'));
    const started = Date.now();
    await downloadFiles(source, files, dir, { concurrency: 1, idleTimeoutMs: 1000, retryDelayMs: 10 });
    assert.ok((await fs.readFile(path.join(dir, 'artifacts/weights/adapter_model.bin'))).equals(expected.get('artifacts/weights/adapter_model.bin')!));
    assert.ok(Date.now() - started < 10_000, 'resumed soon after the idle timeout');
    assert.ok(proxy.seen.filter((l) => WEIGHTS.test(l)).at(-1)!.includes('[bytes=200000-]'), proxy.seen.join('\n'));
  });
});
