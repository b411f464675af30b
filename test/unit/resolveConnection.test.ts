import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConnection, serverKey } from '../../src/core/connection/resolveConnection';

const noSettings = { trackingUri: '', tlsInsecure: false, tlsCaCertPath: '', requestTimeoutSeconds: 30 };

describe('resolveConnection', () => {
  it('is unconfigured with neither setting nor environment', () => {
    const r = resolveConnection(noSettings, {});
    assert.equal(r.trackingUri, undefined);
    assert.equal(r.source, 'none');
    assert.equal(r.environmentAuth, undefined);
  });

  it('falls back to MLFLOW_TRACKING_* of the environment', () => {
    const r = resolveConnection(noSettings, {
      MLFLOW_TRACKING_URI: 'http://10.0.0.5:5000/mlflow/',
      MLFLOW_TRACKING_USERNAME: 'alice',
      MLFLOW_TRACKING_PASSWORD: 's3cret',
      MLFLOW_TRACKING_INSECURE_TLS: 'true',
      MLFLOW_TRACKING_SERVER_CERT_PATH: '/etc/ssl/group-ca.pem',
    });
    assert.equal(r.trackingUri, 'http://10.0.0.5:5000/mlflow/');
    assert.equal(r.source, 'environment');
    assert.deepEqual(r.environmentAuth, { kind: 'basic', username: 'alice', password: 's3cret' });
    assert.deepEqual(r.tls, { insecure: true, caCertPath: '/etc/ssl/group-ca.pem' });
  });

  it('prefers the setting, and keeps env credentials for the env server only', () => {
    const env = { MLFLOW_TRACKING_URI: 'http://a:5000/mlflow', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' };
    const other = resolveConnection({ ...noSettings, trackingUri: 'http://b:5000/mlflow/' }, env);
    assert.equal(other.trackingUri, 'http://b:5000/mlflow/');
    assert.equal(other.source, 'settings');
    assert.equal(other.environmentAuth, undefined, 'a password for server a must never go to server b');
    const same = resolveConnection({ ...noSettings, trackingUri: 'http://A:5000/mlflow/' }, env);
    assert.deepEqual(same.environmentAuth, { kind: 'basic', username: 'u', password: 'p' });
  });

  it('uses env credentials for any server when MLFLOW_TRACKING_URI is unset', () => {
    const r = resolveConnection({ ...noSettings, trackingUri: 'http://b/mlflow' }, { MLFLOW_TRACKING_TOKEN: 't0k' });
    assert.deepEqual(r.environmentAuth, { kind: 'bearer', token: 't0k' });
  });

  it('turns the timeout into milliseconds and ignores a zero', () => {
    assert.equal(resolveConnection({ ...noSettings, requestTimeoutSeconds: 5 }, {}).timeoutMs, 5000);
    assert.equal(resolveConnection({ ...noSettings, requestTimeoutSeconds: 0 }, {}).timeoutMs, 30000);
  });
});

describe('serverKey', () => {
  it('ignores a trailing slash and host case, keeps the prefix and port', () => {
    assert.equal(serverKey('http://Host:5000/mlflow/'), serverKey('http://host:5000/mlflow'));
    assert.notEqual(serverKey('http://host:5000/mlflow'), serverKey('http://host:5001/mlflow'));
    assert.notEqual(serverKey('http://host:5000/mlflow'), serverKey('http://host:5000/other'));
  });
});
