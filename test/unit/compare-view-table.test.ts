// The side-by-side table's rules in plain Node: rows from runs, "only differences", the best
// value per metric (direction from the name, overridable), sorting, and the CSV/Markdown text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareRun } from '../../src/protocol/compare';
import { csvField, markdownCell, toCsv, toMarkdown } from '../../webview/src/panels/compare/tableExport';
import { bestIndexes, buildRows, defaultGoal, formatCell, goalOf, isDifferent, nextGoalOverride, sortedRunOrder } from '../../webview/src/panels/compare/tableModel';

const run = (id: string, name: string, params: Record<string, string>, metrics: Record<string, number>): CompareRun => ({
  runId: id, name, experimentId: '1', colorSlot: 0, status: 'FINISHED', startTime: 0,
  params: Object.entries(params).map(([key, value]) => ({ key, value })),
  metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0 })),
  tags: [],
});

const runs = [
  run('a', 'alpha', { lr: '0.1', opt: 'sgd', seed: '1' }, { rmse: 0.7, r2: 0.2 }),
  run('b', 'beta', { lr: '0.01', opt: 'sgd', seed: '1' }, { rmse: 0.5, r2: 0.4 }),
  run('c', '<img src=x onerror=alert(1)>', { lr: '0.001', seed: '1' }, { rmse: 0.5 }),
];

describe('table rows', () => {
  it('one row per param then per metric, keys sorted, a cell per run (missing = undefined)', () => {
    const rows = buildRows(runs);
    assert.deepEqual(rows.map((r) => `${r.section}:${r.key}`), ['param:lr', 'param:opt', 'param:seed', 'metric:r2', 'metric:rmse']);
    assert.deepEqual(rows[1]!.cells, ['sgd', 'sgd', undefined]);
    assert.deepEqual(rows[4]!.cells, [0.7, 0.5, 0.5]);
  });

  it('only-differences keeps rows where any run differs, a missing value included', () => {
    const rows = buildRows(runs);
    assert.deepEqual(rows.filter((r) => isDifferent(r.cells)).map((r) => r.key), ['lr', 'opt', 'r2', 'rmse']);
    assert.equal(isDifferent(['x']), false, 'one run has nothing to differ from');
    assert.equal(isDifferent([Number.NaN, Number.NaN]), false, 'NaN equals NaN here');
    assert.equal(isDifferent([1, '1']), true);
  });
});

describe('best value per metric', () => {
  it('direction from the name: losses and errors minimise, accuracy-like scores maximise', () => {
    for (const key of ['loss', 'val_loss', 'train/loss', 'rmse', 'mae', 'error', 'eval_error_rate', 'perplexity', 'trainloss']) assert.equal(defaultGoal(key), 'min', key);
    for (const key of ['acc', 'accuracy', 'val_accuracy', 'r2', 'f1', 'f1_score', 'auc', 'roc_auc', 'precision']) assert.equal(defaultGoal(key), 'max', key);
    for (const key of ['learning_rate', 'epoch', 'lr2x', 'throughput']) assert.equal(defaultGoal(key), 'none', key);
  });

  it('the user’s choice overrides the name; clicking cycles auto → min → max → none → auto', () => {
    assert.equal(goalOf('throughput', { throughput: 'max' }), 'max');
    assert.equal(goalOf('loss', { loss: 'none' }), 'none');
    assert.equal(goalOf('loss', {}), 'min');
    assert.deepEqual([undefined, 'min', 'max', 'none'].map((g) => nextGoalOverride(g as never)), ['min', 'max', 'none', undefined]);
  });

  it('marks every tied best cell, ignores missing and non-finite values, needs two numbers', () => {
    assert.deepEqual(bestIndexes([0.7, 0.5, 0.5], 'min'), [1, 2]);
    assert.deepEqual(bestIndexes([0.2, 0.4, undefined], 'max'), [1]);
    assert.deepEqual(bestIndexes([Number.NaN, 3, 1], 'max'), [1]);
    assert.deepEqual(bestIndexes([1, 2], 'none'), []);
    assert.deepEqual(bestIndexes([1, undefined], 'min'), [], 'one value is not a comparison');
  });
});

describe('sorting runs by a row', () => {
  it('numbers numerically (params are text that holds numbers), missing last either way', () => {
    assert.deepEqual(sortedRunOrder(['0.1', '0.01', '0.001'], 'asc'), [2, 1, 0]);
    assert.deepEqual(sortedRunOrder(['0.1', '0.01', '0.001'], 'desc'), [0, 1, 2]);
    assert.deepEqual(sortedRunOrder([undefined, 3, 1], 'asc'), [2, 1, 0]);
    assert.deepEqual(sortedRunOrder([undefined, 3, 1], 'desc'), [1, 2, 0]);
    assert.deepEqual(sortedRunOrder(['b10', 'b9', 'a'], 'asc'), [2, 1, 0]);
  });

  it('is stable for equal values', () => {
    assert.deepEqual(sortedRunOrder([1, 1, 1], 'desc'), [0, 1, 2]);
  });

  it('formats cells without float noise', () => {
    assert.equal(formatCell(0.1 + 0.2), '0.3');
    assert.equal(formatCell(42), '42');
    assert.equal(formatCell(undefined), '');
    assert.equal(formatCell(Number.NaN), 'NaN');
  });
});

describe('copy as CSV / Markdown', () => {
  const table = { runNames: runs.map((r) => r.name), rows: buildRows(runs) };

  it('CSV: a header of run names, one line per row, RFC 4180 quoting, CRLF', () => {
    const csv = toCsv(table);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'key,alpha,beta,<img src=x onerror=alert(1)>');
    assert.equal(lines[1], 'params.lr,0.1,0.01,0.001');
    assert.equal(lines[2], 'params.opt,sgd,sgd,');
    assert.equal(lines[5], 'metrics.rmse,0.7,0.5,0.5');
    assert.equal(lines.at(-1), '', 'ends with a line break');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
  });

  it('CSV: text a spreadsheet would run as a formula is defused, negative numbers are not', () => {
    assert.equal(csvField('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('-0.5'), '-0.5');
  });

  it('Markdown: a table with escaped pipes and markup, numbers right-aligned', () => {
    const md = toMarkdown(table).split('\n');
    assert.equal(md[0], '| key | alpha | beta | \\<img src=x onerror=alert(1)\\> |');
    assert.equal(md[1], '| --- | ---: | ---: | ---: |');
    assert.equal(md[2], '| params.lr | 0.1 | 0.01 | 0.001 |');
    assert.equal(markdownCell('a|b\nc'), 'a\\|b c');
    assert.equal(markdownCell('**x**'), '\\*\\*x\\*\\*');
  });
});
