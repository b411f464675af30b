// Each quick fix, applied to its document, removes its problem, keeps every comment and the order
// of the other keys, and leaves a document that validates (once the placeholders a fix inserts
// on purpose are filled in: they are there so a person writes the value).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, PLACEHOLDER_PATTERN, quickFixFor, validateInfoYaml } from '../../src/core/infoYaml';
import { INVALID_CASES } from './infoYaml/cases';

const comments = (text: string) => text.split('\n').map((l) => /#.*$/.exec(l)?.[0]).filter(Boolean);
const topLevelKeys = (text: string) => text.split('\n').map((l) => /^([A-Za-z]+):/.exec(l)?.[1]).filter(Boolean);

/** Fills placeholders with a value valid for any text field (a long sentence). */
const fill = (text: string) => text.replace(new RegExp(PLACEHOLDER_PATTERN.source, 'g'), (m) => (/e-mail/.test(m) ? 'someone@example.com' : 'a value written by a person, long enough for any rule here'));

describe('info.yaml quick fixes', () => {
  const withFixes = INVALID_CASES.filter((c) => c.fixes?.length);
  it('covers every kind of fix', () => {
    const kinds = new Set<string>();
    for (const c of withFixes) for (const d of validateInfoYaml(c.text)) if (d.fix && c.fixes!.includes(d.code)) kinds.add(d.fix.kind);
    assert.deepEqual([...kinds].sort(), ['add-key', 'normalize-date', 'quote-value', 'rename-key', 'to-sequence']);
  });

  for (const c of withFixes) {
    it(`${c.name}: ${c.fixes!.join(', ')}`, () => {
      let text = c.text;
      for (const code of c.fixes!) {
        const d = validateInfoYaml(text).find((x) => x.code === code);
        assert.ok(d, `${code} is reported`);
        const fix = quickFixFor(text, d);
        assert.ok(fix, `${code} offers a fix`);
        const before = text;
        text = applyEdits(text, fix.edits);
        assert.notEqual(text, before);
        assert.ok(!validateInfoYaml(text).some((x) => x.code === code && x.start.line === d.start.line), `${code} is gone`);
        for (const comment of comments(before)) assert.ok(text.includes(comment!), `comment kept: ${comment}`);
        const keysBefore = topLevelKeys(before);
        const keysAfter = topLevelKeys(text).filter((k) => keysBefore.includes(k!));
        if (fix.kind !== 'rename-key') assert.deepEqual(keysAfter, keysBefore, 'key order kept');
      }
      const remaining = validateInfoYaml(text);
      assert.ok(remaining.every((d) => d.code === 'placeholder-not-filled'), `only placeholders remain: ${remaining.map((d) => d.message).join(' | ')}`);
      assert.deepEqual(validateInfoYaml(fill(text)), [], fill(text));
    });
  }

  it('turns "Keywords: a, b" into a block sequence of two items and keeps the comment', () => {
    const c = INVALID_CASES.find((x) => x.name === 'Keywords as a scalar')!;
    const d = validateInfoYaml(c.text).find((x) => x.code === 'not-a-list')!;
    const out = applyEdits(c.text, quickFixFor(c.text, d)!.edits);
    assert.match(out, /\nKeywords:\n {2}- mlflow\n {2}- regression {2}# two keywords\nCreator:/);
  });

  it('quotes Version as written (1.0 stays 1.0, not 1)', () => {
    const c = INVALID_CASES.find((x) => x.name === 'Version as a number')!;
    const d = validateInfoYaml(c.text).find((x) => x.code === 'version-not-string')!;
    assert.match(applyEdits(c.text, quickFixFor(c.text, d)!.edits), /\nVersion: "1\.0" {2}# keep the trailing zero\n$/);
  });

  it('adds a missing key in the template order, after the key that precedes it', () => {
    const c = INVALID_CASES.find((x) => x.name === 'missing Description')!;
    const d = validateInfoYaml(c.text)[0]!;
    const out = applyEdits(c.text, quickFixFor(c.text, d)!.edits);
    assert.match(out, /^# Model for ABCI Datasets\nName: Wine quality ElasticNet\nDescription: "<<FILL IN: [^"]+>>"\nKeywords:/);
  });

  it('adds Creator with its required keys and a contact', () => {
    const c = INVALID_CASES.find((x) => x.name === 'missing Creator')!;
    const out = applyEdits(c.text, quickFixFor(c.text, validateInfoYaml(c.text)[0]!)!.edits);
    assert.match(out, /\n {2}- regression\nCreator:\n {2}Name: "<<FILL IN: organisation or person>>"\n {2}ContactPoint:\n {4}Email: "<<FILL IN: contact e-mail address>>"\nLicense:/);
  });

  it('offers no fix for an ambiguous date', () => {
    const d = validateInfoYaml('DateCreated: 01/02/2024\n').find((x) => x.code === 'invalid-date')!;
    assert.equal(d.fix, undefined);
  });

  it('offers no rename when the suggested key already exists', () => {
    const text = `${INVALID_CASES[0]!.text}Name: a\nNmae: b\n`;
    const d = validateInfoYaml(text).find((x) => x.code === 'unknown-key');
    assert.equal(d?.fix, undefined);
  });
});
