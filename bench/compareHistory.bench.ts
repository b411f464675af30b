// What the compare panel's data costs, through the real nginx (Basic auth, /mlflow/ prefix) in
// front of the test server with 100 runs × 3 metrics × 10,000 steps each:
//  1. the loader fetching the three charts (sampled get-history-bulk-interval, 100 runs a
//     request, 4 in parallel) vs the naive peer fetching the same histories whole with
//     get-history (300 requests, also 4 in parallel): time and bytes; goal ≥ 10× fewer bytes;
//  2. one chart's request: the loader vs bare fetch + JSON.parse (the floor for any client on
//     Node's fetch) and vs curl of the same URL (the network + server floor);
//  3. the heap the three charts' series hold, against the naive peer's whole histories.
// Bytes are counted on the response bodies in one extra, untimed pass (nginx sends no gzip here).
import { createMetricHistoryLoader } from '../src/core/compare/metricHistoryLoader';
import { createConcurrencyLimit } from '../src/core/compare/concurrencyLimit';
import { MlflowClient } from '../src/core/mlflow';
import { hexId } from '../test/servers/mlflow/deterministic';
import { timeCurlGet } from './curl';
import { startRigProcess } from './rigProcess';
import { row, timeMedian } from './stats';

const SAMPLES = Number(process.env.BENCH_RUNS ?? 15);
const SEED = 4;
const RUNS = 100;
const STEPS = 10_000;
const KEYS = ['loss', 'val_loss', 'acc'];
const RUN_IDS = Array.from({ length: RUNS }, (_, i) => hexId(SEED, i));

/** Runs `work` once with every response body counted. */
async function countBytes(work: () => Promise<unknown>): Promise<{ bytes: number; requests: number }> {
  const original = globalThis.fetch;
  let bytes = 0;
  let requests = 0;
  const pending: Promise<void>[] = [];
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    requests++;
    if (!res.body) return res;
    const [mine, counted] = res.body.tee();
    pending.push(
      (async () => {
        for await (const chunk of counted as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      })(),
    );
    return new Response(mine, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  try {
    await work();
    await Promise.all(pending);
  } finally {
    globalThis.fetch = original;
  }
  return { bytes, requests };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function heapHeldBy(work: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = await work();
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  void kept; // held until here on purpose
  return after - before;
}

async function main(): Promise<void> {
  const rig = await startRigProcess({ seed: SEED, runs: RUNS, historyRuns: RUNS, historySteps: STEPS, historyKeys: KEYS });
  try {
    const client = new MlflowClient({ trackingUri: rig.trackingUri, auth: { kind: 'basic', username: rig.username, password: rig.password }, timeoutMs: 120_000 });
    // A new loader each time: the cache would otherwise answer every sample after the first.
    const sampled = () => {
      const loader = createMetricHistoryLoader(client);
      return Promise.all(KEYS.map((metricKey) => loader.load({ runIds: RUN_IDS, metricKey })));
    };
    const naive = () => {
      const limit = createConcurrencyLimit(4);
      return Promise.all(KEYS.flatMap((key) => RUN_IDS.map((id) => limit.run(() => client.getMetricHistory(id, key)))));
    };
    const oneChart = () => createMetricHistoryLoader(client).load({ runIds: RUN_IDS, metricKey: 'loss' });

    const out: string[] = [];
    const widths = [72, 12, 12, 12];
    out.push(row(['work', 'MLWF', 'peer', 'ratio'], widths));

    const ours = await timeMedian(SAMPLES, sampled);
    const peer = await timeMedian(Math.min(SAMPLES, 7), naive);
    out.push(row(['3 charts × 100 runs × 10,000 steps: loader vs naive get-history', `${ours.medianMs.toFixed(0)} ms`, `${peer.medianMs.toFixed(0)} ms`, `${(peer.medianMs / ours.medianMs).toFixed(1)}× faster`], widths));

    const oursBytes = await countBytes(sampled);
    const peerBytes = await countBytes(naive);
    out.push(row([`  bytes received (${oursBytes.requests} vs ${peerBytes.requests} requests)`, mib(oursBytes.bytes), mib(peerBytes.bytes), `${(peerBytes.bytes / oursBytes.bytes).toFixed(1)}× fewer`], widths));

    const chart = await timeMedian(SAMPLES, oneChart);
    const url = `${rig.trackingUri}ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${RUN_IDS.map((id) => `run_ids=${id}`).join('&')}&metric_key=loss&max_results=500`;
    const curl = await timeCurlGet(SAMPLES, url, rig);
    const authorization = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
    const bare = await timeMedian(SAMPLES, async () => (await fetch(url, { headers: { Authorization: authorization } })).json());
    out.push(row([`1 chart (one request, ${mib(curl.bytes)}): loader vs bare fetch + JSON.parse`, `${chart.medianMs.toFixed(1)} ms`, `${bare.medianMs.toFixed(1)} ms`, `${(chart.medianMs / bare.medianMs).toFixed(2)}×`], widths));
    out.push(row([`1 chart (one request, ${mib(curl.bytes)}): loader vs curl`, `${chart.medianMs.toFixed(1)} ms`, `${curl.medianMs.toFixed(1)} ms`, `${(chart.medianMs / curl.medianMs).toFixed(2)}×`], widths));

    const oursHeap = await heapHeldBy(sampled);
    const peerHeap = await heapHeldBy(naive);
    out.push(row(['heap held by the 3 charts\' data', mib(oursHeap), mib(peerHeap), `${(peerHeap / oursHeap).toFixed(1)}× less`], widths));

    console.log('\nCompare panel data: sampled loader vs whole histories (median of runs; nginx + test server on loopback)');
    console.log(out.join('\n'));
    await client.dispose();
  } finally {
    await rig.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
