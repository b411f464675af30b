// Reads the `mlwf.*` connection settings and resolves them against the extension host's
// environment (see core/connection/resolveConnection for the rules).
import * as vscode from 'vscode';
import { resolveConnection, type ResolvedConnection } from '../core/connection/resolveConnection';

export const SETTINGS_SECTION = 'mlwf';

export function readConnectionSettings(env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return resolveConnection(
    {
      trackingUri: config.get<string>('trackingUri', ''),
      tlsInsecure: config.get<boolean>('tls.insecure', false),
      tlsCaCertPath: config.get<string>('tls.caCertPath', ''),
      requestTimeoutSeconds: config.get<number>('requestTimeoutSeconds', 30),
    },
    env,
  );
}

/** Remembers the server the user connected to, in user (or remote machine) settings. */
export async function saveTrackingUri(trackingUri: string): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('trackingUri', trackingUri, vscode.ConfigurationTarget.Global);
}

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return ['trackingUri', 'tls', 'requestTimeoutSeconds'].some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
