// How much the MLflow client costs over the raw request, through the real nginx (Basic auth,
// /mlflow/ prefix) in front of the test server with a generated scenario:
//  1. one page of 100 runs: MlflowClient vs curl's own time_total (the network + server limit);
//  2. paging through 2,000 experiments and 20,000 runs: MlflowClient's async iterators vs a bare
//     fetch loop doing the same requests and JSON parsing (the peer without ky, retries, DTOs);
//  3. heap growth while iterating 20,000 runs without keeping them (must stay flat).
import { MlflowClient } from '../src/core/mlflow';
import { startRigProcess } from './rigProcess';
import { timeCurl } from './curl';
import { row, timeMedian } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const EXPERIMENT_ID = '999'; // the generator's big experiment

async function main(): Promise<void> {
  const rig = await startRigProcess({ experiments: 2000, runs: 20000, keys: 50, keysPerRun: 8 });
  try {
    const auth = { kind: 'basic' as const, username: rig.username, password: rig.password };
    const client = new MlflowClient({ trackingUri: rig.trackingUri, auth });
    const authHeader = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
    const api = (p: string) => `${rig.trackingUri.replace(/\/$/, '')}/api/2.0/mlflow/${p}`;
    const out: string[] = [];
    const widths = [50, 14, 14, 10];
    out.push(row(['work', 'MLWF (ms)', 'peer (ms)', 'ratio'], widths));

    // 1. First page of runs.
    const body = JSON.stringify({ experiment_ids: [EXPERIMENT_ID], max_results: 100 });
    const ours = await timeMedian(RUNS, () => client.searchRunsPage({ experimentIds: [EXPERIMENT_ID], maxResults: 100 }));
    const { medianMs: curlMedian, bytes: curlBytes } = await timeCurl(RUNS, api('runs/search'), body, rig);
    out.push(row([`first page, 100 runs (${(curlBytes / 1024).toFixed(0)} KiB) vs curl`, ours.medianMs, curlMedian, `${(ours.medianMs / curlMedian).toFixed(2)}×`], widths));
    const bare = await timeMedian(RUNS, async () => {
      const res = await fetch(api('runs/search'), { method: 'POST', headers: { Authorization: authHeader, 'Content-Type': 'application/json' }, body });
      return res.json();
    });
    out.push(row(['first page, 100 runs vs bare fetch + JSON', ours.medianMs, bare.medianMs, `${(ours.medianMs / bare.medianMs).toFixed(2)}×`], widths));

    // 2. Paging through everything.
    const rawPages = async (path: string, payload: Record<string, unknown>, key: string): Promise<number> => {
      let token: string | undefined;
      let count = 0;
      do {
        const res = await fetch(api(path), { method: 'POST', headers: { Authorization: authHeader, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...payload, page_token: token }) });
        const json = (await res.json()) as Record<string, unknown>;
        count += ((json[key] as unknown[] | undefined) ?? []).length;
        token = json.next_page_token as string | undefined;
      } while (token);
      return count;
    };
    const countIter = async (iter: AsyncIterable<unknown>): Promise<number> => {
      let n = 0;
      for await (const _ of iter) n++;
      return n;
    };
    const expOurs = await timeMedian(RUNS, () => countIter(client.iterateExperiments({ maxResults: 100 })));
    const expPeer = await timeMedian(RUNS, () => rawPages('experiments/search', { max_results: 100 }, 'experiments'));
    out.push(row(['2,000 experiments, pages of 100', expOurs.medianMs, expPeer.medianMs, `${(expOurs.medianMs / expPeer.medianMs).toFixed(2)}×`], widths));
    const runOurs = await timeMedian(3, () => countIter(client.iterateRuns({ experimentIds: [EXPERIMENT_ID], maxResults: 1000 })));
    const runPeer = await timeMedian(3, () => rawPages('runs/search', { experiment_ids: [EXPERIMENT_ID], max_results: 1000 }, 'runs'));
    out.push(row(['20,000 runs, pages of 1,000', runOurs.medianMs, runPeer.medianMs, `${(runOurs.medianMs / runPeer.medianMs).toFixed(2)}×`], widths));

    // 3. Memory while streaming through all runs.
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let seen = 0;
    for await (const _run of client.iterateRuns({ experimentIds: [EXPERIMENT_ID], maxResults: 1000 })) {
      if (++seen % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    global.gc?.();
    const after = process.memoryUsage().heapUsed;
    out.push(`heap while iterating ${seen} runs: +${((peak - before) / 2 ** 20).toFixed(1)} MiB at peak, +${((after - before) / 2 ** 20).toFixed(1)} MiB after (one page is held at a time)`);

    console.log('\nMLflow client vs raw requests (median of runs; nginx + test server on loopback)');
    console.log(out.join('\n'));
    client.dispose?.();
  } finally {
    await rig.stop();
  }
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
