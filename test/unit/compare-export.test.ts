// What an exported chart becomes on disk: real PNG bytes or SVG text, under a safe file name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportBytes, exportFileName } from '../../src/features/compare/exportFiles';

// A 1×1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('chart export files', () => {
  it('decodes a PNG data URL to the PNG bytes', () => {
    const bytes = exportBytes({ type: 'exportChart', format: 'png', metricKey: 'loss', data: `data:image/png;base64,${PNG}` });
    assert.deepEqual([...bytes.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(bytes.length, Buffer.from(PNG, 'base64').length);
  });

  it('refuses a "PNG" whose bytes are something else', () => {
    const fake = Buffer.from('#!/bin/sh\nrm -rf ~\n').toString('base64');
    assert.throws(() => exportBytes({ type: 'exportChart', format: 'png', metricKey: 'loss', data: `data:image/png;base64,${fake}` }), /not a PNG/);
  });

  it('writes SVG text as UTF-8', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>損失</text></svg>';
    assert.equal(new TextDecoder().decode(exportBytes({ type: 'exportChart', format: 'svg', metricKey: 'loss', data: svg })), svg);
  });

  it('names the file after the metric, without path separators or leading dots', () => {
    assert.equal(exportFileName('loss', 'png'), 'loss.png');
    assert.equal(exportFileName('train/loss step', 'svg'), 'train_loss_step.svg');
    assert.equal(exportFileName('../../.bashrc', 'png'), 'bashrc.png');
    assert.equal(exportFileName('///', 'png'), 'chart.png');
  });
});
