/**
 * What MLWF's commands hand back to the workbench. A command run from the palette, a menu or a
 * key returns its result to the window, serialized as JSON (over code-server's websocket, or
 * Remote-SSH's): a ComparePanel was 836 KiB for 500 runs. src/host/commands.ts lets only
 * workbenchResult() of a handler's value through; these tests hold the rule and check that no
 * command is registered around it. (test/suite/commandResults.test.ts checks the running
 * extension.)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_WORKBENCH_STRING, workbenchResult } from '../../src/host/workbenchResult';

const root = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

describe('command results for the workbench', () => {
  it('small plain answers pass: booleans, numbers, short strings', () => {
    assert.equal(workbenchResult(true), true);
    assert.equal(workbenchResult(false), false);
    assert.equal(workbenchResult(3), 3);
    assert.equal(workbenchResult('s3://bucket/models/wine/model.tar.gz'), 's3://bucket/models/wine/model.tar.gz');
    assert.equal(workbenchResult(''), '');
  });

  it('objects never go: a panel, a tree node, a record, an array, a promise-like, a circular one', () => {
    class Panel {
      readonly runs = Array.from({ length: 500 }, (_, i) => ({ info: { run_id: `r${i}` }, data: { metrics: [] } }));
      reveal() {}
    }
    const node: { parent?: unknown; label: string } = { label: 'run' };
    node.parent = { children: [node] };
    for (const value of [new Panel(), node, { id: '1', runId: 'abc' }, ['a', 'b'], new Map(), () => 1, { then: () => undefined }, null]) {
      assert.equal(workbenchResult(value), undefined, String(value));
    }
  });

  it('nor values JSON cannot hold, nor a string as long as a document', () => {
    for (const value of [10n, Symbol('x'), NaN, Infinity, undefined, 'x'.repeat(MAX_WORKBENCH_STRING + 1)]) {
      assert.equal(workbenchResult(value), undefined, typeof value);
    }
    assert.equal(workbenchResult('x'.repeat(MAX_WORKBENCH_STRING)), 'x'.repeat(MAX_WORKBENCH_STRING));
  });

  it('every command of src/ is registered through src/host/commands.ts', () => {
    const helper = path.join(root, 'src', 'host', 'commands.ts');
    const bypassing = sourceFiles(path.join(root, 'src'))
      .filter((file) => file !== helper)
      .filter((file) => /\bcommands\s*\.\s*registerCommand\s*\(|\bregisterTextEditorCommand\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    assert.deepEqual(bypassing, []);
  });
});
