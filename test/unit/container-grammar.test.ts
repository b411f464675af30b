// The Singularity grammar colours a generated recipe: header keywords, %sections, label keys,
// and the shell of %post as embedded shell — tokenized by VS Code's own TextMate engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { FIXTURES } from './container-helpers';

const root = path.resolve(__dirname, '../..');

async function tokenizer() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    // Our grammar, and a stand-in for VS Code's built-in shell grammar (an unresolved embedded
    // grammar drops the whole rule in vscode-textmate; in VS Code the real one is always there).
    loadGrammar: async (scope) =>
      scope === 'source.singularity'
        ? textmate.parseRawGrammar(readFileSync(path.join(root, 'media/singularity.tmLanguage.json'), 'utf8'), 'singularity.json')
        : scope === 'source.shell'
          ? textmate.parseRawGrammar(JSON.stringify({ scopeName: 'source.shell', patterns: [{ match: '\\b(set|export|if|then|fi|exec)\\b', name: 'keyword.control.shell' }] }), 'shell.json')
          : null,
  });
  const grammar = await registry.loadGrammar('source.singularity');
  assert.ok(grammar);
  return (text: string) => {
    let stack = textmate.INITIAL;
    const out: { line: number; text: string; scopes: string[] }[] = [];
    text.split('\n').forEach((line, i) => {
      const r = grammar.tokenizeLine(line, stack);
      for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
      stack = r.ruleStack;
    });
    return out;
  };
}

describe('Singularity grammar', () => {
  it('is declared for Singularity files and *.def in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'singularity');
    assert.deepEqual([lang.filenames, lang.extensions], [['Singularity'], ['.def']]);
    assert.equal(pkg.contributes.grammars.find((g: { language: string }) => g.language === 'singularity').scopeName, 'source.singularity');
  });

  it('colours the generated LLM recipe', async () => {
    const tokenize = await tokenizer();
    const tokens = tokenize(readFileSync(path.join(FIXTURES, 'golden/llm-lora/Singularity'), 'utf8'));
    const scopeOf = (text: string) => tokens.find((t) => t.text === text)?.scopes.join(' ') ?? '(no token)';
    assert.match(scopeOf('Bootstrap'), /keyword\.other\.header/);
    assert.match(scopeOf('nvcr.io/nvidia/cuda:12.5.1-cudnn-devel-ubuntu22.04'), /string\.unquoted\.header-value/);
    for (const section of ['post', 'labels', 'files', 'help', 'environment', 'runscript']) assert.match(scopeOf(section), /entity\.name\.section/, section);
    assert.match(scopeOf('org.mlwf.model.name'), /variable\.other\.label-key/);
    const pip = tokens.find((t) => t.text.includes('pip install'));
    assert.ok(pip && pip.scopes.includes('meta.embedded.block.shellscript'), 'the %post body is embedded shell');
    const exported = tokens.filter((t) => t.text === 'export');
    assert.ok(exported.length >= 3 && exported.every((t) => t.scopes.includes('keyword.control.shell')), '%environment is coloured by the shell grammar');
    const help = tokens.find((t) => t.text.includes('packaged by MLWF'));
    assert.ok(help && help.scopes.some((s) => s.startsWith('comment.block.documentation')));
  });

  it('marks an unknown section', async () => {
    const tokenize = await tokenizer();
    assert.ok(tokenize('%postt\n').some((t) => t.scopes.some((s) => s.startsWith('invalid.illegal'))));
  });
});
