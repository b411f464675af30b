// MLWF: Connect to MLflow Server… / Sign In… / Forget Credentials / Test Connection.
// The flow asks for as little as possible: the URL, then credentials only when the server
// (its proxy) answers 401/403. Nothing is saved until the server has accepted it, and a password
// goes to SecretStorage only.
import * as vscode from 'vscode';
import { describeServer, needsSignIn, type MlflowError } from '../../core/mlflow';
import type { BasicOrTokenAuth } from '../../core/connection/resolveConnection';
import { abortSignalFor } from '../../host/abortSignal';
import { saveTrackingUri } from '../../host/connectionSettings';
import type { CredentialStore } from '../../host/credentialStore';
import type { Logger } from '../../host/logger';
import { localizedTrackingUriProblem, showConnectionError } from './connectionErrors';
import type { ConnectionManager, ProbeOutcome } from './connectionManager';
import type { ConnectionState } from './connectionState';
import { registerCommand } from '../../host/commands';

export class ConnectCommands {
  constructor(
    private readonly manager: ConnectionManager,
    private readonly credentials: CredentialStore,
    private readonly logger: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [
      registerCommand('mlwf.connect', (args?: unknown) => this.connect(trackingUriArgument(args))),
      // No arguments from the palette, a welcome button or the status bar: the configured server.
      registerCommand('mlwf.signIn', () => this.signIn()),
      registerCommand('mlwf.openLocalStore', (folder?: unknown) => this.openLocalStore(folder instanceof vscode.Uri ? folder : undefined)),
      registerCommand('mlwf.forgetCredentials', () => this.forgetCredentials()),
      registerCommand('mlwf.testConnection', () => this.testConnection()),
      registerCommand('mlwf.showLog', () => this.logger.show()),
    ];
  }

  /** Returns the state kind it ended in, which tests and callers can check. */
  async connect(presetUri?: string): Promise<string | undefined> {
    const entered = presetUri ?? await vscode.window.showInputBox({
      title: vscode.l10n.t('Connect to MLflow Server'),
      prompt: vscode.l10n.t('Tracking server URL, for example http://HOST:PORT/mlflow/'),
      value: this.manager.settings.trackingUri ?? 'http://',
      ignoreFocusOut: true,
      validateInput: (value) => (isLocalStoreUri(value) ? undefined : localizedTrackingUriProblem(value)),
    });
    if (entered === undefined) return undefined;
    const trackingUri = entered.trim();
    if (isLocalStoreUri(trackingUri)) return this.useLocalStore(trackingUri);
    const invalid = localizedTrackingUriProblem(trackingUri);
    if (invalid) {
      void vscode.window.showErrorMessage(invalid);
      return 'invalidUrl';
    }
    const auth = await this.manager.credentialsFor(trackingUri);
    const outcome = await this.probeWithProgress(trackingUri, auth);
    if (outcome === 'cancelled') return undefined;
    if (outcome.ok) {
      await saveTrackingUri(trackingUri);
      const state = await this.manager.refresh();
      void vscode.window.showInformationMessage(vscode.l10n.t('Connected to {0}.', describeServer(trackingUri)));
      return state.kind;
    }
    if (needsSignIn(outcome.error)) {
      // The server is right, only the credentials are missing: remember it and ask for them.
      await saveTrackingUri(trackingUri);
      await this.manager.refresh();
      return this.signIn(trackingUri);
    }
    return this.handleFailure(trackingUri, outcome.error);
  }

  /** MLWF: Open Local mlruns Folder…: MLflow's file store, no server needed. */
  async openLocalStore(folder?: vscode.Uri): Promise<string | undefined> {
    const picked =
      folder ??
      (
        await vscode.window.showOpenDialog({
          title: vscode.l10n.t('Open a Local MLflow Store'),
          openLabel: vscode.l10n.t('Open mlruns Folder'),
          canSelectFolders: true,
          canSelectFiles: false,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        })
      )?.[0];
    if (!picked) return undefined;
    return this.useLocalStore(picked.toString());
  }

  private async useLocalStore(uri: string): Promise<string> {
    await saveTrackingUri(uri);
    const state = await this.manager.refresh();
    if (state.kind === 'local') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Browsing the local MLflow store {0}.', state.root));
    } else if (state.kind === 'unreachable') {
      void vscode.window.showErrorMessage(vscode.l10n.t('This folder is not a readable MLflow store: {0}', state.message));
    }
    return state.kind;
  }

  /**
   * Asks for credentials of the server the window uses (whichever settings scope or environment
   * names it). `knownUsername` (Re-enter Password) skips the user-name box: only the password
   * was wrong.
   */
  async signIn(trackingUri = this.manager.settings.trackingUri, knownUsername?: string): Promise<string | undefined> {
    if (!trackingUri) return this.connect();
    const server = describeServer(trackingUri);
    const previous = await this.manager.credentialsFor(trackingUri);
    const username =
      knownUsername ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Sign in to {0}', server),
        prompt: vscode.l10n.t('User name (leave empty to use an access token instead)'),
        value: previous?.kind === 'basic' ? previous.username : (process.env.MLFLOW_TRACKING_USERNAME ?? ''),
        ignoreFocusOut: true,
      }));
    if (username === undefined) return undefined;
    const secret = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to {0}', server),
      prompt: username ? vscode.l10n.t('Password for {0}', username) : vscode.l10n.t('Access token'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value ? undefined : vscode.l10n.t('Enter a value, or press Escape to cancel.')),
    });
    if (secret === undefined) return undefined;
    const auth: BasicOrTokenAuth = username ? { kind: 'basic', username, password: secret } : { kind: 'bearer', token: secret };

    const outcome = await this.probeWithProgress(trackingUri, auth);
    if (outcome === 'cancelled') return undefined;
    if (!outcome.ok) {
      if (needsSignIn(outcome.error)) {
        this.logger.warn(`Sign-in to ${trackingUri} was refused (${outcome.error.status ?? outcome.error.kind}).`);
        const reenter = vscode.l10n.t('Re-enter Password');
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window
          .showErrorMessage(vscode.l10n.t('{0} did not accept the user name or password. Nothing was saved.', server), reenter, showLog)
          .then((picked) => {
            if (picked === reenter) void this.signIn(trackingUri, username);
            else if (picked === showLog) this.logger.show();
          });
        return 'signInRefused';
      }
      return this.handleFailure(trackingUri, outcome.error);
    }
    await this.credentials.set(trackingUri, auth);
    this.logger.info(`Signed in to ${trackingUri}${username ? ` as ${username}` : ' with a token'}; credentials kept in secret storage.`);
    const state = await this.manager.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to {0}.', server));
    return state.kind;
  }

  async forgetCredentials(): Promise<void> {
    const trackingUri = this.manager.settings.trackingUri;
    if (!trackingUri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No MLflow server is configured.'));
      return;
    }
    await this.credentials.delete(trackingUri);
    this.logger.info(`Forgot the stored credentials of ${trackingUri}.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Forgot the credentials stored for {0}.', describeServer(trackingUri)));
    await this.manager.refresh();
  }

  /**
   * Checks the configured server (or local store) again and says what it found: a success is a
   * message too, not only a flash in the status bar. The command settles at once; a button the
   * user picks later runs on its own.
   */
  async testConnection(): Promise<string> {
    const state = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the MLflow server…'), cancellable: true },
      async (_progress, token) => {
        const abort = abortSignalFor(token);
        try {
          return await this.manager.refresh(abort.signal);
        } finally {
          abort.dispose();
        }
      },
    );
    this.reportState(state);
    return state.kind;
  }

  private reportState(state: ConnectionState): void {
    const connect = vscode.l10n.t('Connect to MLflow Server…');
    switch (state.kind) {
      case 'connected': {
        const server = describeServer(state.trackingUri);
        void vscode.window.showInformationMessage(
          state.user ? vscode.l10n.t('{0} answers: connected as {1}.', server, state.user) : vscode.l10n.t('{0} answers: connected.', server),
        );
        return;
      }
      case 'local':
        void vscode.window.showInformationMessage(vscode.l10n.t('The local MLflow store {0} can be read.', state.root));
        return;
      case 'signInNeeded': {
        const signIn = vscode.l10n.t('Sign In…');
        void vscode.window
          .showWarningMessage(vscode.l10n.t('{0} answers, but asks for a user name and password.', describeServer(state.trackingUri)), signIn)
          .then((picked) => (picked === signIn ? this.signIn(state.trackingUri) : undefined));
        return;
      }
      case 'unreachable': {
        const retry = vscode.l10n.t('Retry');
        const change = vscode.l10n.t('Change Server…');
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window
          .showErrorMessage(vscode.l10n.t('Could not connect to {0}: {1}', describeServer(state.trackingUri), state.message), retry, change, showLog)
          .then((picked) => {
            if (picked === retry) return this.testConnection();
            if (picked === change) return this.connect();
            if (picked === showLog) this.logger.show();
            return undefined;
          });
        return;
      }
      case 'unconfigured':
        void vscode.window
          .showInformationMessage(vscode.l10n.t('No MLflow server is configured.'), connect)
          .then((picked) => (picked === connect ? this.connect() : undefined));
        return;
      case 'connecting':
        return; // overtaken by a newer refresh, which reports through the status bar
    }
  }

  private async probeWithProgress(trackingUri: string, auth: BasicOrTokenAuth | undefined): Promise<ProbeOutcome | 'cancelled'> {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', describeServer(trackingUri)), cancellable: true },
      async (_progress, token) => {
        const abort = abortSignalFor(token);
        try {
          return await this.manager.probe(trackingUri, auth, abort.signal);
        } finally {
          abort.dispose();
        }
      },
    );
    return !outcome.ok && outcome.error.kind === 'cancelled' ? 'cancelled' : outcome;
  }

  /**
   * Reports the failure without waiting for the user: the command's promise settles at once
   * (callers and tests must not hang on a notification), and the picked action runs later.
   */
  private handleFailure(trackingUri: string, error: MlflowError): string {
    this.logger.error(`Connecting to ${trackingUri} failed: ${error.kind}: ${error.userMessage}`);
    void showConnectionError(describeServer(trackingUri), error).then((action) => {
      if (action === 'retry') return this.testConnectionOf(trackingUri);
      if (action === 'editUrl') return this.connect();
      if (action === 'signIn') return this.signIn(trackingUri);
      if (action === 'showLog') this.logger.show();
      return undefined;
    });
    return 'failed';
  }

  private async testConnectionOf(trackingUri: string): Promise<string | undefined> {
    const auth = await this.manager.credentialsFor(trackingUri);
    const outcome = await this.probeWithProgress(trackingUri, auth);
    if (outcome === 'cancelled') return undefined;
    if (!outcome.ok) return this.handleFailure(trackingUri, outcome.error);
    await saveTrackingUri(trackingUri);
    return (await this.manager.refresh()).kind;
  }
}

/** `file:` URIs and absolute paths name a local `mlruns/` store rather than a server. */
function isLocalStoreUri(value: string): boolean {
  const text = value.trim();
  return /^file:/i.test(text) || text.startsWith('/');
}

/** `mlwf.connect` accepts a URL (string or `{ trackingUri }`) from links, walkthroughs and tests. */
function trackingUriArgument(args: unknown): string | undefined {
  if (typeof args === 'string') return args;
  if (typeof args === 'object' && args !== null && typeof (args as { trackingUri?: unknown }).trackingUri === 'string') {
    return (args as { trackingUri: string }).trackingUri;
  }
  return undefined;
}
