// Saved compare views (`.vscode/mlwf-views.json`): the file read strictly (a bad file is an error
// that names the problem, never an empty list that a save would then overwrite), a view added or
// replaced without touching the others, and a view applied to runs of another experiment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptySavedViews, parseSavedViews, serializeSavedViews, validViewName, withView } from '../../src/core/compare/savedViewsFile';
import type { CompareRun, CompareSavedView } from '../../src/protocol/compare';
import { applySavedView, defaultViewState, toSavedView } from '../../webview/src/panels/compare/viewState';

const view: CompareSavedView = {
  metrics: ['train_loss', 'rmse'],
  tab: 'charts',
  xAxis: 'step',
  smoothing: 0.6,
  logScale: true,
  ignoreOutliers: false,
  onlyDifferences: true,
  goals: { rmse: 'min' },
  groupBy: { kind: 'param', key: 'alpha' },
  band: 'minMax',
};

const run = (id: string, experimentId: string, metrics: string[]): CompareRun => ({
  runId: id, name: id, experimentId, colorSlot: 0, status: 'FINISHED', startTime: 0, params: [], tags: [],
  metrics: metrics.map((key) => ({ key, value: 1, step: key.endsWith('loss') ? 9 : 0 })),
});

describe('the saved views file', () => {
  it('no file (or an empty one) is no views yet', () => {
    assert.deepEqual(parseSavedViews(undefined), { ok: true, file: emptySavedViews() });
    assert.deepEqual(parseSavedViews('  \n'), { ok: true, file: emptySavedViews() });
  });

  it('what it writes it reads back, two-space JSON with a final newline', () => {
    const file = withView(withView(emptySavedViews(), 'seeds', view), 'plain', { ...view, groupBy: null });
    const text = serializeSavedViews(file);
    assert.ok(text.endsWith('}\n') && text.includes('\n  "views": {'));
    assert.deepEqual(parseSavedViews(text), { ok: true, file });
  });

  it('saving a name again replaces that view in place and keeps every other', () => {
    const file = withView(withView(emptySavedViews(), 'a', view), 'b', view);
    const next = withView(file, ' a ', { ...view, smoothing: 0 });
    assert.deepEqual(Object.keys(next.views), ['a', 'b']);
    assert.equal(next.views.a!.smoothing, 0);
    assert.deepEqual(next.views.b, view);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['text that is not JSON (a comment, a trailing comma)', '{ "version": 1, // team views\n "views": {} }', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['another version', '{ "version": 2, "views": {} }', /version 2; this extension reads version 1/],
    ['no views object', '{ "version": 1, "views": [] }', /"views" object/],
    ['a view with an unknown axis', JSON.stringify({ version: 1, views: { v: { ...view, xAxis: 'epoch' } } }), /the view "v" is not a view/],
    ['a view missing a field', JSON.stringify({ version: 1, views: { v: { ...view, band: undefined } } }), /the view "v"/],
    ['smoothing of 1 or more', JSON.stringify({ version: 1, views: { v: { ...view, smoothing: 1 } } }), /the view "v"/],
    ['a grouping by something else', JSON.stringify({ version: 1, views: { v: { ...view, groupBy: { kind: 'script', key: 'x' } } } }), /the view "v"/],
    ['an empty view name', JSON.stringify({ version: 1, views: { '': view } }), /view name "" is not allowed/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, naming the problem`, () => {
      const read = parseSavedViews(text);
      assert.equal(read.ok, false);
      assert.match((read as { error: string }).error, message);
      assert.match((read as { error: string }).error, /\.vscode\/mlwf-views\.json/);
    });
  }

  it('view names: some text, at most 80 characters, no control characters', () => {
    assert.equal(validViewName('seeds of alpha'), undefined);
    assert.match(validViewName('   ') ?? '', /name/);
    assert.match(validViewName('x'.repeat(81)) ?? '', /80/);
    assert.match(validViewName('a\nb') ?? '', /control/);
  });
});

describe('a saved view on other runs', () => {
  it('keeps the set-up, not the runs', () => {
    const state = { ...defaultViewState(), runIds: ['r1'], hiddenRuns: ['r1'], chosenMetrics: ['train_loss', 'rmse'], smoothing: 0.6, logScale: true, onlyDifferences: true, goals: { rmse: 'min' as const }, groupBy: { kind: 'param' as const, key: 'alpha' }, band: 'minMax' as const };
    assert.deepEqual(toSavedView(state), view);
  });

  it('applied to runs of another experiment: its metrics those runs have, in its order, everything else as saved', () => {
    const other = [run('o1', '7', ['rmse', 'train_loss', 'r2']), run('o2', '7', ['rmse'])];
    const state = { ...defaultViewState(), runIds: ['o1', 'o2'], hiddenRuns: ['o2'], chosenMetrics: ['r2'] };
    const applied = applySavedView(state, { ...view, metrics: ['train_loss', 'val_acc', 'rmse'] }, other);
    assert.deepEqual(applied.chosenMetrics, ['train_loss', 'rmse'], 'val_acc is not logged by these runs');
    assert.deepEqual(applied.runIds, ['o1', 'o2'], 'the runs stay');
    assert.deepEqual(applied.hiddenRuns, ['o2']);
    assert.deepEqual([applied.smoothing, applied.logScale, applied.band, applied.groupBy], [0.6, true, 'minMax', { kind: 'param', key: 'alpha' }]);
  });

  it('none of its metrics there: the runs’ own defaults', () => {
    const applied = applySavedView(defaultViewState(), { ...view, metrics: ['gone'] }, [run('o1', '7', ['acc_loss', 'f1'])]);
    assert.deepEqual(applied.chosenMetrics, ['acc_loss', 'f1']);
  });
});
