/** The pure parts of the compare data layer: MLflow's step sampling, even thinning, the concurrency limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConcurrencyLimit } from '../../src/core/compare/concurrencyLimit';
import { sampleStepGrid, thinEvenly } from '../../src/core/compare/stepSampling';
import { isMlflowError } from '../../src/core/mlflow/errors';

describe('step sampling', () => {
  const steps = Float64Array.from({ length: 1000 }, (_, i) => i * 3);

  it('keeps every step when the window holds no more than asked', () => {
    assert.deepEqual(sampleStepGrid(steps, 30, 60, 20), [30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60]);
    assert.deepEqual(sampleStepGrid(steps, 5000, 6000, 20), []);
  });

  it('thins at even index intervals and ends on the last step of the window, also far from step 0', () => {
    assert.deepEqual(sampleStepGrid(steps, 0, 10_000, 4), [0, 750, 1500, 2250, 2997]);
    const far = sampleStepGrid(steps, 2400, 2997, 5); // 200 steps in the window
    assert.deepEqual(far, [2400, 2520, 2640, 2760, 2880, 2997]);
  });

  it('thins a list to at most n items keeping the first and the last', () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const thin = thinEvenly(items, 2500);
    assert.equal(thin.length, 2500);
    assert.deepEqual([thin[0], thin.at(-1)], [0, 10_000]);
    assert.ok(thin.every((v, i) => i === 0 || v > thin[i - 1]!));
    assert.deepEqual(thinEvenly([1, 2, 3], 5), [1, 2, 3]);
    assert.deepEqual(thinEvenly([1, 2, 3], 1), [3]);
  });
});

describe('concurrency limit', () => {
  it('runs at most n tasks at once, in order', async () => {
    const limit = createConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limit.run(async () => {
          order.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.throws(() => createConcurrencyLimit(0), RangeError);
  });

  it('drops a queued task whose signal aborts, with a cancelled MlflowError', async () => {
    const limit = createConcurrencyLimit(1);
    let release!: () => void;
    const first = limit.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const queued = limit.run(async () => void (ran = true), controller.signal);
    controller.abort();
    await assert.rejects(queued, (e: unknown) => isMlflowError(e) && e.kind === 'cancelled');
    release();
    await first;
    await limit.run(async () => undefined);
    assert.equal(ran, false);
    assert.equal(limit.active, 0);
  });
});
