// One colour per run: the host's stable palette slots and the page's slot → theme colour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignColorSlots, colorIdOfSlot, RUN_PALETTE_SIZE } from '../../src/features/compare/runColorSlots';
import { colorVariable, FALLBACK_PALETTE, PALETTE_SIZE, runColor } from '../../webview/src/panels/compare/colors';

describe('run colour slots', () => {
  it('new runs take the lowest free slots in order', () => {
    assert.deepEqual([...assignColorSlots(['a', 'b', 'c'])], [['a', 0], ['b', 1], ['c', 2]]);
  });

  it('a run keeps its colour when another is removed, and a newcomer fills the gap', () => {
    const first = assignColorSlots(['a', 'b', 'c']);
    const removed = assignColorSlots(['a', 'c'], first);
    assert.deepEqual([...removed], [['a', 0], ['c', 2]]);
    const added = assignColorSlots(['a', 'c', 'd', 'e'], removed);
    assert.deepEqual([...added], [['a', 0], ['c', 2], ['d', 1], ['e', 3]]);
  });

  it('ids listed twice get one slot; past the palette, slots keep counting and colours repeat', () => {
    assert.equal(assignColorSlots(['a', 'a']).size, 1);
    const many = assignColorSlots(Array.from({ length: 12 }, (_, i) => `r${i}`));
    assert.equal(many.get('r11'), 11);
    assert.equal(colorIdOfSlot(0), 'mlwf.compareRun1');
    assert.equal(colorIdOfSlot(11), 'mlwf.compareRun2');
    assert.equal(RUN_PALETTE_SIZE, PALETTE_SIZE, 'the host and the page agree on the palette');
  });
});

describe('run colour in the page', () => {
  it('reads the contributed theme colour’s CSS variable', () => {
    assert.equal(colorVariable(0), '--vscode-mlwf-compareRun1');
    assert.equal(colorVariable(10), '--vscode-mlwf-compareRun1');
    assert.equal(runColor(2, (name) => (name === '--vscode-mlwf-compareRun3' ? ' #123456 ' : '')), '#123456');
  });

  it('falls back to the built-in palette when the theme has no value', () => {
    assert.equal(runColor(1, () => ''), FALLBACK_PALETTE[1]);
    assert.equal(new Set(FALLBACK_PALETTE).size, PALETTE_SIZE, 'distinct colours');
  });

  it('package.json contributes one theme colour per slot with the same defaults', async () => {
    const manifest = (await import('../../package.json', { with: { type: 'json' } })).default as { contributes: { colors: Array<{ id: string; defaults: { dark: string } }> } };
    const colors = manifest.contributes.colors.filter((c) => c.id.startsWith('mlwf.compareRun'));
    assert.deepEqual(colors.map((c) => c.id), Array.from({ length: PALETTE_SIZE }, (_, i) => colorIdOfSlot(i)));
    assert.deepEqual(colors.map((c) => c.defaults.dark), [...FALLBACK_PALETTE]);
  });
});
