// Every user-visible string exists in English and Japanese: the manifest's %keys% in both
// package.nls files, and every vscode.l10n.t() string of src/ in the Japanese bundle.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string): Record<string, string> => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

describe('localisation', () => {
  it('declares every %key% of package.json in package.nls.json and package.nls.ja.json', () => {
    const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 10, 'the manifest uses %keys%');
    for (const file of ['package.nls.json', 'package.nls.ja.json']) {
      const bundle = readJson(file);
      const missing = keys.filter((k) => !bundle[k]);
      assert.deepEqual(missing, [], `${file} lacks ${missing.join(', ')}`);
    }
    assert.deepEqual(Object.keys(readJson('package.nls.ja.json')).sort(), Object.keys(readJson('package.nls.json')).sort());
  });

  it('translates every vscode.l10n.t() string of src/ in l10n/bundle.l10n.ja.json', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'mlwf-l10n-'));
    try {
      // @vscode/l10n-dev is the tool VS Code documents for extracting l10n.t() strings.
      execFileSync(process.execPath, [require.resolve('@vscode/l10n-dev/dist/cli.js'), 'export', '--outDir', out, path.join(root, 'src')], { stdio: 'pipe' });
      const english = JSON.parse(readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      const japanese = readJson('l10n/bundle.l10n.ja.json');
      assert.ok(Object.keys(english).length > 10);
      const missing = Object.keys(english).filter((k) => !japanese[k]);
      assert.deepEqual(missing, [], `l10n/bundle.l10n.ja.json lacks: ${missing.join(' | ')}`);
      const stale = Object.keys(japanese).filter((k) => !(k in english));
      assert.deepEqual(stale, [], `l10n/bundle.l10n.ja.json has strings no code uses: ${stale.join(' | ')}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
