// Live updates against a real MLflow server (2.14.3 by default, BENCH_KIT=3.6 for the other)
// behind the project's nginx, with the real MLflow client logging in background processes
// (test/servers/realTrainer.ts). Three figures, medians where they are samples:
//  1. latency: the job's log_metric returns → the new point reaches the comparison (the poller's
//     onPoints, what the panel posts to its page), p50 against the goal interval + 1 s, at
//     BENCH_LIVE_INTERVAL_S (default 2 s, so the bench stays short; the figure scales with it);
//  2. requests per minute while 10 runs are running and one comparison of them is open (loss and
//     acc charted), counted in nginx's access log, side by side with the naive peer that asks per
//     run (runs/get per run, get-history per run and metric) over the same time; scaled to the
//     default 10 s interval;
//  3. requests while nothing runs (the runs ended, the panel still open): goal zero.
// Uses the servers of MLWF_REAL_MLFLOW when set (npm test's), else starts its own (no populate).
import { readFileSync } from 'node:fs';
import { HeldTails, LivePoller } from '../src/core/live';
import { MlflowClient } from '../src/core/mlflow';
import { findKit, realMlflowServers, startRealMlflow, type OwnRealServer, type RealKit, type RealServer } from '../test/servers/realMlflow';
import { RealTrainer } from '../test/servers/realTrainer';
import { median, row } from './stats';

const KIT = (process.env.BENCH_KIT ?? '2.14.3') as RealKit;
const INTERVAL_S = Number(process.env.BENCH_LIVE_INTERVAL_S ?? 2);
const LATENCY_SAMPLES = Number(process.env.BENCH_RUNS ?? 15);
const RUNNING = 10;
const RATE_WINDOW_S = Number(process.env.BENCH_LIVE_WINDOW_S ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function clientFor(server: RealServer): MlflowClient {
  return new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password }, timeoutMs: 30_000, retry: { limit: 2 } });
}

/** Requests of user agent "node" (MLWF and the peer; not the Python client) after `from` bytes. */
function nodeRequests(server: RealServer, from: number): string[] {
  const text = readFileSync(server.accessLog).subarray(from).toString('utf8');
  return [...text.matchAll(/"([A-Z]+ [^ "]+) HTTP\/[\d.]+" \d+ \d+ "[^"]*" "([^"]*)"/g)].filter((m) => m[2] === 'node').map((m) => m[1]!);
}
const logSize = (server: RealServer) => readFileSync(server.accessLog).length;

async function server(): Promise<{ s: RealServer; stop(): Promise<void> }> {
  if (process.env.MLWF_REAL_MLFLOW) {
    const all = await realMlflowServers();
    if (!Array.isArray(all)) throw new Error(all.skipped);
    return { s: all.find((x) => x.kit === KIT)!, stop: async () => undefined };
  }
  const own: OwnRealServer = await startRealMlflow(KIT);
  return { s: own, stop: () => own.stop() };
}

async function latency(s: RealServer, client: MlflowClient): Promise<number[]> {
  const trainer = await RealTrainer.start(s, `bench-live-${Date.now()}`, 'latency');
  const loggedAt = new Map<number, number>();
  const latencies: number[] = [];
  try {
    await trainer.log('loss', 1);
    const poller = new LivePoller({ backend: client, intervalMs: INTERVAL_S * 1000 });
    poller.subscribe({
      runIds: new Set([trainer.runId]),
      tails: HeldTails.fromRuns([await client.getRun(trainer.runId)]),
      onPoints: (points) => {
        const now = Date.now();
        for (const m of points.get(trainer.runId)?.get('loss') ?? []) {
          const at = loggedAt.get(m.step);
          if (at !== undefined) latencies.push(now - at);
        }
      },
    });
    poller.setTargets([{ runId: trainer.runId, experimentId: trainer.experimentId }]);
    // One step at a random moment of each interval, so the samples cover the poll phase evenly.
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await sleep(Math.random() * INTERVAL_S * 1000);
      const r = await trainer.log('loss', 1);
      loggedAt.set(r.last_step, r.logged_at * 1000);
      await sleep(INTERVAL_S * 1000 - 0);
    }
    await sleep(INTERVAL_S * 1000 + 2000);
    poller.dispose();
  } finally {
    await trainer.stop();
  }
  return latencies;
}

/** The naive peer: every poll asks each run and each charted metric's whole history. */
async function naivePoll(client: MlflowClient, runIds: string[], keys: string[]): Promise<void> {
  await Promise.all(runIds.map((id) => client.getRun(id)));
  await Promise.all(runIds.flatMap((id) => keys.map((k) => client.getMetricHistory(id, k))));
}

async function main(): Promise<void> {
  if ('missing' in findKit() && !process.env.MLWF_REAL_MLFLOW) {
    console.log(`live.bench skipped: ${(findKit() as { missing: string }).missing}`);
    return;
  }
  const { s, stop } = await server();
  const client = clientFor(s);
  try {
    console.log(`MLflow ${s.mlflowVersion} behind nginx; poll interval ${INTERVAL_S} s`);
    // 1. latency
    const lat = await latency(s, client);
    const p50 = median(lat);
    console.log(`\nlog_metric → point at the comparison: p50 ${(p50 / 1000).toFixed(2)} s over ${lat.length} steps (min ${(Math.min(...lat) / 1000).toFixed(2)}, max ${(Math.max(...lat) / 1000).toFixed(2)}); goal ≤ interval + 1 s = ${INTERVAL_S + 1} s: ${p50 <= (INTERVAL_S + 1) * 1000 ? 'met' : 'NOT met'}`);

    // 2. 10 running runs, one panel with loss and acc
    const experiment = `bench-live-10-${Date.now()}`;
    const trainers = await Promise.all(Array.from({ length: RUNNING }, (_, i) => RealTrainer.start(s, experiment, `run-${i}`)));
    let stopLogging = false;
    const logging = Promise.all(
      trainers.map(async (t) => {
        while (!stopLogging) {
          await t.log('loss', 1);
          await t.log('acc', 1);
          await sleep(300 + Math.random() * 400);
        }
      }),
    );
    try {
      const runIds = trainers.map((t) => t.runId);
      const poller = new LivePoller({ backend: client, intervalMs: INTERVAL_S * 1000 });
      let points = 0;
      poller.subscribe({
        runIds: new Set(runIds),
        tails: HeldTails.fromRuns(await Promise.all(runIds.map((id) => client.getRun(id)))),
        onPoints: (p) => {
          for (const byKey of p.values()) for (const list of byKey.values()) points += list.length;
        },
      });
      let mark = logSize(s);
      poller.setTargets(trainers.map((t) => ({ runId: t.runId, experimentId: t.experimentId })));
      await sleep(RATE_WINDOW_S * 1000);
      const polls = poller.stats.polls;
      const mlwf = nodeRequests(s, mark);
      poller.dispose();
      // The peer, same runs, same window, same interval.
      mark = logSize(s);
      const started = Date.now();
      let naivePolls = 0;
      while (Date.now() - started < RATE_WINDOW_S * 1000) {
        const t0 = Date.now();
        await naivePoll(client, runIds, ['loss', 'acc']);
        naivePolls++;
        await sleep(Math.max(0, INTERVAL_S * 1000 - (Date.now() - t0)));
      }
      const naive = nodeRequests(s, mark);
      const perMin = (n: number, p: number) => (n / Math.max(p, 1)) * (60 / 10);
      console.log(`\n${RUNNING} running runs, one comparison (loss, acc), ${RATE_WINDOW_S} s at ${INTERVAL_S} s:`);
      const w = [34, 10, 16, 26];
      console.log(row(['', 'polls', 'requests/poll', 'requests/min at 10 s'], w));
      console.log(row(['MLWF (runs/search + bulk tails)', polls, (mlwf.length / Math.max(polls, 1)).toFixed(2), perMin(mlwf.length, polls).toFixed(1)], w));
      console.log(row(['naive (per run, per metric)', naivePolls, (naive.length / Math.max(naivePolls, 1)).toFixed(2), perMin(naive.length, naivePolls).toFixed(1)], w));
      const searches = mlwf.filter((l) => l.includes('runs/search')).length;
      console.log(`MLWF status requests: ${searches} runs/search for ${polls} polls (one per poll for all ${RUNNING} runs); ${points} new points fetched; ratio naive/MLWF ${(naive.length / naivePolls / (mlwf.length / polls)).toFixed(1)}×`);
    } finally {
      stopLogging = true;
      await logging;
      await Promise.all(trainers.map((t) => t.end('FINISHED')));
    }

    // 3. nothing runs: the same poller setup over the ended runs
    const idle = new LivePoller({ backend: client, intervalMs: INTERVAL_S * 1000 });
    idle.setTargets(trainers.map((t) => ({ runId: t.runId, experimentId: t.experimentId })));
    await sleep(INTERVAL_S * 1000);
    const mark = logSize(s);
    await sleep(Math.min(RATE_WINDOW_S, 15) * 1000);
    const idleRequests = nodeRequests(s, mark).length;
    idle.dispose();
    console.log(`\nwhile nothing runs (all ${RUNNING} ended, seen by one poll): ${idleRequests} requests in ${Math.min(RATE_WINDOW_S, 15)} s; goal 0: ${idleRequests === 0 ? 'met' : 'NOT met'}`);
  } finally {
    await client.dispose();
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
