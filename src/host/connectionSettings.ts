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

/**
 * Remembers the server the user connected to where it takes effect: in the workspace's settings
 * when they already name a server (they would hide a value written to user settings), else in
 * user settings. `mlwf.trackingUri` is window-scoped, so over Remote-SSH VS Code applies User, then Remote, then Workspace settings: all of them
 * reach every reader through `getConfiguration`.
 */
export async function saveTrackingUri(trackingUri: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<string>('trackingUri');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('trackingUri', trackingUri, target);
  // Remote settings (Remote-SSH's "Remote [SSH: host]" tab) sit between User and Workspace and
  // cannot be targeted from an extension: when one names another server, say where to change it.
  const effective = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trackingUri', '');
  if (effective !== trackingUri) {
    const open = vscode.l10n.t('Open Remote Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Your Remote settings set mlwf.trackingUri to {0}, which wins over {1}: change or remove it there.', effective, trackingUri), open)
      .then((picked) => (picked === open ? vscode.commands.executeCommand('workbench.action.openRemoteSettings', 'mlwf.trackingUri') : undefined));
  }
}

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return ['trackingUri', 'tls', 'requestTimeoutSeconds'].some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
