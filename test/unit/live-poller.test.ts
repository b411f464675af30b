/**
 * The live poller against the rig (test MLflow behind nginx with Basic auth at /mlflow/): what it
 * asks per poll (counted in the server's request log), the new points it hands a comparison,
 * runs that end, zero requests when nothing runs or nobody looks, and backoff on failures. The
 * scenario is swapped on the running server between polls, the way a training job's logging
 * changes what a real server answers.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeldTails, LivePoller, type LiveTarget, type LiveUpdate, type NewPoints } from '../../src/core/live';
import type { MlflowClient, Run } from '../../src/core/mlflow';
import { startRig, type Rig } from '../servers/rig';
import { BULK_PATH, clientFor, seenOn } from './compare-helpers';

const SEARCH_PATH = '/api/2.0/mlflow/runs/search';
const T0 = 1796600000000;
const EXP = '21';
const A = 'b0000000000000000000000000000001';
const B = 'b0000000000000000000000000000002';
const C = 'b0000000000000000000000000000003';
const DONE = 'b0000000000000000000000000000004';

type Status = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** Run `id` after `steps` steps of loss (and acc every other step), with `status`. */
function runAt(id: string, steps: number, status: Status) {
  const loss = Array.from({ length: steps }, (_, s) => [s, 1 / (s + 1), T0 + s * 1000]);
  const acc = Array.from({ length: Math.ceil(steps / 2) }, (_, i) => [i * 2, i / 100, T0 + i * 2000]);
  return { run_id: id, run_name: `run-${id.slice(-1)}`, start_time: T0, status, ...(status === 'RUNNING' ? {} : { end_time: T0 + steps * 1000 }), history: { loss, acc } };
}

function scenario(runs: ReturnType<typeof runAt>[]) {
  return { experiments: [{ experiment_id: EXP, name: 'live-training', runs }] };
}

const target = (runId: string): LiveTarget => ({ runId, experimentId: EXP });

describe('live poller against the rig', () => {
  let rig: Rig;
  let client: MlflowClient;

  before(async () => {
    rig = await startRig({ scenario: scenario([runAt(A, 10, 'RUNNING'), runAt(B, 10, 'RUNNING'), runAt(C, 4, 'RUNNING'), runAt(DONE, 20, 'FINISHED')]) });
    client = clientFor(rig);
  });
  after(async () => {
    await client?.dispose();
    await rig?.stop();
  });
  beforeEach(async () => {
    await rig.admin.loadScenario(scenario([runAt(A, 10, 'RUNNING'), runAt(B, 10, 'RUNNING'), runAt(C, 4, 'RUNNING'), runAt(DONE, 20, 'FINISHED')]));
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
  });

  function poller(options: Partial<ConstructorParameters<typeof LivePoller>[0]> = {}): { poller: LivePoller; updates: LiveUpdate[]; errors: number[] } {
    const updates: LiveUpdate[] = [];
    const errors: number[] = [];
    const p = new LivePoller({ backend: client, intervalMs: 60_000, onUpdate: (u) => updates.push(u), onError: (_e, retry) => errors.push(retry), ...options });
    return { poller: p, updates, errors };
  }

  it('asks for every running run of the server in one runs/search filtered by run id, and for nothing else', async () => {
    const { poller: p, updates } = poller();
    p.setTargets([target(A), target(B), target(C)]);
    await p.pollNow();
    p.dispose();
    const all = await rig.admin.requests();
    assert.deepEqual(all.map((r) => r.path), [SEARCH_PATH]);
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0]!.runs.map((r) => r.info.run_id).sort(), [A, B, C]);
    assert.deepEqual(updates[0]!.changed.length, 3, 'the first poll reports every run');
    assert.deepEqual(updates[0]!.ended, []);
    const loss = updates[0]!.runs.find((r) => r.info.run_id === A)!.data.metrics.find((m) => m.key === 'loss')!;
    assert.equal(loss.step, 9);
    assert.equal(p.stats.requests, 1);
  });

  it('hands a comparison only the new steps, one bulk-interval request per grown metric from the last held step', async () => {
    const { poller: p, updates } = poller();
    const first = await client.searchRunsPage({ experimentIds: [EXP] });
    const panelRuns = first.runs.filter((r) => [A, B, C].includes(r.info.run_id));
    const got: NewPoints[] = [];
    p.subscribe({ runIds: new Set([A, B, C]), tails: HeldTails.fromRuns(panelRuns), onPoints: (points) => got.push(points) });
    p.setTargets([target(A), target(B), target(C)]);

    await p.pollNow();
    assert.equal(got.length, 0, 'nothing grew since the panel opened');
    assert.equal((await seenOn(rig, BULK_PATH)).length, 0, 'no history request when no latest step moved');

    // A logged steps 10..14 of loss (and acc 10, 12, 14); B logged nothing; C logged steps 4..5.
    await rig.admin.loadScenario(scenario([runAt(A, 15, 'RUNNING'), runAt(B, 10, 'RUNNING'), runAt(C, 6, 'RUNNING'), runAt(DONE, 20, 'FINISHED')]));
    await rig.admin.clearRequests();
    await p.pollNow();
    const bulk = await seenOn(rig, BULK_PATH);
    assert.equal(bulk.length, 2, 'one request for loss, one for acc');
    const lossReq = bulk.find((q) => q.params.get('metric_key') === 'loss')!;
    assert.deepEqual(lossReq.params.getAll('run_ids').sort(), [A, C], 'B did not grow: not asked');
    assert.equal(lossReq.params.get('start_step'), '3', "the lowest held step (C's 3)");
    assert.equal(lossReq.params.get('end_step'), '14');
    assert.equal((await seenOn(rig, SEARCH_PATH)).length, 1);

    assert.equal(got.length, 1);
    const steps = (run: string, key: string) => got[0]!.get(run)?.get(key)?.map((m) => m.step);
    assert.deepEqual(steps(A, 'loss'), [10, 11, 12, 13, 14]);
    assert.deepEqual(steps(C, 'loss'), [4, 5]);
    assert.deepEqual(steps(A, 'acc'), [10, 12, 14]);
    assert.equal(steps(B, 'loss'), undefined);
    assert.equal(got[0]!.get(A)!.get('loss')![0]!.value, 1 / 11);
    assert.deepEqual(updates[1]!.changed.map((r) => r.info.run_id).sort(), [A, C]);

    // Nothing new: only the status question.
    await rig.admin.clearRequests();
    await p.pollNow();
    assert.equal(got.length, 1);
    assert.deepEqual((await rig.admin.requests()).map((r) => r.path), [SEARCH_PATH]);
    p.dispose();
  });

  it('reports a run that ends with its final points, stops polling it, and sends nothing once no run is live', async () => {
    const { poller: p, updates } = poller({ intervalMs: 40 });
    const got: NewPoints[] = [];
    const held = HeldTails.fromRuns((await client.searchRunsPage({ experimentIds: [EXP] })).runs);
    p.subscribe({ runIds: new Set([A, B]), tails: held, onPoints: (points) => got.push(points) });
    await rig.admin.clearRequests();
    await rig.admin.loadScenario(scenario([runAt(A, 12, 'FINISHED'), runAt(B, 10, 'KILLED'), runAt(C, 4, 'RUNNING'), runAt(DONE, 20, 'FINISHED')]));
    p.setTargets([target(A), target(B)]);
    // The timer runs the first poll at once; wait for it and a few more intervals.
    await sleep(300);
    p.dispose();
    assert.equal(updates.length, 1, 'one poll, then nothing is live');
    assert.deepEqual(updates[0]!.ended.map((r) => [r.info.run_id, r.info.status]).sort(), [[A, 'FINISHED'], [B, 'KILLED']]);
    assert.deepEqual(got[0]!.get(A)!.get('loss')!.map((m) => m.step), [10, 11], 'the last steps logged before the end');
    assert.deepEqual(p.targetIds, []);
    const paths = (await rig.admin.requests()).map((r) => r.path);
    assert.deepEqual(paths.filter((x) => x === SEARCH_PATH).length, 1);
  });

  it('polls on its interval while runs are live and makes no request while nobody looks', async () => {
    let active = true;
    const { poller: p } = poller({ intervalMs: 50, isActive: () => active });
    p.setTargets([target(A)]);
    await sleep(280);
    const whileActive = (await seenOn(rig, SEARCH_PATH)).length;
    assert.ok(whileActive >= 3 && whileActive <= 7, `about one poll per 50 ms, saw ${whileActive} in 280 ms`);
    active = false;
    await sleep(80); // the poll already scheduled finds nobody looking and stops
    await rig.admin.clearRequests();
    await sleep(300);
    assert.equal((await rig.admin.requests()).length, 0, 'no request while hidden');
    active = true;
    p.wake();
    await sleep(30);
    assert.equal((await seenOn(rig, SEARCH_PATH)).length, 1, 'waking polls at once: the poll was overdue');
    p.dispose();
  });

  it('makes no request at all with no live run or with the interval set to 0', async () => {
    const idle = poller({ intervalMs: 20 });
    idle.poller.setTargets([]);
    const off = poller({ intervalMs: 0 });
    off.poller.setTargets([target(A)]);
    await sleep(200);
    idle.poller.dispose();
    off.poller.dispose();
    assert.equal((await rig.admin.requests()).length, 0);
    assert.equal(idle.poller.stats.polls + off.poller.stats.polls, 0);
  });

  it('backs off on failures (doubling, capped) and comes back to the interval after a success', async () => {
    await rig.admin.faults({ pathPrefix: SEARCH_PATH, status: 503, count: 4 });
    const { poller: p, errors, updates } = poller({ intervalMs: 30, maxBackoffMs: 200 });
    p.setTargets([target(A)]);
    // Polls at about 0, 60, 180, 380, 580 ms: four failures, then the answer.
    await sleep(900);
    p.dispose();
    assert.deepEqual(errors, [60, 120, 200, 200]);
    assert.ok(updates.length >= 1, 'the fifth poll succeeds');
    const searches = await seenOn(rig, SEARCH_PATH);
    assert.deepEqual(searches.slice(0, 5).map((s) => s.status), [503, 503, 503, 503, 200]);
    assert.ok(searches.slice(5).every((s) => s.status === 200));
  });

  it('drops a run the server no longer has and reports it as missing', async () => {
    await rig.admin.loadScenario(scenario([runAt(A, 10, 'RUNNING')]));
    const { poller: p, updates } = poller();
    p.setTargets([target(A), target(B)]);
    await p.pollNow();
    assert.deepEqual(p.targetIds, [A]);
    p.dispose();
    assert.deepEqual(updates[0]!.missing, [B]);
  });

  it('asks the same question of the local file store run by run (no network, no IN there)', async () => {
    const calls: string[] = [];
    const backend = {
      searchRunsPage: client.searchRunsPage.bind(client),
      getMetricHistoryBulkInterval: client.getMetricHistoryBulkInterval.bind(client),
      getRun: (id: string, o?: { signal?: AbortSignal }): Promise<Run> => {
        calls.push(id);
        return client.getRun(id, o);
      },
    };
    const { poller: p, updates } = poller({ backend, fetchMode: 'perRun' });
    p.setTargets([target(A), target(C)]);
    await p.pollNow();
    p.dispose();
    assert.deepEqual(calls.sort(), [A, C]);
    assert.equal(updates[0]!.runs.length, 2);
    assert.equal((await seenOn(rig, SEARCH_PATH)).length, 0);
  });
});
