/** Shared bits of the compare data-layer tests: a client on the rig, the request log, a scenario. */
import assert from 'node:assert/strict';
import { MlflowClient } from '../../src/core/mlflow';
import { isMlflowError } from '../../src/core/mlflow/errors';
import type { Rig, SeenRequest } from '../servers/rig';

export const BULK_PATH = '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval';
export const HISTORY_PATH = '/api/2.0/mlflow/metrics/get-history';

export function clientFor(rig: Rig): MlflowClient {
  return new MlflowClient({
    trackingUri: rig.trackingUri,
    auth: { kind: 'basic', username: rig.username, password: rig.password },
    timeoutMs: 30_000,
    retry: { limit: 0 },
  });
}

export interface SeenQuery {
  status: number;
  params: URLSearchParams;
}

/** Requests the server behind nginx saw on exactly this path, with their parsed query strings. */
export async function seenOn(rig: Rig, path: string): Promise<SeenQuery[]> {
  return (await rig.admin.requests())
    .filter((r: SeenRequest) => r.path === path)
    .map((r) => ({ status: r.status, params: new URLSearchParams(r.query) }));
}

export async function rejectsCancelled(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isMlflowError(e), `expected an MlflowError, got ${String(e)}`);
    assert.equal(e.kind, 'cancelled', e.message);
    return true;
  });
}

export const T0 = 1796500000000;
export const NAN_RUN = 'a0000000000000000000000000000001';
export const NO_METRIC_RUN = 'a0000000000000000000000000000002';
export const SPARSE_RUN = 'a0000000000000000000000000000003';
export const UNKNOWN_RUN = 'a00000000000000000000000000000ff';

/** Hand-written runs next to the generated ones: non-finite values, a run without `acc`, sparse steps. */
export const EXPLICIT_EXPERIMENT = {
  experiment_id: '7',
  name: 'compare-edge-cases',
  runs: [
    {
      run_id: NAN_RUN,
      start_time: T0,
      history: {
        acc: [
          [0, 0.5, T0],
          [1, 'NaN', T0 + 1],
          [2, 'Infinity', T0 + 2],
          [3, '-Infinity', T0 + 3],
          [4, 0.9, T0 + 4],
        ],
      },
    },
    { run_id: NO_METRIC_RUN, start_time: T0, metrics: { other: 1 } },
    {
      run_id: SPARSE_RUN,
      start_time: T0,
      history: {
        acc: [
          [0, 0.1, T0],
          [10, 0.2, T0 + 10],
          [10, 0.25, T0 + 11],
          [1000, 0.3, T0 + 1000],
        ],
      },
    },
  ],
};
