// The palette entries of the Jobs view's row commands: each is hidden while the view has no job
// it could act on (a command that then only says "There is no such job" is noise in the palette),
// through context keys the view sets after each look at the scheduler.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { menus: { commandPalette: Array<{ command: string; when?: string }> } } };
const provider = readFileSync(path.join(root, 'src', 'features', 'jobs', 'jobsTreeProvider.ts'), 'utf8');

describe('Jobs commands in the palette', () => {
  const whenOf = (command: string) => manifest.contributes.menus.commandPalette.find((m) => m.command === command)?.when ?? '';
  const expected: Record<string, string> = {
    'mlwf.jobs.showOutput': 'mlwf.jobs.withOutput',
    'mlwf.jobs.cancel': 'mlwf.jobs.active',
    'mlwf.jobs.showRun': 'mlwf.jobs.withRun',
    'mlwf.jobs.compareWith': 'mlwf.jobs.withRun',
    'mlwf.jobs.resubmit': 'mlwf.jobs.withRun',
  };
  for (const [command, key] of Object.entries(expected)) {
    it(`${command} shows only when ${key} (set by the Jobs view)`, () => {
      assert.match(whenOf(command), new RegExp(`(^|&& )${key.replace(/\./g, '\\.')}( &&|$)`));
      assert.ok(provider.includes(`'setContext', '${key}'`), `the view sets ${key}`);
    });
  }
  it('Run on a Compute Node…, Refresh Jobs and Set Job Settings… stay in the palette', () => {
    for (const command of ['mlwf.jobs.runOnComputeNode', 'mlwf.jobs.refresh', 'mlwf.jobs.setJobSettings']) assert.equal(whenOf(command), '', command);
  });
});
