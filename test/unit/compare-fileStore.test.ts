/**
 * The local file store answers the compare panel's sampled query like the server route does,
 * streaming the metric files (checked against the test server's implementation of MLflow's
 * sampling), and the loader works over it unchanged.
 */
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { createMetricHistoryLoader } from '../../src/core/compare/metricHistoryLoader';
import { FileStoreBackend } from '../../src/core/fileStore';
import { ArrayHistory } from '../servers/mlflow/entities';
import { bulkInterval } from '../servers/mlflow/metrics';
import { copyOfFixture, rejectsWith, runId as fixtureRunId } from './fileStore-helpers';

const BIG = 'b0000000000000000000000000000001'; // 200,000 steps
const SMALL = 'b0000000000000000000000000000002'; // 100 steps, non-finite values, two values at step 7
const HUGE = 'b0000000000000000000000000000003'; // 1,000,000 steps
const BROKEN = 'b0000000000000000000000000000004'; // a malformed line
const T0 = 1718000000000;

const valueAt = (step: number) => Math.sin(step / 1000) + step / 1e6;

function writeRun(root: string, id: string, metrics: Record<string, string>): void {
  const dir = path.join(root, '1', id);
  mkdirSync(path.join(dir, 'metrics'), { recursive: true });
  writeFileSync(
    path.join(dir, 'meta.yaml'),
    `artifact_uri: file://${dir}/artifacts\nend_time: ${T0 + 1}\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: ${id.slice(-4)}\nrun_uuid: ${id}\nstart_time: ${T0}\nstatus: 3\nuser_id: alice\n`,
  );
  for (const [key, text] of Object.entries(metrics)) writeFileSync(path.join(dir, 'metrics', key), text);
}

async function writeLongMetric(file: string, steps: number): Promise<void> {
  const out = createWriteStream(file);
  for (let start = 0; start < steps; start += 10_000) {
    let chunk = '';
    for (let s = start; s < Math.min(steps, start + 10_000); s++) chunk += `${T0 + s} ${valueAt(s)} ${s}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const smallLines: Array<[number, string, number]> = Array.from({ length: 100 }, (_, s) => [T0 + s, String(valueAt(s)), s]);
smallLines.splice(5, 1, [T0 + 5, 'nan', 5]);
smallLines.splice(6, 1, [T0 + 6, 'inf', 6]);
smallLines.splice(7, 1, [T0 + 7, '-inf', 7], [T0 + 70, '0.5', 7]);

describe('file store: sampled metric histories', () => {
  let root: string;
  let store: FileStoreBackend;

  before(async () => {
    root = copyOfFixture();
    writeRun(root, BIG, {});
    await writeLongMetric(path.join(root, '1', BIG, 'metrics', 'loss'), 200_000);
    writeRun(root, SMALL, { loss: smallLines.map((l) => l.join(' ')).join('\n') + '\n' });
    writeRun(root, HUGE, {});
    await writeLongMetric(path.join(root, '1', HUGE, 'metrics', 'loss'), 1_000_000);
    writeRun(root, BROKEN, { loss: `${T0} 1.0 0\nthis is not a metric line at all\n` });
    store = new FileStoreBackend(root);
  });

  it("answers exactly what the server's MLflow sampling answers for the same histories", async () => {
    const got = await store.getMetricHistoryBulkInterval({ runIds: [BIG, SMALL], metricKey: 'loss', maxResults: 2500 });
    const history = (lines: Array<[number, number, number]>) => new ArrayHistory('loss', lines);
    const big = Array.from({ length: 200_000 }, (_, s): [number, number, number] => [s, valueAt(s), T0 + s]);
    const small = smallLines.map(([t, v, s]): [number, number, number] => [s, Number(v.replace('inf', 'Infinity').replace('nan', 'NaN')), t]);
    const expected = bulkInterval({ histories: [{ runId: BIG, history: history(big) }, { runId: SMALL, history: history(small) }], maxResults: 2500 });
    assert.equal(got.length, expected.length);
    assert.deepEqual(
      got.map((p) => [p.run_id, p.step, p.timestamp, p.value]),
      expected.map((p) => [p.run_id, p.step, p.timestamp, Number(p.value)]),
    );
    // 2,500 sampled steps, BIG's last step, and SMALL's last step (99): MLflow adds every run's
    // first and last step to the grid of all runs.
    assert.equal(got.filter((p) => p.run_id === BIG).length, 2502);
  });

  it('returns a narrow window whole, and samples a wide window evenly up to its end', async () => {
    const narrow = await store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss', startStep: 150_000, endStep: 151_999, maxResults: 2500 });
    assert.deepEqual(narrow.map((p) => p.step), Array.from({ length: 2000 }, (_, i) => 150_000 + i));
    const wide = await store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss', startStep: 100_000, endStep: 199_999, maxResults: 1000 });
    const steps = wide.map((p) => p.step);
    assert.equal(steps.length, 1001);
    assert.deepEqual(steps.slice(0, 3), [100_000, 100_100, 100_200]);
    assert.equal(steps.at(-2), 199_900); // spread over the whole window (MLflow 2.14.3 would stop near 100,000 + 1,000)
    assert.equal(steps.at(-1), 199_999);
  });

  it('streams a 1,000,000-line metric file into a bounded sample', async () => {
    const points = await store.getMetricHistoryBulkInterval({ runIds: [HUGE], metricKey: 'loss', maxResults: 500 });
    assert.equal(points.length, 501);
    assert.deepEqual([points[0]!.step, points[1]!.step, points.at(-1)!.step], [0, 2000, 999_999]);
    assert.equal(points[250]!.value, valueAt(500_000));
  });

  it('feeds the loader: sampled series, non-finite values, empty series for runs without the metric or unknown runs', async () => {
    const loader = createMetricHistoryLoader(store);
    const noLoss = fixtureRunId('child-a0.2');
    const series = await loader.load({ runIds: [BIG, SMALL, noLoss, 'c0000000000000000000000000000009'], metricKey: 'loss' });
    assert.equal(series[0]!.sampled, true);
    assert.equal(series[0]!.points.length, 2502); // + SMALL's last step, as above
    // Sampled on the grid of all the request's runs (every 80th step of BIG's), like MLflow:
    // SMALL keeps its first and last step and step 80, and says it is a sample.
    assert.deepEqual(series[1]!.points.map((p) => p.step), [0, 80, 99]);
    assert.equal(series[1]!.sampled, true);
    // (A new loader: the cache keeps the series this one fetched with BIG.)
    const [alone] = await createMetricHistoryLoader(store).load({ runIds: [SMALL], metricKey: 'loss' });
    assert.equal(alone!.sampled, false);
    assert.equal(alone!.points.length, 101);
    assert.deepEqual(alone!.points.slice(5, 9).map((p) => [p.step, p.value]), [[5, Number.NaN], [6, Number.POSITIVE_INFINITY], [7, Number.NEGATIVE_INFINITY], [7, 0.5]]);
    assert.deepEqual(series[2]!.points, []);
    assert.deepEqual(series[3]!.points, []);
    const [zoom] = await loader.load({ runIds: [BIG], metricKey: 'loss', range: { minStep: 10, maxStep: 19 } });
    assert.deepEqual(zoom!.points.map((p) => p.step), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.equal(zoom!.sampled, false);
    assert.equal(loader.stats().usingFallback, false);
  });

  it('rejects bad queries, malformed files and cancelled signals with MlflowErrors', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `c${String(i).padStart(31, '0')}`);
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: many, metricKey: 'loss' }), 'invalidParameter');
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss', startStep: 5 }), 'invalidParameter');
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss', startStep: 5, endStep: 4 }), 'invalidParameter');
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss', maxResults: 2501 }), 'invalidParameter');
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: [BROKEN], metricKey: 'loss' }), 'server', /malformed metric line/);
    await rejectsWith(store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: 'loss' }, { signal: AbortSignal.abort() }), 'cancelled');
    const controller = new AbortController();
    const pending = store.getMetricHistoryBulkInterval({ runIds: [HUGE], metricKey: 'loss' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await rejectsWith(pending, 'cancelled');
    // A key that would walk out of the metrics folder is no metric at all.
    assert.deepEqual(await store.getMetricHistoryBulkInterval({ runIds: [BIG], metricKey: '../meta.yaml' }), []);
  });
});
