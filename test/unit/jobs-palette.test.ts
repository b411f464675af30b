// The palette entries of the Jobs view's row commands: each is hidden while the view has no job
// it could act on (a command that then only says "There is no such job" is noise in the palette),
// through context keys the view sets after each look at the scheduler.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { menus: { commandPalette: Array<{ command: string; when?: string }> } } };
const nls = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
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

  it('the titles of the commands acting on one job say so (a bare "MLWF: Show Output" or "MLWF: Resubmit" is ambiguous there), in English and Japanese', () => {
    const expectedTitles: Record<string, [string, string]> = {
      'command.jobs.showOutput': ['Show Job Output', 'ジョブの出力を表示'],
      'command.jobs.cancel': ['Cancel Job…', 'ジョブをキャンセル…'],
      'command.jobs.showRun': ["Show Job's Run", 'ジョブの run を表示'],
      'command.jobs.compareWith': ["Compare Job's Run with…", 'ジョブの run を比較…'],
      'command.jobs.resubmit': ['Resubmit Job', 'ジョブを再投入'],
    };
    const en = nls('package.nls.json');
    const ja = nls('package.nls.ja.json');
    for (const [key, [english, japanese]] of Object.entries(expectedTitles)) assert.deepEqual([en[key], ja[key]], [english, japanese], key);
  });

  it('no two MLWF commands the palette offers share a title, in English or Japanese', () => {
    const all = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string; title: string; category?: string }> } }).contributes.commands;
    // Commands only rows and buttons run (hidden from the palette) may share a title, like two Retry rows.
    const commands = all.filter((c) => whenOf(c.command) !== 'false');
    for (const file of ['package.nls.json', 'package.nls.ja.json']) {
      const strings = nls(file);
      const seen = new Map<string, string>();
      for (const c of commands) {
        const title = `${c.category ?? ''}: ${c.title.replace(/^%(.+)%$/, (_m, key: string) => strings[key] ?? key)}`;
        assert.ok(!seen.has(title), `${file}: ${c.command} and ${seen.get(title)} are both "${title}"`);
        seen.set(title, c.command);
      }
    }
  });
});

