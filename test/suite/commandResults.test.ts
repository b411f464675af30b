// What MLWF's commands hand back when they are executed: only workbenchResult() of the handler's
// value (src/host/commands.ts). Run from the palette, a menu or a key, the result travels to the
// window as JSON (a ComparePanel was 836 KiB for 500 runs); executeCommand in the extension host
// gets the same filtered value, so these calls stand for the palette's. The handler's full value
// is still there for in-host callers through commandResult().
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/features/tree/explorerNode';
import { connectToRig, labelOf } from './inHost';

describe('Command results (what the workbench receives)', function () {
  this.timeout(60_000);
  let a: MlwfExtensionApi;

  before(async () => {
    a = await connectToRig();
  });

  afterEach(() => {
    for (const panel of [...a.compare.panels]) panel.dispose();
  });

  it('every command of package.json is registered, each through src/host/commands.ts', async () => {
    const ext = vscode.extensions.getExtension('mlwf.mlwf-vscode')!;
    const declared = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(declared.length > 50, `${declared.length} commands declared`);
    const known = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(declared.filter((id) => !known.has(id)), [], 'declared but not registered');
    const wrapped = new Set(a.registeredCommands());
    assert.deepStrictEqual(declared.filter((id) => !wrapped.has(id)), [], 'registered around the helper');
  });

  it('Find Model Version… selects the row and hands the workbench nothing; in the host the row is its result', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.mlwf');
    const shown = await vscode.commands.executeCommand('mlwf.findModelVersion', 'Cerebras-GPT-590M', '2');
    assert.strictEqual(shown, undefined, 'a tree node never goes to the window');
    assert.strictEqual(a.modelsFeature.modelsView.selection[0]?.id, 'model:Cerebras-GPT-590M/v2', 'the command still did its work');
    const node = await a.commandResult<ExplorerNode | undefined>('mlwf.findModelVersion', 'Cerebras-GPT-590M', '2');
    assert.strictEqual(node?.id, 'model:Cerebras-GPT-590M/v2');
  });

  it('Compare Selected Runs opens the panel and hands the workbench nothing', async () => {
    const root = await a.experiments.getChildren();
    let wine: ExplorerNode | undefined;
    for (const node of root) if (labelOf(await node.getTreeItem()) === 'wine-quality') wine = node;
    assert.ok(wine, 'wine-quality is listed');
    const runs = (await a.experiments.getChildren(wine)).filter((n) => /\/run:[0-9a-f]+$/.test(n.id)).slice(0, 2);
    assert.strictEqual(runs.length, 2);
    const result = await vscode.commands.executeCommand('mlwf.compareSelectedRuns', runs[0], runs);
    assert.strictEqual(result, undefined, 'the panel never goes to the window');
    assert.strictEqual(a.compare.panels.length, 1, 'the comparison opened');
    assert.strictEqual(a.compare.panels[0]!.runIds.length, 2);
  });
});
