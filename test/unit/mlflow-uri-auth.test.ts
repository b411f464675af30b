import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authFromCredentials,
  authorizationHeader,
  connectionFromEnv,
  describeAuth,
  describeServer,
  joinTrackingUri,
  normalizeTrackingUri,
  validateTrackingUri,
} from '../../src/core/mlflow';
import { buildUrl } from '../../src/core/mlflow/http';
import { trackingUriProblem } from '../../src/core/mlflow';

describe('joinTrackingUri', () => {
  const api = '/api/2.0/mlflow/experiments/get';
  it('keeps the path prefix with or without a trailing slash', () => {
    assert.equal(joinTrackingUri('http://h:8080/mlflow/', api), 'http://h:8080/mlflow/api/2.0/mlflow/experiments/get');
    assert.equal(joinTrackingUri('http://h:8080/mlflow', api), 'http://h:8080/mlflow/api/2.0/mlflow/experiments/get');
  });
  it('never produces a double slash (the recorded double_slash_join request)', () => {
    for (const base of ['http://h:8080/mlflow//', 'http://h:8080/mlflow/', 'http://h:8080/mlflow']) {
      for (const path of ['api/2.0/mlflow/x', '/api/2.0/mlflow/x', '//api/2.0/mlflow/x']) {
        const joined = joinTrackingUri(base, path);
        assert.equal(joined, 'http://h:8080/mlflow/api/2.0/mlflow/x');
        assert.ok(!joined.slice('http://'.length).includes('//'));
      }
    }
  });
  it('works without a prefix and for the ajax-api route', () => {
    assert.equal(joinTrackingUri('http://h:5000', 'api/2.0/mlflow/runs/get'), 'http://h:5000/api/2.0/mlflow/runs/get');
    assert.equal(
      joinTrackingUri('https://h/mlflow/', 'ajax-api/2.0/mlflow/metrics/get-history-bulk-interval'),
      'https://h/mlflow/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval',
    );
  });
  it('buildUrl repeats list parameters and drops undefined ones', () => {
    const url = buildUrl('http://h/mlflow/', 'ajax-api/2.0/mlflow/metrics/get-history-bulk-interval', {
      run_ids: ['a', 'b'],
      metric_key: 'loss',
      start_step: undefined,
      max_results: 10,
    });
    assert.equal(url, 'http://h/mlflow/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=a&run_ids=b&metric_key=loss&max_results=10');
  });
});

describe('describeServer / validateTrackingUri', () => {
  it('describes as host:port/prefix without credentials or trailing slash', () => {
    assert.equal(describeServer('http://127.0.0.1:8080/mlflow/'), '127.0.0.1:8080/mlflow');
    assert.equal(describeServer('https://mlflow.example.org/'), 'mlflow.example.org');
    assert.equal(describeServer('http://alice:secret@h:1/x'), 'h:1/x');
  });
  it('accepts http and https URLs, with or without the trailing slash', () => {
    assert.equal(validateTrackingUri('http://h:5000/mlflow/'), undefined);
    assert.equal(validateTrackingUri(' https://h/mlflow '), undefined);
    assert.equal(normalizeTrackingUri('http://H:5000/mlflow'), 'http://h:5000/mlflow/');
    assert.equal(normalizeTrackingUri('http://h:5000'), 'http://h:5000/');
  });
  it('explains what is wrong otherwise', () => {
    assert.match(validateTrackingUri('') ?? '', /Enter the MLflow tracking URL/);
    assert.match(validateTrackingUri('h:5000/mlflow') ?? '', /must start with http:\/\/ or https:\/\//);
    assert.match(validateTrackingUri('file:///home/a/mlruns') ?? '', /local path/);
    assert.match(validateTrackingUri('./mlruns') ?? '', /local path/);
    assert.match(validateTrackingUri('ftp://h/') ?? '', /Only http:\/\/ and https:\/\//);
    assert.match(validateTrackingUri('databricks://profile') ?? '', /Only http:\/\/ and https:\/\//);
    assert.match(validateTrackingUri('http://alice:pw@h/mlflow/') ?? '', /Remove the user name and password/);
    assert.match(validateTrackingUri('http://h/mlflow/?x=1') ?? '', /must not contain/);
    assert.match(validateTrackingUri('http://') ?? '', /not a valid URL/);
  });
});

describe('auth', () => {
  it('uses Basic when user name and password are both set, as the Python client', () => {
    const auth = authFromCredentials({ username: 'alice', password: 'pw', token: 'tok' });
    assert.deepEqual(auth, { kind: 'basic', username: 'alice', password: 'pw' });
    assert.equal(authorizationHeader(auth), `Basic ${Buffer.from('alice:pw').toString('base64')}`);
  });
  it('falls back to Bearer when the password is missing, and to none without a token', () => {
    assert.equal(authorizationHeader(authFromCredentials({ username: 'alice', token: 'tok' })), 'Bearer tok');
    assert.deepEqual(authFromCredentials({ username: 'alice' }), { kind: 'none' });
    assert.equal(authorizationHeader({ kind: 'none' }), undefined);
  });
  it('encodes non-ASCII passwords as UTF-8', () => {
    const header = authorizationHeader({ kind: 'basic', username: 'ユーザー', password: 'パス' }) ?? '';
    assert.equal(Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8'), 'ユーザー:パス');
  });
  it('describeAuth never contains the secret', () => {
    assert.equal(describeAuth({ kind: 'basic', username: 'alice', password: 's3cret' }).includes('s3cret'), false);
    assert.equal(describeAuth({ kind: 'bearer', token: 't0ken' }).includes('t0ken'), false);
  });
  it('reads the MLflow environment variables', () => {
    const settings = connectionFromEnv({
      MLFLOW_TRACKING_URI: 'http://h:8080/mlflow/',
      MLFLOW_TRACKING_USERNAME: 'alice',
      MLFLOW_TRACKING_PASSWORD: 'pw',
      MLFLOW_TRACKING_TOKEN: 'ignored-because-basic-wins',
      MLFLOW_TRACKING_INSECURE_TLS: 'True',
      MLFLOW_TRACKING_SERVER_CERT_PATH: 'certs/ca.pem',
    });
    assert.deepEqual(settings, {
      trackingUri: 'http://h:8080/mlflow/',
      auth: { kind: 'basic', username: 'alice', password: 'pw' },
      tls: { insecure: true, caCertPath: 'certs/ca.pem' },
    });
    const tokenOnly = connectionFromEnv({ MLFLOW_TRACKING_TOKEN: 'tok', MLFLOW_TRACKING_INSECURE_TLS: 'false' });
    assert.deepEqual(tokenOnly, { trackingUri: undefined, auth: { kind: 'bearer', token: 'tok' }, tls: {} });
    assert.deepEqual(connectionFromEnv({}).auth, { kind: 'none' });
  });
});

describe('trackingUriProblem (what the UI localises)', () => {
  it('names each problem by kind, and nothing for a good URL', () => {
    assert.equal(trackingUriProblem('http://h:5000/mlflow/'), undefined);
    assert.deepEqual(trackingUriProblem('  '), { kind: 'empty' });
    assert.deepEqual(trackingUriProblem('~/mlruns'), { kind: 'localPath' });
    assert.deepEqual(trackingUriProblem('h:5000'), { kind: 'noScheme' });
    assert.deepEqual(trackingUriProblem('s3://bucket/x'), { kind: 'unsupportedScheme', scheme: 's3:' });
    assert.deepEqual(trackingUriProblem('http://u:p@h/mlflow'), { kind: 'credentialsInUrl' });
    assert.deepEqual(trackingUriProblem('http://h/mlflow?x=1'), { kind: 'queryOrFragment' });
  });
});
