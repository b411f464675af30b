// Credentials live only in SecretStorage (the OS keychain on desktop, the remote's secret store
// over Remote-SSH), keyed by server so two group servers keep separate passwords. They are never
// written to settings, logs, webviews or terminals.
import type * as vscode from 'vscode';
import { serverKey, type BasicOrTokenAuth } from '../core/connection/resolveConnection';

const KEY_PREFIX = 'mlwf.credentials:';

export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(trackingUri: string): Promise<BasicOrTokenAuth | undefined> {
    const raw = await this.secrets.get(KEY_PREFIX + serverKey(trackingUri));
    if (!raw) return undefined;
    try {
      const value: unknown = JSON.parse(raw);
      return isStoredAuth(value) ? value : undefined;
    } catch {
      return undefined; // a damaged entry is treated as absent: the user is asked again
    }
  }

  async set(trackingUri: string, auth: BasicOrTokenAuth): Promise<void> {
    await this.secrets.store(KEY_PREFIX + serverKey(trackingUri), JSON.stringify(auth));
  }

  async delete(trackingUri: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + serverKey(trackingUri));
  }
}

function isStoredAuth(value: unknown): value is BasicOrTokenAuth {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'basic') return typeof v.username === 'string' && typeof v.password === 'string';
  if (v.kind === 'bearer') return typeof v.token === 'string';
  return false;
}
