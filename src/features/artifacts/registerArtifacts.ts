// Wires the artifact rows' file system (mlwf-artifact:) and commands into VS Code, for every tree
// that shows artifacts (runs in Experiments, versions and logged models in Models).
import type * as vscode from 'vscode';
import type { Logger } from '../../host/logger';
import type { ConnectionManager } from '../connection/connectionManager';
import { ArtifactFileSystemProvider } from './artifactFileSystem';
import { registerArtifactCommands } from './artifactCommands';

export function registerArtifacts(connection: ConnectionManager, logger: Logger): vscode.Disposable[] {
  return [ArtifactFileSystemProvider.register(() => connection.backend), ...registerArtifactCommands(logger)];
}
