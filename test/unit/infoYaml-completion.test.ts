// Key completion and hover lookup, from text that is often half-typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyCompletions, keyPathAt } from '../../src/core/infoYaml';
import { VALID } from './infoYaml/cases';

const at = (text: string) => ({ text: text.replace('|', ''), offset: text.indexOf('|') });
const keys = (marked: string) => {
  const { text, offset } = at(marked);
  return keyCompletions(text, offset)?.fields.map((f) => f.path.join('.'));
};

describe('info.yaml key completion', () => {
  it('offers the top-level keys not yet present, in template order', () => {
    assert.deepEqual(keys(`${VALID}Ver|`), ['UsageInfo', 'Distribution', 'Version', 'DateCreated', 'DateModified', 'DatePublished', 'Identifier', 'Citation', 'AdditionalInfo']);
  });

  it('offers the keys of the mapping the cursor is in', () => {
    assert.deepEqual(keys(VALID.replace('  Name: ABC Team\n', '  Name: ABC Team\n  |\n')), ['Creator.URL']);
    assert.deepEqual(keys(VALID.replace('    Email: team@example.com\n', '    Email: team@example.com\n    U|\n')), ['Creator.ContactPoint.URL']);
    assert.deepEqual(keys('Name: x\nLicense:\n  |'), ['License.Name', 'License.URL']);
  });

  it('offers nothing inside a value, a list, or under a key that has a value', () => {
    assert.equal(keys('Name: Wi|'), undefined);
    assert.equal(keys('Keywords:\n  - ml|'), undefined);
    assert.equal(keys('Name: x\n  |'), undefined);
  });

  it('finds the schema key under the cursor for hover', () => {
    const { text, offset } = at(VALID.replace('  Name: ABC', '  Na|me: ABC'));
    assert.deepEqual(keyPathAt(text, offset), ['Creator', 'Name']);
    assert.equal(keyPathAt(VALID, VALID.indexOf('mlflow')), undefined);
  });
});
