// Composition root: builds the services and registers the features. Keep it short; behaviour
// lives in src/features/* and src/host/*.
import * as vscode from 'vscode';
import { affectsConnection, readConnectionSettings } from './host/connectionSettings';
import { configureCoreL10n } from './host/coreL10n';
import { CredentialStore } from './host/credentialStore';
import { Logger } from './host/logger';
import { commandResult, registeredCommandIds } from './host/commands';
import { ConnectCommands } from './features/connection/connectCommands';
import { ConnectionManager } from './features/connection/connectionManager';
import { ConnectionStatusBar } from './features/connection/connectionStatusBar';
import { registerModels, type ModelsFeature } from './features/models/registerModels';
import { registerArtifacts } from './features/artifacts/registerArtifacts';
import { registerNodeRefresh } from './features/tree/nodeRefresh';
import { registerExperimentsExplorer } from './features/explorer/registerExplorer';
import type { ExperimentsTreeProvider } from './features/explorer/experimentsTreeProvider';
import type { ExplorerNode } from './features/tree/explorerNode';
import { artifactRootNode } from './features/artifacts/artifactNodes';
import { RunModelsNode } from './features/models/loggedModelNodes';
import { registerInfoYaml, type InfoYamlFeature } from './features/infoYaml/registerInfoYaml';
import { registerContainer, type ContainerFeature } from './features/container/registerContainer';
import { registerCompare, type CompareFeature } from './features/compare/registerCompare';
import { registerExport } from './features/export/registerExport';
import { registerUpload } from './features/upload/registerUpload';
import { registerCloudStorage, type CloudStorageFeature } from './features/cloudStorage/registerCloudStorage';
import { registerLive, type LiveFeature } from './features/live/registerLive';
import { registerActions, type ActionsFeature } from './features/actions/registerActions';
import { registerJobs, type JobsFeature } from './features/jobs/registerJobs';
import type { ExportCommand } from './features/export/exportCommand';
import type { UploadCommand } from './features/upload/uploadCommand';

/** What `activate` returns: used by the in-host integration tests, not a public API. */
export interface MlwfExtensionApi {
  readonly connection: ConnectionManager;
  readonly commands: ConnectCommands;
  readonly credentials: CredentialStore;
  readonly logUri: vscode.Uri;
  /** Models view and artifact downloads (src/features/models, src/features/artifacts). */
  readonly modelsFeature: ModelsFeature;
  /** Experiments view (src/features/explorer). */
  readonly experiments: ExperimentsTreeProvider;
  readonly experimentsView: vscode.TreeView<ExplorerNode>;
  /** How long `activate` took (ms): activation must stay cheap, since it runs in every window. */
  readonly activationMs: number;
  /** info.yaml diagnostics, quick fixes and form editor (src/features/infoYaml). */
  readonly infoYaml: InfoYamlFeature;
  /** Container recipe, build, serve and sample request (src/features/container). */
  readonly container: ContainerFeature;
  /** Compare panels (src/features/compare). */
  readonly compare: CompareFeature;
  /** "Export Model Version…" (src/features/export). */
  readonly exportCommand: ExportCommand;
  readonly uploadCommand: UploadCommand;
  /** Cloud Storage view (src/features/cloudStorage). */
  readonly cloudStorage: CloudStorageFeature;
  /** Live updates of running runs (src/features/live). */
  readonly live: LiveFeature;
  /** Write actions: aliases, tags, notes, register… (src/features/actions). */
  readonly actions: ActionsFeature;
  /** Jobs view and "Run on a Compute Node…" (src/features/jobs). */
  readonly jobs: JobsFeature;
  /** A command's full result, which executeCommand keeps from the workbench (src/host/commands.ts). */
  commandResult<T = unknown>(id: string, ...args: unknown[]): Promise<T>;
  /** The commands registered through src/host/commands.ts. */
  registeredCommands(): string[];
}

export function activate(context: vscode.ExtensionContext): MlwfExtensionApi {
  const started = performance.now();
  configureCoreL10n();
  const logger = new Logger();
  const credentials = new CredentialStore(context.secrets);
  const connection = new ConnectionManager(credentials, logger, () => readConnectionSettings());
  const commands = new ConnectCommands(connection, credentials, logger);
  const models = registerModels(connection);
  const exporter = registerExport(connection, logger, context.secrets);
  const uploader = registerUpload(logger, context.secrets);
  const cloudStorage = registerCloudStorage(logger, context.secrets);
  const explorer = registerExperimentsExplorer({
    getBackend: () => connection.backend,
    getScope: () => (connection.state.kind === 'unconfigured' ? '' : connection.state.trackingUri),
    getUiBase: () => vscode.workspace.getConfiguration('mlwf').get<string>('uiUrl', '').trim() || connection.client?.trackingUri,
    onDidChangeBackend: connection.onDidChangeState,
    memento: context.workspaceState,
    // The models the run logged (models feature) and the artifacts feature's lazy folder tree.
    runChildren: (run, parent, backend) => [new RunModelsNode(parent, backend, run), artifactRootNode(parent, backend, run.info.run_id)],
  });
  const compare = registerCompare({
    extensionUri: context.extensionUri,
    logger,
    explorer: explorer.provider,
    treeView: explorer.treeView,
    getBackend: () => connection.backend,
    getScope: () => (connection.state.kind === 'unconfigured' ? '' : connection.state.trackingUri),
    onDidChangeBackend: connection.onDidChangeState,
  });
  const live = registerLive({
    logger,
    explorer: explorer.provider,
    treeView: explorer.treeView,
    compare: compare.feature,
    memento: context.workspaceState,
    getBackend: () => connection.backend,
    getScope: () => (connection.state.kind === 'unconfigured' ? '' : connection.state.trackingUri),
    onDidChangeBackend: connection.onDidChangeState,
  });

  const actions = registerActions({
    connection,
    logger,
    experiments: explorer.provider,
    experimentsView: explorer.treeView,
    models: models.feature.models,
    modelsView: models.feature.modelsView,
    comparePanels: () => compare.feature.panels,
  });

  const infoYaml = registerInfoYaml(context, logger);
  // The container's plain Grid Engine jobs go through the Jobs feature (registered next).
  const container = registerContainer(context, logger, () => jobs.feature);
  const jobs = registerJobs(context, { connection, logger, compare: (runs) => compare.feature.open(runs) });

  context.subscriptions.push(
    logger,
    ...infoYaml.disposables,
    connection,
    new ConnectionStatusBar(connection),
    ...commands.register(),
    ...registerNodeRefresh(),
    ...registerArtifacts(connection, logger),
    ...models.disposables,
    ...explorer.disposables,
    ...container.disposables,
    ...compare.disposables,
    ...live.disposables,
    ...exporter.disposables,
    ...uploader.disposables,
    ...cloudStorage.disposables,
    ...actions.disposables,
    ...jobs.disposables,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) void connection.refresh();
    }),
    context.secrets.onDidChange(() => void connection.refresh()),
    // A folder with mlruns/ opened or closed may change the local store in use.
    vscode.workspace.onDidChangeWorkspaceFolders(() => void connection.refresh()),
  );

  const activationMs = performance.now() - started;
  logger.info(
    `MLWF ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, remote: ${vscode.env.remoteName ?? 'none'}).`,
  );
  // Probe in the background: activation must not wait for the network.
  void connection.refresh();
  return {
    connection,
    commands,
    credentials,
    logUri: context.logUri,
    modelsFeature: models.feature,
    experiments: explorer.provider,
    experimentsView: explorer.treeView,
    infoYaml: infoYaml.feature,
    container: container.feature,
    compare: compare.feature,
    exportCommand: exporter.command,
    uploadCommand: uploader.command,
    cloudStorage: cloudStorage.feature,
    live: live.feature,
    actions: actions.feature,
    jobs: jobs.feature,
    activationMs,
    commandResult,
    registeredCommands: registeredCommandIds,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
