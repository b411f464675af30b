// Cloud Storage keys typed into the editor (for users without ~/.aws on the login node) live only
// in SecretStorage, keyed by endpoint. The AWS chain (environment, profiles) is used when none
// are stored; the upload feature reads the same store.
import type * as vscode from 'vscode';
import type { ResolvedS3Settings, StaticS3Credentials } from '../core/s3/s3Settings';

const KEY_PREFIX = 'mlwf.s3.credentials:';

const keyFor = (endpoint: string | undefined) => KEY_PREFIX + (endpoint ?? 'aws').trim().replace(/\/+$/, '').toLowerCase();

export class S3CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(endpoint: string | undefined): Promise<StaticS3Credentials | undefined> {
    const raw = await this.secrets.get(keyFor(endpoint));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as Record<string, unknown>;
      return typeof v.accessKeyId === 'string' && typeof v.secretAccessKey === 'string' ? { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey } : undefined;
    } catch {
      return undefined; // a damaged entry is treated as absent
    }
  }

  /**
   * The stored keys for these settings' endpoint, unless the user chose an AWS profile in
   * `mlwf.s3.profile` (the profile picker): then that profile's keys are meant, not these.
   */
  async forSettings(settings: ResolvedS3Settings): Promise<StaticS3Credentials | undefined> {
    if (settings.sources?.profile === 'setting') return undefined;
    return this.get(settings.endpoint);
  }

  async set(endpoint: string | undefined, keys: StaticS3Credentials): Promise<void> {
    await this.secrets.store(keyFor(endpoint), JSON.stringify({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }));
  }

  async delete(endpoint: string | undefined): Promise<void> {
    await this.secrets.delete(keyFor(endpoint));
  }
}
