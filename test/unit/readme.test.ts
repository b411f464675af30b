// The README's settings table and commands list are generated from package.json
// (scripts/readme-tables.ts): this fails when a setting or command changed and they were not
// regenerated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderTables } from '../../scripts/readme-tables';

describe('README tables', () => {
  it('the settings table and commands list match package.json (run node --import tsx scripts/readme-tables.ts)', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    assert.equal(renderTables(readme), readme);
  });

  it('lists every contributed setting', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(`| \`${key}\` |`), key);
  });
});
