// The upload's pure parts: bucket names checked against the ABCI rules, the URL per site profile
// and addressing style, and the ContentURL edit that keeps the user's comments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInfoYaml, placeholderYaml } from '../../src/core/infoYaml';
import { checkBucketName, objectUrl, registrationEmail, withContentUrl } from '../../src/core/upload';

describe('bucket names (ABCI rules)', () => {
  it('accepts ordinary names', () => {
    for (const ok of ['abc', 'my-models-2024', 'a'.repeat(63), 'group.models']) assert.equal(checkBucketName(ok), undefined, ok);
  });
  it('refuses bad names with the reason', () => {
    const cases: Array<[string, string]> = [
      ['ab', 'length'],
      ['a'.repeat(64), 'length'],
      ['My-Models', 'characters'],
      ['my_models', 'characters'],
      ['my models', 'characters'],
      ['モデル', 'characters'],
      ['-models', 'edges'],
      ['models-', 'edges'],
      ['my..models', 'adjacentDots'],
      ['my.-models', 'adjacentDots'],
      ['192.168.1.10', 'ipAddress'],
    ];
    for (const [name, problem] of cases) assert.equal(checkBucketName(name)?.problem, problem, name);
  });
});

describe('object URLs per site profile', () => {
  const base = { bucket: 'grp-models', key: 'Wine Model/モデル.tar.gz' };
  it('abci3: path style on s3.v3.abci.ai, key segments encoded', () => {
    assert.equal(objectUrl({ ...base, kind: 'public', profile: 'abci3' }), 'https://s3.v3.abci.ai/grp-models/Wine%20Model/%E3%83%A2%E3%83%87%E3%83%AB.tar.gz');
  });
  it('abci2: virtual-host style on s3.abci.ai', () => {
    assert.equal(objectUrl({ bucket: 'grp-models', key: 'wine/model.tar.gz', kind: 'public', profile: 'abci2' }), 'https://grp-models.s3.abci.ai/wine/model.tar.gz');
  });
  it('an explicit addressing style wins; a dotted bucket stays path style', () => {
    assert.equal(objectUrl({ bucket: 'b1', key: 'k', kind: 'public', profile: 'abci3', addressingStyle: 'virtual' }), 'https://b1.s3.v3.abci.ai/k');
    assert.equal(objectUrl({ bucket: 'b1', key: 'k', kind: 'public', profile: 'abci2', addressingStyle: 'path' }), 'https://s3.abci.ai/b1/k');
    assert.equal(objectUrl({ bucket: 'a.b', key: 'k', kind: 'public', profile: 'abci2' }), 'https://s3.abci.ai/a.b/k');
  });
  it('generic: the configured endpoint; s3:// for any profile', () => {
    assert.equal(objectUrl({ bucket: 'b1', key: 'x/y', kind: 'public', profile: 'generic', endpoint: 'http://127.0.0.1:9000' }), 'http://127.0.0.1:9000/b1/x/y');
    assert.equal(objectUrl({ bucket: 'b1', key: 'x/y', kind: 's3', profile: 'abci2' }), 's3://b1/x/y');
  });
});

describe('ContentURL written into info.yaml', () => {
  // What the export writes (src/core/export/infoYaml.ts).
  const PH = placeholderYaml('the URL of model.tar.gz, filled in by the upload');
  const yaml = [
    '# ABCI Datasets registration',
    'Name: wine # the model',
    'Distribution:',
    '  # where the package is',
    '  ContentURL:',
    `    - ${PH}`,
    '  EncodingFormat: tar.gz # gzip tarball',
    '',
  ].join('\n');
  it('replaces the placeholder and keeps every comment and other line', () => {
    const url = 'https://s3.v3.abci.ai/b1/wine/model.tar.gz';
    const out = withContentUrl(yaml, url);
    assert.equal(out, yaml.replace(PH, url));
    assert.deepEqual((parseInfoYaml(out).doc?.toJS() as { Distribution: { ContentURL: string[] } }).Distribution.ContentURL, [url]);
  });
  it('replaces an older URL of the same file, keeps other URLs, and is idempotent', () => {
    const old = yaml.replace(PH, 'https://s3.abci.ai/old/model.tar.gz\n    - https://example.org/extra.bin # keep');
    const url = 's3://b1/wine/model.tar.gz';
    const out = withContentUrl(old, url);
    assert.match(out, /- s3:\/\/b1\/wine\/model\.tar\.gz\n/);
    assert.match(out, /- https:\/\/example\.org\/extra\.bin # keep/);
    assert.doesNotMatch(out, /old\/model/);
    assert.match(out, /# where the package is/);
    assert.equal(withContentUrl(out, url), out);
  });
  it('adds Distribution.ContentURL when the file has none', () => {
    const out = withContentUrl('# top comment\nName: wine\n', 'https://s3.v3.abci.ai/b1/model.tar.gz');
    assert.match(out, /^# top comment\nName: wine\n/);
    assert.deepEqual((parseInfoYaml(out).doc?.toJS() as { Distribution: { ContentURL: string[] } }).Distribution.ContentURL, ['https://s3.v3.abci.ai/b1/model.tar.gz']);
  });
});

describe('registration e-mail', () => {
  it('fills in what is known, marks the blanks, and encodes the mailto: link', () => {
    const mail = registrationEmail({ datasetName: 'Wine Model', yamlUrl: 'https://s3.v3.abci.ai/b1/wine/info.yaml', email: 'me@example.org', group: ' ' });
    assert.equal(mail.subject, 'ABCI Datasets registration: Wine Model');
    assert.match(mail.body, /^URL of the YAML file: https:\/\/s3\.v3\.abci\.ai\/b1\/wine\/info\.yaml$/m);
    assert.match(mail.body, /^E-mail: me@example\.org$/m);
    assert.match(mail.body, /^ABCI group: \[your ABCI group\]$/m);
    assert.match(mail.body, /^Name: \[your name\]$/m);
    assert.ok(mail.mailto.startsWith('mailto:?subject=ABCI%20Datasets%20registration%3A%20Wine%20Model&body='));
    const body = decodeURIComponent(new URL(mail.mailto).searchParams.get('body') ?? '');
    assert.equal(body, mail.body.replace(/\n/g, '\r\n'));
  });
});
