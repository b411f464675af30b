/**
 * Paging and recursive listing: the generic helpers, and the client walking thousands of items
 * from a local stub that pages like MLflow (opaque tokens, no token on the last page).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { collect, iteratePages, MlflowClient, MlflowError } from '../../src/core/mlflow';
import { startFlakyServer, type FlakyServer, type StubAnswer } from './helpers/flaky-server';

const EXPERIMENTS = 2_500;
const RUNS = 5_000;

function page(total: number, tokenIn: string | null | undefined, maxResults: number, item: (i: number) => unknown, key: string): StubAnswer {
  const offset = tokenIn ? (JSON.parse(Buffer.from(tokenIn, 'base64').toString('utf8')) as { offset: number }).offset : 0;
  const end = Math.min(total, offset + maxResults);
  const body: Record<string, unknown> = {};
  if (end > offset) body[key] = Array.from({ length: end - offset }, (_, i) => item(offset + i));
  if (end < total) body.next_page_token = Buffer.from(JSON.stringify({ offset: end })).toString('base64');
  return { body };
}

describe('paging helpers', () => {
  it('stops on a page without token and rejects a repeated token', async () => {
    const next: Record<string, string | undefined> = { start: 'a', a: 'b', b: undefined };
    const pages = await collect(iteratePages(async (t) => ({ token: t, next_page_token: next[t ?? 'start'] })));
    assert.deepEqual(pages.map((p) => p.token), [undefined, 'a', 'b']);
    let calls = 0;
    const looping = collect(iteratePages(async () => ({ next_page_token: calls++ < 5 ? 'same' : undefined })));
    await assert.rejects(looping, (e: unknown) => e instanceof MlflowError && e.kind === 'server');
    assert.equal(calls, 2, 'stopped at the first repeated token');
  });
  it('collect honours a limit and an aborted signal stops before the first request', async () => {
    let calls = 0;
    const fetchPage = async (t: string | undefined) => {
      calls++;
      const n = Number(t ?? '0');
      return { items: [n, n + 1], next_page_token: String(n + 2) };
    };
    const first = await collect(
      (async function* () {
        for await (const p of iteratePages(fetchPage)) yield* p.items;
      })(),
      5,
    );
    assert.deepEqual(first, [0, 1, 2, 3, 4]);
    calls = 0;
    await assert.rejects(collect(iteratePages(fetchPage, AbortSignal.abort())), (e: unknown) => e instanceof MlflowError && e.kind === 'cancelled');
    assert.equal(calls, 0);
  });
});

describe('client paging and listing against a paging stub', () => {
  let server: FlakyServer;
  const client = () => new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'bearer', token: 't' } });

  before(async () => {
    const tree: Record<string, Array<{ path: string; is_dir: boolean; file_size?: number }>> = {
      '': [{ path: 'model', is_dir: true }, { path: 'a.txt', is_dir: false, file_size: 1 }, { path: 'empty', is_dir: true }],
      model: [{ path: 'model/MLmodel', is_dir: false, file_size: 10 }, { path: 'model/sub', is_dir: true }, { path: 'elsewhere/x', is_dir: true }],
      'model/sub': Array.from({ length: 6 }, (_, i) => ({ path: `model/sub/d${i}`, is_dir: true })),
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`model/sub/d${i}`, [{ path: `model/sub/d${i}/f.bin`, is_dir: false, file_size: i }]])),
    };
    server = await startFlakyServer({
      'POST /api/2.0/mlflow/experiments/search': ({ body }) => {
        const req = JSON.parse(body) as { max_results?: number; page_token?: string };
        return page(EXPERIMENTS, req.page_token, req.max_results ?? 1000, (i) => ({ experiment_id: String(1000 + i), name: `gen-exp-${i}`, creation_time: String(i) }), 'experiments');
      },
      'POST /api/2.0/mlflow/runs/search': ({ body }) => {
        const req = JSON.parse(body) as { max_results?: number; page_token?: string; experiment_ids: string[] };
        assert.deepEqual(req.experiment_ids, ['999']);
        return page(RUNS, req.page_token, req.max_results ?? 1000, (i) => ({ info: { run_id: `run-${i}`, experiment_id: '999' } }), 'runs');
      },
      'GET /api/2.0/mlflow/artifacts/list': ({ query }) => {
        const files = tree[query.get('path') ?? ''];
        return { body: files ? { root_uri: 'mlflow-artifacts:/1/r/artifacts', files } : { root_uri: 'x' } };
      },
    });
  });
  after(() => server.stop());
  beforeEach(() => server.clearRequests());

  it(`iterates ${EXPERIMENTS} experiments with 200 per page: unique ids, exact count, one request per page`, async () => {
    const ids = new Set<string>();
    let count = 0;
    for await (const e of client().iterateExperiments({ maxResults: 200 })) {
      ids.add(e.experiment_id);
      assert.equal(typeof e.creation_time, 'number');
      count++;
    }
    assert.equal(count, EXPERIMENTS);
    assert.equal(ids.size, EXPERIMENTS);
    assert.equal(server.requests().length, Math.ceil(EXPERIMENTS / 200));
  });

  it(`iterates ${RUNS} runs with 300 per page`, async () => {
    const ids = new Set<string>();
    for await (const r of client().iterateRuns({ experimentIds: ['999'], maxResults: 300 })) ids.add(r.info.run_id);
    assert.equal(ids.size, RUNS);
    assert.equal(server.requests().length, Math.ceil(RUNS / 300));
  });

  it('one page at a time exposes next_page_token like MLflow', async () => {
    const first = await client().searchExperimentsPage({ maxResults: 2 });
    assert.deepEqual(first.experiments.map((e) => e.name), ['gen-exp-0', 'gen-exp-1']);
    assert.ok(first.next_page_token);
    const second = await client().searchExperimentsPage({ maxResults: 2, pageToken: first.next_page_token });
    assert.deepEqual(second.experiments.map((e) => e.name), ['gen-exp-2', 'gen-exp-3']);
  });

  it('lists artifacts recursively, sorted, with bounded concurrency, ignoring entries outside their folder', async () => {
    // Every listing takes 30 ms, so parallel requests really overlap on the server.
    server.faults({ pathPrefix: '/api/2.0/mlflow/artifacts/list', mode: 'delay', delayMs: 30 });
    const entries = await client().listArtifactsRecursive('r', undefined, { concurrency: 2 });
    const paths = entries.map((e) => e.path);
    assert.deepEqual(paths, [...paths].sort());
    assert.ok(paths.includes('empty') && paths.includes('model/sub/d5/f.bin') && paths.includes('a.txt'));
    assert.ok(!paths.some((p) => p.startsWith('elsewhere')), 'an entry outside its parent folder is not followed');
    assert.equal(entries.filter((e) => !e.is_dir).length, 8);
    assert.equal(server.maxConcurrent(), 2, 'two folders listed at once, never more');
    server.clearFaults();
    const sub = await client().listArtifactsRecursive('r', 'model/sub/');
    assert.equal(sub.length, 12);
  });

  it('checks bulk-interval arguments before sending', async () => {
    const c = client();
    await assert.rejects(c.getMetricHistoryBulkInterval({ runIds: [], metricKey: 'loss' }), /Between 1 and 100 runs/);
    await assert.rejects(c.getMetricHistoryBulkInterval({ runIds: Array.from({ length: 101 }, String), metricKey: 'loss' }), /Between 1 and 100 runs/);
    await assert.rejects(c.getMetricHistoryBulkInterval({ runIds: ['a'], metricKey: 'loss', startStep: 1 }), /both a start step and an end step/);
    assert.equal(server.requests().length, 0);
  });
});
