// "Copy as CSV" (and Markdown) of a grouped comparison: one row per group with its run count
// and each metric's mean, spread and n, as the grouped table shows them — checked as the exact
// clipboard text, against statistics computed here by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareRun } from '../../src/protocol/compare';
import { groupExportTable, groupsToCsv, groupsToMarkdown } from '../../webview/src/panels/compare/groupExport';
import { groupRuns } from '../../webview/src/panels/compare/groupStats';

const run = (id: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}): CompareRun => ({
  runId: id, name: id, experimentId: '1', colorSlot: 0, status: 'FINISHED', startTime: 0,
  params: Object.entries(params).map(([key, value]) => ({ key, value })),
  metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0 })),
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});

const runs = [
  run('a1', { lr: '0.1', seed: '1' }, { rmse: 0.7, r2: 0.5 }),
  run('a2', { lr: '0.1', seed: '2' }, { rmse: 0.6, r2: 0.7 }),
  run('a3', { lr: '0.1', seed: '3' }, { rmse: 0.8 }),
  run('b1', { lr: '0.01', seed: '1' }, { rmse: 0.5, r2: Number.NaN }),
  run('x', { seed: '9' }, { rmse: 1 }, { note: '=cmd|calc' }),
];
const byLr = { kind: 'param', key: 'lr' } as const;
// Sample std of 0.7, 0.6, 0.8 is 0.1; of 0.5, 0.7 it is √0.02 = 0.141421…
const std2 = String(Number(Math.sqrt(0.02).toPrecision(6)));

describe('grouped Copy as CSV', () => {
  it('is one row per group: value, runs, then mean, std and n of each metric', () => {
    const csv = groupsToCsv(groupExportTable(runs, groupRuns(runs, byLr), byLr, 'std'));
    assert.equal(
      csv,
      [
        'params.lr,runs,metrics.r2 mean,metrics.r2 std,metrics.r2 n,metrics.rmse mean,metrics.rmse std,metrics.rmse n',
        '0.01,1,,,0,0.5,0,1', // r2 is NaN for its one run: no statistic, n = 0
        `0.1,3,0.6,${std2},2,0.7,0.1,3`,
        ',1,,,0,1,0,1', // the run without lr: its own group, an empty value, last
      ].join('\r\n') + '\r\n',
    );
  });

  it('with the min–max spread, has min and max columns instead of std', () => {
    const table = groupExportTable(runs, groupRuns(runs, byLr), byLr, 'minMax');
    assert.deepEqual(table.header, ['params.lr', 'runs', 'metrics.r2 mean', 'metrics.r2 min', 'metrics.r2 max', 'metrics.r2 n', 'metrics.rmse mean', 'metrics.rmse min', 'metrics.rmse max', 'metrics.rmse n']);
    assert.deepEqual(table.rows[1], ['0.1', '3', '0.6', '0.5', '0.7', '2', '0.7', '0.6', '0.8', '3']);
  });

  it('names the column after a tag, and defuses a value a spreadsheet would run as a formula', () => {
    const byNote = { kind: 'tag', key: 'note' } as const;
    const csv = groupsToCsv(groupExportTable(runs, groupRuns(runs, byNote), byNote, 'std'));
    const lines = csv.split('\r\n');
    assert.match(lines[0]!, /^tags\.note,runs,/);
    assert.equal(lines[1]!.split(',')[0], "'=cmd|calc");
    assert.equal(lines[2]!.split(',').slice(0, 2).join(','), ',4', 'the other four runs: not set');
  });

  it('copies as Markdown with the same rows, pipes escaped', () => {
    const md = groupsToMarkdown(groupExportTable(runs, groupRuns(runs, { kind: 'tag', key: 'note' }), { kind: 'tag', key: 'note' }, 'std'));
    const lines = md.trimEnd().split('\n');
    assert.equal(lines.length, 4, 'header, rule, two groups');
    assert.ok(lines[2]!.startsWith('| =cmd\\|calc | 1 |'), lines[2]);
  });
});
