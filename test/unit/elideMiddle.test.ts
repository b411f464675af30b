// Long metric / parameter keys are shortened in the middle so the value after them stays visible.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LABEL_KEY_MAX, elideMiddle } from '../../src/core/text/elideMiddle';

describe('elideMiddle', () => {
  it('leaves a key that fits alone', () => {
    assert.equal(elideMiddle('rmse'), 'rmse');
    assert.equal(elideMiddle('x'.repeat(LABEL_KEY_MAX)), 'x'.repeat(LABEL_KEY_MAX));
  });

  it('keeps the start and the end of a long key, max characters in all', () => {
    const key = `validation/per_class/${'segment_'.repeat(12)}f1_class_17`;
    const short = elideMiddle(key);
    assert.equal([...short].length, LABEL_KEY_MAX);
    assert.equal(short, 'validati…f1_class_17');
    assert.ok(key.startsWith(short.split('…')[0]!) && key.endsWith(short.split('…')[1]!));
  });

  it('never splits a character made of two UTF-16 units', () => {
    const short = elideMiddle('😀'.repeat(40), 9);
    assert.equal([...short].length, 9);
    assert.ok(!/[\ud800-\udfff]/.test(short.replace(/😀/g, '')), short);
  });

  it('degenerate widths', () => {
    assert.equal(elideMiddle('abcdef', 1), '…');
    assert.equal(elideMiddle('abcdef', 3), 'a…f');
  });
});
