// The live poller against real upstream MLflow servers (2.14.3 and 3.6) behind the project's nginx
// while the real MLflow client logs steps in a background process (test/servers/realTrainer.ts):
// the new points arrive once each with the values logged, the run's end is seen, and nginx's
// access log shows one status request per poll, history requests only for grown metrics and no
// request at all once nothing runs. Test names start with "[real MLflow <version>]".
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, describe, it as nodeIt } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileStoreBackend } from '../../src/core/fileStore';
import { HeldTails, LivePoller, type LiveUpdate, type NewPoints } from '../../src/core/live';
import { MlflowClient } from '../../src/core/mlflow';
import { REAL_KITS, realMlflowServers, realMlflowSkipReason, releaseRealMlflowServers, type RealKit, type RealServer } from '../servers/realMlflow';
import { RealTrainer } from '../servers/realTrainer';

const skip = realMlflowSkipReason();
if (skip) process.stdout.write(`${skip}\n`);

async function serverOf(kit: RealKit): Promise<RealServer> {
  const servers = await realMlflowServers();
  if (!Array.isArray(servers)) throw new Error(servers.skipped);
  return servers.find((s) => s.kit === kit)!;
}

function clientFor(server: RealServer): MlflowClient {
  return new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password }, timeoutMs: 30_000, retry: { limit: 0 } });
}

/**
 * Requests MLWF made (user agent "node"; the Python client's own calls say "mlflow-python-client")
 * that nginx logged after `from` bytes of its access log, as `GET /mlflow/api/...`.
 */
async function requestsSince(server: RealServer, from: number): Promise<string[]> {
  // nginx writes a request's line after it has sent the response, so the client can be on to its
  // next step first (a poll's line was once missing when read at once): read once the log has
  // stopped growing for 100 ms.
  let size = -1;
  for (let now = logSize(server); now !== size; now = logSize(server)) {
    size = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = readFileSync(server.accessLog).subarray(from).toString('utf8');
  return [...text.matchAll(/"([A-Z]+ [^ "]+) HTTP\/[\d.]+" \d+ \d+ "[^"]*" "([^"]*)"/g)].filter((m) => m[2] === 'node').map((m) => m[1]!);
}
const logSize = (server: RealServer) => readFileSync(server.accessLog).length;
const pathOf = (line: string) => line.split(' ')[1]!.split('?')[0]!.replace(/^\/mlflow\//, '');

after(async () => releaseRealMlflowServers());

for (const kit of REAL_KITS) {
  const label = `[real MLflow ${kit}]`;

  describe(`${label} live updates while the real client logs`, () => {
    const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 120_000 }, fn);
    const experiment = `live-${kit}-${randomBytes(4).toString('hex')}`;

    it(`${label} a poll asks one runs/search, fetches only the steps logged since, and sees the run end`, async () => {
      const s = await serverOf(kit);
      const client = clientFor(s);
      const trainer = await RealTrainer.start(s, experiment, 'steps');
      try {
        await trainer.log('loss', 5);
        const updates: LiveUpdate[] = [];
        const got: NewPoints[] = [];
        const poller = new LivePoller({ backend: client, intervalMs: 60_000, onUpdate: (u) => updates.push(u) });
        const opened = await client.getRun(trainer.runId);
        assert.equal(opened.info.status, 'RUNNING');
        poller.subscribe({ runIds: new Set([trainer.runId]), tails: HeldTails.fromRuns([opened]), onPoints: (p) => got.push(p) });
        let mark = logSize(s);
        // A new target is polled at once (not an interval later): its status, nothing to fetch yet.
        poller.setTargets([{ runId: trainer.runId, experimentId: trainer.experimentId }]);
        await poller.pollNow();
        assert.deepEqual((await requestsSince(s, mark)).map(pathOf), ['api/2.0/mlflow/runs/search']);
        assert.equal(got.length, 0);

        await trainer.log('loss', 3);
        await trainer.log('acc', 2);
        mark = logSize(s);
        await poller.pollNow();
        const lines = await requestsSince(s, mark);
        assert.deepEqual(lines.map(pathOf).sort(), ['ajax-api/2.0/mlflow/metrics/get-history-bulk-interval', 'ajax-api/2.0/mlflow/metrics/get-history-bulk-interval', 'api/2.0/mlflow/runs/search'].sort(), lines.join('\n'));
        const lossLine = lines.find((l) => l.includes('metric_key=loss'))!;
        assert.match(lossLine, /start_step=4\b/, 'from the last held step');
        assert.deepEqual(got[0]!.get(trainer.runId)!.get('loss')!.map((m) => [m.step, m.value]), [5, 6, 7].map((st) => [st, 1 / (st + 1)]));
        assert.deepEqual(got[0]!.get(trainer.runId)!.get('acc')!.map((m) => m.step), [0, 1], 'a metric first logged after the panel opened comes whole');

        // Nothing logged since: the status question only.
        mark = logSize(s);
        await poller.pollNow();
        assert.deepEqual((await requestsSince(s, mark)).map(pathOf), ['api/2.0/mlflow/runs/search']);
        assert.equal(got.length, 1);

        await trainer.end('FINISHED');
        await poller.pollNow();
        const last = updates.at(-1)!;
        assert.deepEqual(last.ended.map((r) => [r.info.run_id, r.info.status]), [[trainer.runId, 'FINISHED']]);
        assert.ok(last.ended[0]!.info.end_time, 'the end time the server recorded');
        assert.deepEqual(poller.targetIds, []);

        // Nothing runs any more: not one request, whatever the interval.
        poller.setInterval(50);
        mark = logSize(s);
        await sleep(600);
        await poller.pollNow();
        assert.deepEqual((await requestsSince(s, mark)), []);
        poller.dispose();
      } finally {
        await trainer.stop();
        await client.dispose();
      }
    });

    it(`${label} polling on a timer while the client logs in the background gets every step exactly once`, async () => {
      const s = await serverOf(kit);
      const client = clientFor(s);
      const trainers = await Promise.all([RealTrainer.start(s, experiment, 'bg-a'), RealTrainer.start(s, experiment, 'bg-b')]);
      try {
        const errors: unknown[] = [];
        const steps = new Map<string, number[]>(trainers.map((t) => [t.runId, []]));
        const poller = new LivePoller({ backend: client, intervalMs: 150, onError: (e) => errors.push(e) });
        const opened = await Promise.all(trainers.map((t) => client.getRun(t.runId)));
        poller.subscribe({
          runIds: new Set(trainers.map((t) => t.runId)),
          tails: HeldTails.fromRuns(opened),
          onPoints: (points) => {
            for (const [runId, byKey] of points) steps.get(runId)!.push(...(byKey.get('loss') ?? []).map((m) => m.step));
          },
        });
        const mark = logSize(s);
        poller.setTargets(trainers.map((t) => ({ runId: t.runId, experimentId: t.experimentId })));
        // The jobs log 40 steps each, a few at a time, while the poller runs on its own timer.
        for (let round = 0; round < 10; round++) {
          await Promise.all(trainers.map((t) => t.log('loss', 4)));
          await sleep(60);
        }
        await Promise.all(trainers.map((t) => t.end('FINISHED')));
        // Up to 30 s: on a loaded machine the server answers slowly, and the end needs one more poll.
        for (let i = 0; i < 600 && poller.targetIds.length > 0; i++) await sleep(50);
        assert.deepEqual(poller.targetIds, [], 'both runs seen ended');
        const expected = Array.from({ length: 40 }, (_, i) => i);
        for (const t of trainers) assert.deepEqual(steps.get(t.runId), expected, `every step of ${t.runId} once, in order`);
        assert.deepEqual(errors, []);

        const lines = (await requestsSince(s, mark)).map(pathOf);
        const searches = lines.filter((p) => p.endsWith('runs/search')).length;
        const bulk = lines.filter((p) => p.endsWith('get-history-bulk-interval')).length;
        assert.equal(searches, poller.stats.polls, 'one status request per poll for both runs');
        assert.ok(bulk <= searches, `at most one history request per poll (one metric): ${bulk} for ${searches} polls`);
        assert.equal(lines.length, searches + bulk, lines.join('\n'));
        poller.dispose();
      } finally {
        await Promise.all(trainers.map((t) => t.stop()));
        await client.dispose();
      }
    });
  });
}

describe('[real MLflow 2.14.3] live updates of a local mlruns store while the real client logs into it', () => {
  const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 120_000 }, fn);

  it('[real MLflow 2.14.3] the file store is read run by run from disk: new steps once each, the end seen', async () => {
    const s = await serverOf('2.14.3');
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-live-mlruns-'));
    const root = path.join(dir, 'mlruns');
    // The same client, pointed at a folder as users do without a server.
    const trainer = await RealTrainer.start({ trackingUri: `file://${root}`, username: '', password: '', clientEnv: s.clientEnv }, 'local-live', 'on-disk');
    try {
      await trainer.log('loss', 4);
      const store = new FileStoreBackend(root);
      const updates: LiveUpdate[] = [];
      const steps: number[] = [];
      const poller = new LivePoller({ backend: store, intervalMs: 60_000, fetchMode: 'perRun', onUpdate: (u) => updates.push(u) });
      const opened = await store.getRun(trainer.runId);
      assert.equal(opened.info.status, 'RUNNING');
      poller.subscribe({ runIds: new Set([trainer.runId]), tails: HeldTails.fromRuns([opened]), onPoints: (p) => steps.push(...(p.get(trainer.runId)?.get('loss') ?? []).map((m) => m.step)) });
      poller.setTargets([{ runId: trainer.runId, experimentId: trainer.experimentId }]);
      await poller.pollNow();
      await trainer.log('loss', 3);
      await poller.pollNow();
      await poller.pollNow();
      assert.deepEqual(steps, [4, 5, 6]);
      await trainer.end('FAILED');
      await poller.pollNow();
      assert.deepEqual(updates.at(-1)!.ended.map((r) => r.info.status), ['FAILED']);
      assert.deepEqual(poller.targetIds, []);
      poller.dispose();
    } finally {
      await trainer.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
