// The edits behind the form editor: each changes only its own characters, so comments, blank
// lines and key order survive, and what the form writes reads back as what the user typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, normalizeDate, parseInfoYaml, placeholder, PLACEHOLDER_PATTERN, readFormValues, removeKey, setList, setScalar, validateInfoYaml } from '../../src/core/infoYaml';
import { VALID } from './infoYaml/cases';

const COMMENTED = `# Model for ABCI Datasets
Name: Wine quality ElasticNet  # shown as the title

# what it is
Description: An ElasticNet regression model trained on the UCI wine quality data set with MLflow.
Keywords:
  - mlflow  # the tracking tool
  # more to come
  - regression
Creator:
  Name: ABC Team
  ContactPoint:
    Email: team@example.com
License:
  Name: MIT License
# end
`;

const edit = (text: string, make: (p: ReturnType<typeof parseInfoYaml>) => ReturnType<typeof setScalar>) => applyEdits(text, make(parseInfoYaml(text)));
const valueOf = (text: string, key: string) => readFormValues(parseInfoYaml(text)).values[key];

describe('info.yaml edits for the form', () => {
  it('sets a value in place, keeping the comment on its line and every other line', () => {
    const out = edit(COMMENTED, (p) => setScalar(p, ['Name'], 'Wine quality: ElasticNet #2'));
    assert.equal(out, COMMENTED.replace('Name: Wine quality ElasticNet  #', 'Name: "Wine quality: ElasticNet #2"  #'));
    assert.equal(valueOf(out, 'Name'), 'Wine quality: ElasticNet #2');
  });

  it('writes text that YAML would misread (numbers, booleans, dates) quoted, and plain text plain', () => {
    for (const [value, written] of [['1.0', '"1.0"'], ['yes', '"yes"'], ['1.1b', '1.1b'], ['- x', '"- x"'], ["it's", "it's"]] as const) {
      const out = edit(VALID, (p) => setScalar(p, ['Version'], value));
      assert.ok(out.endsWith(`Version: ${written}\n`), out);
      assert.equal(valueOf(out, 'Version'), value);
    }
  });

  it('writes several lines as a literal block and reads them back', () => {
    const text = 'Line one with [a link](https://example.com/).\nLine two, long enough for the rule of fifty characters.';
    const out = edit(COMMENTED, (p) => setScalar(p, ['Description'], text));
    assert.match(out, /\nDescription: \|-\n {2}Line one with \[a link\]\(https:\/\/example\.com\/\)\.\n {2}Line two, [^\n]+\nKeywords:/);
    assert.equal(valueOf(out, 'Description'), text);
    assert.deepEqual(validateInfoYaml(out), []);
  });

  it('adds a missing nested key, creating its parent in the template order', () => {
    const out = edit(COMMENTED, (p) => setScalar(p, ['Distribution', 'EncodingFormat'], 'MLflow Model (tar.gz)'));
    assert.ok(out.includes('  - regression\nDistribution:\n  EncodingFormat: MLflow Model (tar.gz)\nCreator:'), out);
    const out2 = edit(out, (p) => setScalar(p, ['Creator', 'URL'], 'https://example.com/team'));
    assert.ok(out2.includes('  Name: ABC Team\n  URL: https://example.com/team\n  ContactPoint:'), out2);
  });

  it('removes an optional key when emptied, and keeps a required one as an empty value', () => {
    const withVersion = edit(COMMENTED, (p) => setScalar(p, ['Version'], '2'));
    assert.ok(withVersion.includes('Version: "2"\n'));
    assert.equal(edit(withVersion, (p) => setScalar(p, ['Version'], '')), COMMENTED);
    assert.equal(edit(COMMENTED, (p) => removeKey(p, ['Creator', 'ContactPoint'])).includes('ContactPoint'), false);
    assert.ok(edit(COMMENTED, (p) => setScalar(p, ['Name'], '')).includes('Name: ""  # shown as the title'));
  });

  it('edits a list item by item: comments between items stay', () => {
    const out = edit(COMMENTED, (p) => setList(p, ['Keywords'], ['mlflow', 'elasticnet', 'wine']));
    assert.ok(out.includes('Keywords:\n  - mlflow  # the tracking tool\n  # more to come\n  - elasticnet\n  - wine\nCreator:'), out);
    const shorter = edit(out, (p) => setList(p, ['Keywords'], ['mlflow']));
    assert.ok(shorter.includes('Keywords:\n  - mlflow  # the tracking tool\n  # more to come\nCreator:'), shorter);
    assert.deepEqual(valueOf(shorter, 'Keywords'), ['mlflow']);
  });

  it('turns a scalar or flow list into a block sequence when the form sets it', () => {
    const out = edit(VALID.replace('Keywords:\n  - mlflow\n  - regression', 'Keywords: [a, b]'), (p) => setList(p, ['Keywords'], ['a', 'b', 'c: d']));
    assert.ok(out.includes('Keywords:\n  - a\n  - b\n  - "c: d"\nCreator:'), out);
  });

  it('adds a new optional list under its parent', () => {
    const out = edit(VALID, (p) => setList(p, ['Distribution', 'ContentURL'], ['https://b.s3.abci.ai/m.tar.gz']));
    assert.ok(out.includes('  - regression\nDistribution:\n  ContentURL:\n    - https://b.s3.abci.ai/m.tar.gz\nCreator:'), out);
    assert.deepEqual(validateInfoYaml(out), []);
  });

  it('shows a number or boolean as written, and writes it back as text', () => {
    const text = `${VALID}Version: 1.10\n`;
    assert.equal(valueOf(text, 'Version'), '1.10');
    assert.ok(edit(text, (p) => setScalar(p, ['Version'], '1.10')).endsWith('Version: "1.10"\n'));
  });

  it('marks values the form cannot represent as read-only', () => {
    const form = readFormValues(parseInfoYaml(VALID.replace('  Name: MIT License', '  Name:\n    en: MIT')));
    assert.deepEqual(form.readOnly, ['License.Name']);
    assert.equal(form.values['License.Name'], 'en: MIT');
  });
});

describe('info.yaml helpers', () => {
  it('normalises unambiguous dates to ISO 8601 and leaves the rest', () => {
    const cases: [string, string | undefined][] = [
      ['2024/1/5', '2024-01-05'],
      ['2024.01.05 09:30', '2024-01-05T09:30'],
      ['20240105', '2024-01-05'],
      ['2024年1月5日', '2024-01-05'],
      ['5 Jan 2024', '2024-01-05'],
      ['January 5, 2024', '2024-01-05'],
      ['2024/02/30', undefined],
      ['01/02/2024', undefined],
      ['2024-01-05', undefined],
      ['soon', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeDate(input), expected, input);
  });

  it('the placeholder marker round-trips through its pattern', () => {
    const p = placeholder('contact e-mail');
    assert.equal(p, '<<FILL IN: contact e-mail>>');
    assert.deepEqual(`a ${p} b`.match(PLACEHOLDER_PATTERN), [p]);
  });
});
