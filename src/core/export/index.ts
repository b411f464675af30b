/** Public API of the export pipeline (plain Node: never imports 'vscode'). */
export { exportModelVersion, type ExportRequest, type ExportResult } from './exportModelVersion';
export { ExportError, isExportError, type ExportErrorKind } from './exportErrors';
export { type ExportProgress, type ExportPhase, formatDuration } from './exportProgress';
export { formatBytes } from '../formatBytes';
export { exportFolderName, EXPORT_FOLDER_PREFIX } from './exportFolder';
export { INFO_YAML_PLACEHOLDER, isPlaceholder, findPlaceholders, renderInfoYaml } from './infoYaml';
export type { S3Route } from './resolveModelSource';
export type { SourceRoute } from './fileSource';
