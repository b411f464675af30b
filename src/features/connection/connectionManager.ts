// Owns "which MLflow server, with which credentials, and is it answering". Builds the core
// client from settings + SecretStorage (+ environment fallback), probes it, and publishes the
// state. Everything that talks to MLflow gets its client here, so a settings change or a new
// password reaches every feature at once.
import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import * as path from 'path';
import { MlflowClient, describeCapabilities, isMlflowError, needsSignIn, type MlflowError } from '../../core/mlflow';
import type { TrackingBackend } from '../../core/backend/trackingBackend';
import { FileStoreBackend, fileStoreRootFromUri, findMlrunsRoot } from '../../core/fileStore';
import type { BasicOrTokenAuth, ResolvedConnection } from '../../core/connection/resolveConnection';
import { serverKey } from '../../core/connection/resolveConnection';
import type { CredentialStore } from '../../host/credentialStore';
import type { Logger } from '../../host/logger';
import { CONNECTION_STATE_CONTEXT_KEY, type ConnectionState } from './connectionState';

export type ProbeOutcome = { readonly ok: true } | { readonly ok: false; readonly error: MlflowError };

export class ConnectionManager implements vscode.Disposable {
  private current: ConnectionState = { kind: 'unconfigured' };
  private activeClient: MlflowClient | undefined;
  private localStore: FileStoreBackend | undefined;
  private refreshGeneration = 0;
  /** The last "Connected to … MLflow x.y" line logged: repeated refreshes of one server log it once. */
  private lastCapabilitiesLine: string | undefined;
  private latestRefresh: Promise<ConnectionState> | undefined;
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  /** Fires whenever the state (or the client behind it) changes. */
  readonly onDidChangeState = this.changed.event;

  constructor(
    private readonly credentials: CredentialStore,
    private readonly logger: Logger,
    private readonly readSettings: () => ResolvedConnection,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** The client for the configured server, once it has answered (undefined otherwise). */
  get client(): MlflowClient | undefined {
    return this.current.kind === 'connected' ? this.activeClient : undefined;
  }

  /**
   * Where the views read runs and models: the tracking server once it answers, or the local
   * file store. Views never ask which one it is.
   */
  get backend(): TrackingBackend | undefined {
    if (this.current.kind === 'local') return this.localStore;
    return this.client;
  }

  get settings(): ResolvedConnection {
    return this.readSettings();
  }

  /** Stored credentials win over the environment's: the user typed them for this server. */
  async credentialsFor(trackingUri: string): Promise<BasicOrTokenAuth | undefined> {
    const stored = await this.credentials.get(trackingUri);
    if (stored) return stored;
    const settings = this.readSettings();
    const sameServer = settings.trackingUri !== undefined && serverKey(settings.trackingUri) === serverKey(trackingUri);
    return sameServer ? settings.environmentAuth : undefined;
  }

  createClient(trackingUri: string, auth: BasicOrTokenAuth | undefined): MlflowClient {
    const settings = this.readSettings();
    return new MlflowClient({
      trackingUri,
      auth: auth ?? { kind: 'none' },
      tls: { insecure: settings.tls.insecure, caCertPath: settings.tls.caCertPath },
      timeoutMs: settings.timeoutMs,
      onRequest: (entry) => this.logger.request(entry),
    });
  }

  /** Asks the server one cheap question with the given credentials; changes no state. */
  async probe(trackingUri: string, auth: BasicOrTokenAuth | undefined, signal?: AbortSignal): Promise<ProbeOutcome> {
    try {
      await this.createClient(trackingUri, auth).ping({ signal });
      return { ok: true };
    } catch (error) {
      if (isMlflowError(error)) return { ok: false, error };
      throw error;
    }
  }

  /**
   * Re-reads settings and secrets, probes the server and publishes the outcome. Settings and
   * secret changes start refreshes of their own; a refresh overtaken by a newer one resolves
   * to the newer one's state, so no caller ever sees a stale answer.
   */
  refresh(signal?: AbortSignal): Promise<ConnectionState> {
    const generation = ++this.refreshGeneration;
    const run = this.probeAndPublish(generation, signal).then((state) =>
      generation === this.refreshGeneration || !this.latestRefresh ? state : this.latestRefresh,
    );
    this.latestRefresh = run;
    return run;
  }

  private async probeAndPublish(generation: number, signal?: AbortSignal): Promise<ConnectionState> {
    const { trackingUri } = this.readSettings();
    const localRoot = trackingUri ? localStoreRoot(trackingUri) : await detectWorkspaceStore();
    if (localRoot) return this.openLocalStore(generation, localRoot, trackingUri);
    if (!trackingUri) {
      if (generation === this.refreshGeneration) this.publish({ kind: 'unconfigured' }, undefined);
      return { kind: 'unconfigured' };
    }
    if (generation === this.refreshGeneration) this.publish({ kind: 'connecting', trackingUri }, undefined);
    const auth = await this.credentialsFor(trackingUri);
    const client = this.createClient(trackingUri, auth);
    let next: ConnectionState;
    try {
      await client.ping({ signal });
      next = { kind: 'connected', trackingUri, user: auth?.kind === 'basic' ? auth.username : undefined };
      // Asked once per connection (the client keeps the answer for the routes that depend on it)
      // and logged when the server or its version changes, not on every settings refresh, so a
      // support question can start from "which MLflow was that?".
      if (generation === this.refreshGeneration) {
        client.capabilities().then(
          (c) => {
            const line = `Connected to ${trackingUri}: ${describeCapabilities(c)}`;
            if (line !== this.lastCapabilitiesLine) this.logger.info(line);
            this.lastCapabilitiesLine = line;
          },
          () => undefined,
        );
      }
    } catch (error) {
      if (!isMlflowError(error)) throw error;
      this.logger.warn(`Connection check of ${trackingUri} failed: ${error.kind}: ${error.userMessage}`);
      next =
        needsSignIn(error)
          ? { kind: 'signInNeeded', trackingUri, message: error.userMessage }
          : { kind: 'unreachable', trackingUri, message: error.userMessage };
    }
    // A newer refresh (settings changed meanwhile) wins; this one's answer is stale.
    if (generation === this.refreshGeneration) this.publish(next, client);
    return next;
  }

  /** A local `mlruns/` folder: no credentials, no network; readable means "connected". */
  private async openLocalStore(generation: number, root: string, trackingUri: string | undefined): Promise<ConnectionState> {
    const uri = trackingUri ?? root;
    const store = new FileStoreBackend(root);
    let next: ConnectionState;
    try {
      // A missing folder would read as an empty store; say what is wrong instead.
      const stat = await fs.stat(root).catch(() => undefined);
      if (!stat?.isDirectory()) throw new Error(vscode.l10n.t('the folder {0} does not exist.', root));
      await store.searchExperimentsPage({ maxResults: 1 });
      next = { kind: 'local', trackingUri: uri, root };
    } catch (error) {
      const message = isMlflowError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
      this.logger.warn(`The local MLflow store ${root} cannot be read: ${message}`);
      next = { kind: 'unreachable', trackingUri: uri, message };
    }
    if (generation === this.refreshGeneration) {
      this.localStore = next.kind === 'local' ? store : undefined;
      this.publish(next, undefined);
      if (next.kind === 'local') this.logger.info(`Browsing the local MLflow store ${root}.`);
    }
    return next;
  }

  private publish(state: ConnectionState, client: MlflowClient | undefined): void {
    this.current = state;
    this.activeClient = client;
    if (state.kind !== 'local') this.localStore = undefined;
    void vscode.commands.executeCommand('setContext', CONNECTION_STATE_CONTEXT_KEY, state.kind);
    this.changed.fire(state);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A `file:` URI or a path names a local store; relative paths are relative to the first folder. */
function localStoreRoot(trackingUri: string): string | undefined {
  if (/^https?:\/\//i.test(trackingUri.trim())) return undefined;
  const root = fileStoreRootFromUri(trackingUri);
  if (!root || path.isAbsolute(root)) return root;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? path.resolve(folder, root) : undefined;
}

/** With no server configured, an `mlruns/` folder in the workspace is the embedded default. */
async function detectWorkspaceStore(): Promise<string | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const root = await findMlrunsRoot(folder.uri.fsPath);
    if (root) return root;
  }
  return undefined;
}
