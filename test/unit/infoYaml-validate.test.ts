// info.yaml validation in plain Node: every invalid document gives exactly the expected
// diagnostics (code and range), the official example passes, and no input throws or stalls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateInfoYaml, type InfoYamlDiagnostic } from '../../src/core/infoYaml';
import { INVALID_CASES, VALID } from './infoYaml/cases';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/infoYaml', name), 'utf8');
const fmt = (d: InfoYamlDiagnostic) => `${d.code}@${d.start.line}:${d.start.character}-${d.end.line}:${d.end.character}`;

describe('info.yaml validation: invalid documents', () => {
  it('has at least 30 invalid documents, each with at least one error', () => {
    assert.ok(INVALID_CASES.length >= 30, `${INVALID_CASES.length} cases`);
    for (const c of INVALID_CASES) assert.ok(c.expected.length > 0, c.name);
  });

  for (const c of INVALID_CASES) {
    it(`${c.name} → ${c.expected.join(', ')}`, () => {
      const diagnostics = validateInfoYaml(c.text);
      assert.deepEqual(diagnostics.map(fmt), c.expected);
      for (const d of diagnostics) {
        assert.ok(d.message.length > 10 && !/undefined|\[object/.test(d.message), `${d.code}: ${d.message}`);
        assert.equal(d.range.start <= d.range.end, true);
        assert.deepEqual(d.start.line <= d.end.line, true);
      }
    });
  }

  it('places a missing key on its parent key, and names the key', () => {
    const [d] = validateInfoYaml(VALID.replace('  Name: ABC Team\n', ''));
    assert.equal(d!.code, 'missing-required');
    assert.deepEqual(d!.field, ['Creator', 'Name']);
    assert.equal(VALID.replace('  Name: ABC Team\n', '').slice(d!.range.start, d!.range.end), 'Creator');
  });

  it('suggests the nearest known key, as a warning with a rename fix', () => {
    const d = validateInfoYaml(VALID.replace('License:', 'Lisence:')).find((x) => x.code === 'unknown-key')!;
    assert.equal(d.severity, 'warning');
    assert.equal(d.params.suggestion, 'License');
    assert.deepEqual(d.fix, { kind: 'rename-key', path: ['Lisence'], to: 'License' });
    assert.match(d.message, /did you mean License\?/);
  });

  it('reports a placeholder on the placeholder itself, with a message that says so', () => {
    const text = VALID.replace('Name: Wine quality ElasticNet', 'Name: "<<FILL IN: the model name>>"');
    const [d] = validateInfoYaml(text);
    assert.equal(text.slice(d!.range.start, d!.range.end), '<<FILL IN: the model name>>');
    assert.match(d!.message, /not filled in yet/);
  });
});

describe('info.yaml validation: valid documents', () => {
  it('accepts the complete document with every optional field', () => {
    const full = `${VALID}UsageInfo: https://example.com/usage
Distribution:
  EncodingFormat: MLflow Model (tar.gz)
  ContentURL:
    - https://bucket.s3.abci.ai/model.tar.gz
Version: "1.0"
DateCreated: 2024-01-05
DateModified: 2024-01-05T09:30:00+09:00
DatePublished: "2024-01-06 10:00"
Identifier: https://doi.org/10.1000/a0000
Citation:
  - Doe, J. "Example," 2024.
AdditionalInfo: |
  Trained on **ABCI**.
`;
    assert.deepEqual(validateInfoYaml(VALID), []);
    assert.deepEqual(validateInfoYaml(full), []);
  });

  it('the official example as printed fails only on its display-wrapped citation line', () => {
    assert.deepEqual(validateInfoYaml(fixture('official-example.verbatim.yaml')).map(fmt), ['yaml-syntax@42:0-44:19']);
  });

  it('the official example, rejoined, has the two problems it really has; fixed, it passes', () => {
    const text = fixture('official-example.yaml');
    // The sample Description has exactly 50 characters (the rule: more than 50), and the second
    // citation's "Available: https://…" makes that item a mapping under any YAML parser.
    const diagnostics = validateInfoYaml(text);
    assert.deepEqual(diagnostics.map(fmt), ['description-too-short@4:13-4:63', 'wrong-type@42:2-42:136']);
    assert.match(diagnostics[1]!.message, /Citation #2 must be text, not a mapping/);
    const filled = text
      .replace('This is a ... [ProjectPage]', 'This is a data set of medical images, described on its [ProjectPage]')
      .replace(/^- (John, Doe\. "Example Paper 3.*)$/m, (_, item: string) => `- ${JSON.stringify(item)}`);
    assert.deepEqual(validateInfoYaml(filled), []);
  });

  it('reads dates as written (YAML 1.1 timestamps) and aliases as their anchors, with a note', () => {
    const text = VALID.replace('  Name: ABC Team', '  Name: &team ABC Team') + 'AdditionalInfo: *team\nDateCreated: 2024-01-05\n';
    assert.deepEqual(validateInfoYaml(text).map((d) => `${d.code}/${d.severity}`), ['alias-used/information']);
  });
});

describe('info.yaml validation: hostile input', () => {
  const hostile: [string, string][] = [
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['many keys', Array.from({ length: 20000 }, (_, i) => `k${i}: v`).join('\n')],
    ['a long line', `Name: ${'x'.repeat(400_000)}`],
    ['lone surrogate', 'Name: \ud800\n'],
    ['CRLF line ends', VALID.replace(/\n/g, '\r\n')],
    ['a BOM', `\ufeff${VALID}`],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['only a colon', ':'],
    ['a flow mapping at top level', '{Name: x, Keywords: [a]}'],
    ['complex keys', '? [a, b]\n: value\n'],
  ];
  for (const [name, text] of hostile) {
    it(`${name}: diagnostics, no exception`, () => {
      const diagnostics = validateInfoYaml(text);
      assert.ok(Array.isArray(diagnostics));
      if (name === 'CRLF line ends' || name === 'a BOM') assert.deepEqual(diagnostics, []);
      else assert.ok(diagnostics.length > 0, name);
    });
  }
});
