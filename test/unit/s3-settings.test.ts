// Where Cloud Storage's endpoint, region and profile come from: explicit `mlwf.s3.*` setting >
// environment (MLFLOW_S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; AWS_REGION,
// AWS_DEFAULT_REGION; AWS_PROFILE) > the site profile's default (mlwf.siteProfile).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asSiteProfile, resolveS3Settings, type S3SettingsInput } from '../../src/core/s3/s3Settings';

interface Case {
  name: string;
  input: S3SettingsInput;
  env?: NodeJS.ProcessEnv;
  endpoint: string | undefined;
  region: string;
  sources: [string, string];
  pathStyle: boolean;
}

const cases: Case[] = [
  { name: 'abci3 (the default) alone', input: {}, endpoint: 'https://s3.v3.abci.ai', region: 'ap-northeast-1', sources: ['siteProfile', 'siteProfile'], pathStyle: true },
  { name: 'abci3 named', input: { siteProfile: 'abci3' }, endpoint: 'https://s3.v3.abci.ai', region: 'ap-northeast-1', sources: ['siteProfile', 'siteProfile'], pathStyle: true },
  { name: 'abci2 alone', input: { siteProfile: 'abci2' }, endpoint: 'https://s3.abci.ai', region: 'us-east-1', sources: ['siteProfile', 'siteProfile'], pathStyle: true },
  { name: 'generic alone: AWS S3 itself', input: { siteProfile: 'generic' }, endpoint: undefined, region: 'us-east-1', sources: ['default', 'siteProfile'], pathStyle: false },
  { name: 'MLFLOW_S3_ENDPOINT_URL beats the site', input: { siteProfile: 'abci2' }, env: { MLFLOW_S3_ENDPOINT_URL: 'http://minio:9000' }, endpoint: 'http://minio:9000', region: 'us-east-1', sources: ['environment', 'siteProfile'], pathStyle: true },
  { name: 'MLFLOW_S3_ENDPOINT_URL beats AWS_ENDPOINT_URL_S3', input: {}, env: { MLFLOW_S3_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b', AWS_ENDPOINT_URL: 'http://c' }, endpoint: 'http://a', region: 'ap-northeast-1', sources: ['environment', 'siteProfile'], pathStyle: true },
  { name: 'AWS_ENDPOINT_URL_S3 beats AWS_ENDPOINT_URL', input: { siteProfile: 'generic' }, env: { AWS_ENDPOINT_URL_S3: 'http://b', AWS_ENDPOINT_URL: 'http://c' }, endpoint: 'http://b', region: 'us-east-1', sources: ['environment', 'siteProfile'], pathStyle: true },
  { name: 'AWS_ENDPOINT_URL last of the environment', input: {}, env: { AWS_ENDPOINT_URL: 'http://c' }, endpoint: 'http://c', region: 'ap-northeast-1', sources: ['environment', 'siteProfile'], pathStyle: true },
  { name: 'the setting beats the environment', input: { endpoint: 'https://s3.abci.ai', region: 'eu-west-1' }, env: { MLFLOW_S3_ENDPOINT_URL: 'http://a', AWS_REGION: 'us-west-2' }, endpoint: 'https://s3.abci.ai', region: 'eu-west-1', sources: ['setting', 'setting'], pathStyle: true },
  { name: 'AWS_REGION beats AWS_DEFAULT_REGION and the site', input: { siteProfile: 'abci2' }, env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' }, endpoint: 'https://s3.abci.ai', region: 'us-west-2', sources: ['siteProfile', 'environment'], pathStyle: true },
  { name: 'AWS_DEFAULT_REGION beats the site', input: {}, env: { AWS_DEFAULT_REGION: 'eu-west-1' }, endpoint: 'https://s3.v3.abci.ai', region: 'eu-west-1', sources: ['siteProfile', 'environment'], pathStyle: true },
  { name: 'blank settings and variables count as unset', input: { endpoint: '  ', region: '' }, env: { MLFLOW_S3_ENDPOINT_URL: ' ', AWS_REGION: '' }, endpoint: 'https://s3.v3.abci.ai', region: 'ap-northeast-1', sources: ['siteProfile', 'siteProfile'], pathStyle: true },
  { name: 'virtual style kept for a site endpoint when chosen', input: { siteProfile: 'abci2', addressingStyle: 'virtual' }, endpoint: 'https://s3.abci.ai', region: 'us-east-1', sources: ['siteProfile', 'siteProfile'], pathStyle: false },
  { name: 'path style forced for AWS', input: { siteProfile: 'generic', addressingStyle: 'path' }, endpoint: undefined, region: 'us-east-1', sources: ['default', 'siteProfile'], pathStyle: true },
];

describe('S3 settings: setting > environment > site profile', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = resolveS3Settings(c.input, c.env ?? {});
      assert.equal(r.endpoint, c.endpoint, 'endpoint');
      assert.equal(r.region, c.region, 'region');
      assert.deepEqual([r.sources?.endpoint, r.sources?.region], c.sources, 'sources');
      assert.equal(r.forcePathStyle, c.pathStyle, 'path style');
    });
  }

  it('profile: the setting, else AWS_PROFILE, else none; its source decides whether stored keys apply', () => {
    assert.deepEqual([resolveS3Settings({ profile: 'grp' }, { AWS_PROFILE: 'env' }).profile, resolveS3Settings({ profile: 'grp' }, {}).sources?.profile], ['grp', 'setting']);
    assert.deepEqual([resolveS3Settings({}, { AWS_PROFILE: 'env' }).profile, resolveS3Settings({}, { AWS_PROFILE: 'env' }).sources?.profile], ['env', 'environment']);
    assert.deepEqual([resolveS3Settings({ profile: ' ' }, {}).profile, resolveS3Settings({}, {}).sources?.profile], [undefined, 'default']);
  });

  it('MLFLOW_S3_IGNORE_TLS as MLflow reads it', () => {
    assert.equal(resolveS3Settings({}, { MLFLOW_S3_IGNORE_TLS: 'true' }).ignoreTls, true);
    assert.equal(resolveS3Settings({}, { MLFLOW_S3_IGNORE_TLS: '1' }).ignoreTls, true);
    assert.equal(resolveS3Settings({}, { MLFLOW_S3_IGNORE_TLS: 'no' }).ignoreTls, false);
  });

  it('an unknown site profile value is the default abci3', () => {
    assert.equal(asSiteProfile('abci2'), 'abci2');
    assert.equal(asSiteProfile('generic'), 'generic');
    assert.equal(asSiteProfile('abci4'), 'abci3');
    assert.equal(asSiteProfile(undefined), 'abci3');
  });
});
