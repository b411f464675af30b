/** File store robustness: broken files stay local to their item, reads stay lazy, caches refresh. */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStoreBackend } from '../../src/core/fileStore';
import { copyOfFixture, rejectsWith, runId } from './fileStore-helpers';

describe('file store: robustness', () => {
  const root = copyOfFixture();
  after(() => rmSync(path.dirname(root), { recursive: true, force: true }));
  const oldest = runId('elasticnet-a0.1-l0.2');
  // A metric file nobody can parse, in the oldest run: only reading that run may fail.
  writeFileSync(path.join(root, '1', oldest, 'metrics', 'r2'), 'this is not a metric line at all\n');
  // A run folder whose meta.yaml is broken.
  cpSync(path.join(root, '1', runId('child-a0.8')), path.join(root, '1', 'brokenrun'), { recursive: true });
  writeFileSync(path.join(root, '1', 'brokenrun', 'meta.yaml'), 'run_id: [oops\n');

  it('pages without reading runs that are not on the page', async () => {
    const store = new FileStoreBackend(root);
    const first = await store.searchRunsPage({ experimentIds: ['1'], maxResults: 2 });
    assert.deepEqual(first.runs.map((r) => r.info.run_name), ['elasticnet-a1.0-diverged', 'child-a0.8']);
  });

  it('turns an unreadable run into one clear error and lists broken run folders as problems', async () => {
    const store = new FileStoreBackend(root);
    await rejectsWith(store.getRun(oldest), 'server', /malformed metric line/);
    await rejectsWith(store.searchRunsPage({ experimentIds: ['1'], filter: "params.alpha = '0.1'" }), 'server', new RegExp(oldest));
    const problems = await store.problems();
    const run = problems.find((p) => p.kind === 'run');
    assert.deepEqual(run && { folder: run.folder, id: run.id }, { folder: '1/brokenrun', id: 'brokenrun' });
    assert.ok(problems.some((p) => p.kind === 'experiment' && p.folder === '2'));
  });

  it('sees new runs after invalidate(), not in the middle of a paged search', async () => {
    const store = new FileStoreBackend(root, { cacheTtlMs: 60_000 });
    const before = await store.searchRunsPage({ experimentIds: ['1'], maxResults: 1 });
    cpSync(path.join(root, '1', runId('child-a0.2')), path.join(root, '1', 'newrun'), { recursive: true });
    const meta = path.join(root, '1', 'newrun', 'meta.yaml');
    writeFileSync(meta, readFileSync(meta, 'utf8').replace(/^(run_id|run_uuid): .*$/gm, '$1: newrun').replace(/^start_time: .*$/m, 'start_time: 1718009999000'));
    const second = await store.searchRunsPage({ experimentIds: ['1'], maxResults: 1, pageToken: before.next_page_token });
    assert.notEqual(second.runs[0]!.info.run_id, 'newrun');
    store.invalidate();
    const fresh = await store.searchRunsPage({ experimentIds: ['1'], maxResults: 1 });
    assert.equal(fresh.runs[0]!.info.run_id, 'newrun');
    rmSync(path.join(root, '1', 'newrun'), { recursive: true });
  });

  it('stops on an aborted signal with a cancelled error', async () => {
    const store = new FileStoreBackend(root);
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(store.searchExperimentsPage({}, { signal: controller.signal }), 'cancelled');
  });
});
