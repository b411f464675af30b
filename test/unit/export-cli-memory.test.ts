// mlwf-export keeps V8's young generation small (src/cli/smallYoungGeneration.ts): dead socket and
// zlib buffers are then freed within about a MiB of allocation instead of piling up in the native
// heap. The setting is checked where it acts: a process that keeps many young objects alive
// through scavenges (what makes V8 grow its new space) keeps a small new space with the module
// loaded, and grows it without (the control, so the check can fail).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const MODULE = path.resolve(__dirname, '../../src/cli/smallYoungGeneration.ts');
const CLI = path.resolve(__dirname, '../../src/cli/mlwfExport.ts');

/** The new space's size (KiB) after a burst of surviving young objects, with or without the module. */
function newSpaceKiB(withModule: boolean): number {
  const script = `
    ${withModule ? `require(${JSON.stringify(MODULE)});` : ''}
    const v8 = require('node:v8');
    const keep = [];
    for (let i = 0; i < 200000; i++) { keep.push({ a: i, b: [i, i + 1], c: 'x' + i }); if (keep.length > 50000) keep.shift(); }
    process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size >> 10));`;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }));
}

describe('mlwf-export memory settings', () => {
  it('the young generation stays at its starting size with the module, and grows without it', () => {
    const small = newSpaceKiB(true);
    const grown = newSpaceKiB(false);
    assert.ok(small <= 4096, `new space ${small} KiB with the module`);
    assert.ok(grown >= 2 * small, `control: new space ${grown} KiB without the module (it should grow)`);
  });

  it('the CLI loads the module before anything else (the new space must not have grown yet)', () => {
    const firstImport = /^import\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/m.exec(readFileSync(CLI, 'utf8'))?.[1];
    assert.equal(firstImport, './smallYoungGeneration');
  });
});
