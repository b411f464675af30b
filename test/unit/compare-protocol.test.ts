// The compare panel's message guards: every well-formed message of each direction passes, and
// malformed ones (wrong types, forged ids, oversize payloads, unknown kinds) are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPARE_STRING_KEYS,
  isCompareHostMessage,
  isCompareViewState,
  isCompareWebviewMessage,
  MAX_COMPARE_RUNS,
  readRunTable,
  toRunTable,
  type CompareHostMessage,
  type CompareRun,
  type CompareWebviewMessage,
} from '../../src/protocol/compare';

const RUN = '4a1c0de0000000000000000000000001';

describe('webview → host guard', () => {
  const good: CompareWebviewMessage[] = [
    { type: 'ready' },
    { type: 'addRuns' },
    { type: 'requestHistory', requestId: 1, metricKey: 'train/loss', runIds: [RUN] },
    { type: 'requestHistory', requestId: 2, metricKey: 'loss', runIds: [RUN], range: { minStep: 10, maxStep: 20 } },
    { type: 'requestHistory', requestId: 4, metricKey: 'loss', runIds: [RUN], timestamps: true },
    { type: 'cancelHistory', requestId: 2 },
    { type: 'exportChart', format: 'png', metricKey: 'loss', data: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'exportChart', format: 'svg', metricKey: 'loss', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { type: 'copyText', format: 'csv', text: 'key,a\r\n' },
    { type: 'removeRun', runId: RUN },
    { type: 'firstPaint', scriptStartMs: 1.5, initReceivedMs: 20, firstDataMs: 80, paintedMs: 95, metricKey: 'loss', points: 2500 },
    { type: 'chooseView' },
    { type: 'saveView', view: { metrics: ['loss'], tab: 'charts', xAxis: 'step', smoothing: 0.5, logScale: false, ignoreOutliers: false, onlyDifferences: false, goals: {}, groupBy: { kind: 'tag', key: 'config' }, band: 'std' } },
    { type: 'requestHistory', requestId: 3, metricKey: 'loss', runIds: Array.from({ length: MAX_COMPARE_RUNS }, (_, i) => `r${i}`) },
  ];
  for (const message of good) it(`accepts ${message.type}`, () => assert.ok(isCompareWebviewMessage(message)));

  const bad: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a request id that is not a count', { type: 'requestHistory', requestId: -1, metricKey: 'loss', runIds: [RUN] }],
    ['a timestamps flag that is not a boolean', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: [RUN], timestamps: 'yes' }],
    ['a fractional request id', { type: 'requestHistory', requestId: 1.5, metricKey: 'loss', runIds: [RUN] }],
    ['run ids as a string', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: RUN }],
    ['no runs', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: [] }],
    ['a forged run id with a path in it', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: ['../../etc/passwd'] }],
    ['more runs than a bulk request allows', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: Array.from({ length: MAX_COMPARE_RUNS + 1 }, (_, i) => `r${i}`) }],
    ['an empty metric key', { type: 'requestHistory', requestId: 1, metricKey: '', runIds: [RUN] }],
    ['an inverted range', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: [RUN], range: { minStep: 20, maxStep: 10 } }],
    ['a range of strings', { type: 'requestHistory', requestId: 1, metricKey: 'loss', runIds: [RUN], range: { minStep: '0', maxStep: '9' } }],
    ['a PNG that is not a data URL', { type: 'exportChart', format: 'png', metricKey: 'loss', data: 'https://example.invalid/x.png' }],
    ['an SVG that is not markup', { type: 'exportChart', format: 'svg', metricKey: 'loss', data: 'hello' }],
    ['an unknown export format', { type: 'exportChart', format: 'exe', metricKey: 'loss', data: '<svg/>' }],
    ['a copy without text', { type: 'copyText', format: 'csv' }],
    ['a remove with a number', { type: 'removeRun', runId: 5 }],
    ['a saved view grouping by something that is not a param or tag', { type: 'saveView', view: { metrics: [], tab: 'charts', xAxis: 'step', smoothing: 0, logScale: false, ignoreOutliers: false, onlyDifferences: false, goals: {}, groupBy: { kind: 'eval', key: 'x' }, band: 'std' } }],
    ['a saved view without its band', { type: 'saveView', view: { metrics: [], tab: 'charts', xAxis: 'step', smoothing: 0, logScale: false, ignoreOutliers: false, onlyDifferences: false, goals: {}, groupBy: null } }],
    ['timings that are not numbers', { type: 'firstPaint', scriptStartMs: '1', initReceivedMs: 2, firstDataMs: 3, paintedMs: 4, metricKey: 'x', points: 1 }],
  ];
  for (const [what, message] of bad) it(`refuses ${what}`, () => assert.equal(isCompareWebviewMessage(message), false));
});

describe('host → webview guard', () => {
  const strings = Object.fromEntries(COMPARE_STRING_KEYS.map((k) => [k, k]));
  const run = { runId: RUN, name: '<img src=x onerror=alert(1)>', experimentId: '4', colorSlot: 0, status: 'FINISHED', startTime: 1, params: [{ key: 'a', value: 'b' }], metrics: [{ key: 'm', value: 1, step: 0 }], tags: [{ key: 'seed', value: '1' }] };
  const table = (...runs: CompareRun[]) => toRunTable(runs);
  /** A table with one field of its first row replaced. */
  const forged = (fields: Record<string, unknown>, runs: CompareRun[] = [run]) => {
    const t = table(...runs);
    return { ...t, rows: [{ ...t.rows[0]!, ...fields }, ...t.rows.slice(1)] };
  };
  const good: CompareHostMessage[] = [
    { type: 'init', title: 't', strings: strings as never, runs: table(run), focusMetrics: [] },
    { type: 'runs', title: 't', runs: table() },
    { type: 'history', requestId: 3, series: [{ runId: RUN, metricKey: 'm', sampled: true, steps: Float64Array.of(0), timestamps: Float64Array.of(1), values: Float64Array.of(Number.NaN) }] },
    { type: 'history', requestId: 4, series: [{ runId: RUN, metricKey: 'm', sampled: true, steps: { start: 0, stride: 50, count: 2, tail: [99] }, values: Float64Array.of(1, 2, 3) }] },
    { type: 'history', requestId: 5, series: [{ runId: RUN, metricKey: 'm', sampled: false, steps: Int32Array.of(0, 3, 4), values: Float64Array.of(1, 2, 3) }] },
    { type: 'historyError', requestId: 3, message: 'cancelled.' },
    { type: 'live', runs: table({ ...run, status: 'RUNNING' }), appended: [{ runId: RUN, metricKey: 'm', sampled: false, steps: Float64Array.of(7), timestamps: Float64Array.of(9), values: Float64Array.of(0.5) }] },
    { type: 'requestView' },
    { type: 'applyView', name: 'seeds', view: { metrics: ['rmse'], tab: 'table', xAxis: 'wallTime', smoothing: 0, logScale: true, ignoreOutliers: true, onlyDifferences: true, goals: { rmse: 'min' }, groupBy: null, band: 'minMax' } },
  ];
  for (const message of good) it(`accepts ${message.type}`, () => assert.ok(isCompareHostMessage(message)));

  it('refuses an init missing a string, a run with a bad colour, a history with bad points', () => {
    const { charts: _dropped, ...fewer } = strings;
    assert.equal(isCompareHostMessage({ type: 'init', title: 't', strings: fewer, runs: table(), focusMetrics: [] }), false);
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: forged({ colorSlot: -1 }) }), false);
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: [run] }), false, 'runs as objects are the old shape');
    assert.equal(isCompareHostMessage({ type: 'history', requestId: 1, series: [{ runId: RUN, metricKey: 'm', sampled: false, points: [{ step: 0, timestamp: 1, value: 2 }] }] }), false, 'points as objects are the old shape');
    assert.equal(isCompareHostMessage({ type: 'history', requestId: 1, series: [{ runId: RUN, metricKey: 'm', sampled: false, steps: [0], timestamps: [1], values: [2] }] }), false, 'plain arrays are not the columns');
    const ragged = { runId: RUN, metricKey: 'm', sampled: false, steps: Float64Array.of(0, 1), timestamps: Float64Array.of(1, 2), values: Float64Array.of(2) };
    assert.equal(isCompareHostMessage({ type: 'history', requestId: 1, series: [ragged] }), false, 'columns of different lengths');
    const values = Float64Array.of(1, 2);
    const regular = (steps: unknown) => isCompareHostMessage({ type: 'history', requestId: 1, series: [{ runId: RUN, metricKey: 'm', sampled: false, steps, values }] });
    assert.equal(regular({ start: 0, stride: 1, count: 2, tail: [] }), true);
    assert.equal(regular({ start: 0, stride: 1, count: 1e9, tail: [] }), false, 'a count the values do not have (the page would allocate it)');
    assert.equal(regular({ start: 0, stride: 1, count: 1, tail: ['2'] }), false, 'a tail that is not numbers');
    assert.equal(regular({ start: 0.5, stride: 1, count: 2, tail: [] }), false, 'steps are integers');
    assert.equal(regular(Uint8Array.of(0, 1)), false, 'only Int32 or Float64 step columns');
    assert.equal(regular(Int32Array.of(0, 1)), true);
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: forged({ tagKeys: undefined }) }), false, 'a run without tags');
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: forged({ paramKeys: [7] }) }), false, 'a key index past the keys');
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: forged({ paramValues: [] }) }), false, 'a param key without its value');
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: forged({ metricKeys: [0, 0] }) }), false, 'more metrics than values sent');
    assert.equal(isCompareHostMessage({ type: 'runs', title: 't', runs: { ...table(run), metricValues: [1] } }), false, 'values that are not a Float64Array');
    assert.equal(isCompareHostMessage({ type: 'ready' }), false, 'a webview message is not a host message');
  });

  it('refuses live updates with a bad run, points that are not numbers or no appended list', () => {
    assert.equal(isCompareHostMessage({ type: 'live', runs: table({ ...run, runId: '../x' }), appended: [] }), false);
    assert.equal(isCompareHostMessage({ type: 'live', runs: table(run), appended: [{ runId: RUN, metricKey: 'm', sampled: false, points: [{ step: 1, timestamp: 2, value: '3' }] }] }), false);
    assert.equal(isCompareHostMessage({ type: 'live', runs: table(run) }), false);
    assert.equal(isCompareHostMessage({ type: 'live', runs: table(...Array.from({ length: MAX_COMPARE_RUNS + 1 }, (_, i) => ({ ...run, runId: `r${i}` }))), appended: [] }), false, 'more runs than a panel holds');
  });

  it('the run table reads back the runs it was written from, NaN and all, each key once, in less than half the JSON', () => {
    const runs: CompareRun[] = Array.from({ length: 500 }, (_, i) => ({
      ...run,
      runId: `${RUN.slice(0, -3)}${String(i).padStart(3, '0')}`,
      name: `run-${i}`,
      colorSlot: i,
      params: Array.from({ length: 8 }, (_, k) => ({ key: `p_${String(k).padStart(3, '0')}`, value: String((i * k) % 7) })),
      metrics: [...['loss', 'val_loss', 'acc'].map((key) => ({ key, value: Math.random(), step: 9999 })), ...Array.from({ length: 8 }, (_, k) => ({ key: `m_${String(k).padStart(3, '0')}`, value: k === 0 && i === 0 ? Number.NaN : Math.random(), step: 0 }))],
      tags: [{ key: 'seed', value: String(i % 5) }],
    }));
    const t = toRunTable(runs);
    assert.ok(isCompareHostMessage({ type: 'runs', title: 't', runs: t }));
    assert.equal(t.keys.length, new Set(t.keys).size);
    const back = readRunTable(t);
    assert.ok(Number.isNaN(back[0]!.metrics[3]!.value), 'NaN survives (JSON made it null, which the guard refused)');
    assert.deepEqual(back.slice(1), runs.slice(1));
    assert.deepEqual({ ...back[0]!, metrics: back[0]!.metrics.filter((m) => m.key !== 'm_000') }, { ...runs[0]!, metrics: runs[0]!.metrics.filter((m) => m.key !== 'm_000') });
    const tableBytes = Buffer.byteLength(JSON.stringify({ ...t, metricValues: undefined, metricSteps: undefined })) + t.metricValues.byteLength + t.metricSteps.byteLength;
    const objectBytes = Buffer.byteLength(JSON.stringify(runs));
    assert.ok(tableBytes * 2 <= objectBytes, `table ${tableBytes} B, objects ${objectBytes} B`);
    console.log(`500 runs: ${(objectBytes / 1024).toFixed(0)} KiB as objects → ${(tableBytes / 1024).toFixed(0)} KiB as a table`);
  });
});

describe('saved view state guard (what a reload hands back)', () => {
  const state = { version: 1, runIds: [RUN], chosenMetrics: ['loss'], tab: 'charts', xAxis: 'step', smoothing: 0.5, logScale: false, ignoreOutliers: true, onlyDifferences: false, hiddenRuns: [], goals: { loss: 'max' } };
  it('accepts a state the page saved', () => assert.ok(isCompareViewState(state)));
  it('refuses other versions, no runs, bad axes, bad goals', () => {
    assert.equal(isCompareViewState({ ...state, version: 2 }), false);
    assert.equal(isCompareViewState({ ...state, runIds: [] }), false);
    assert.equal(isCompareViewState({ ...state, xAxis: 'epoch' }), false);
    assert.equal(isCompareViewState({ ...state, goals: { loss: 'best' } }), false);
    assert.equal(isCompareViewState(undefined), false);
  });
});
