// The export's settings (`mlwf.export.*`) and Cloud Storage settings (`mlwf.s3.*`, shared with
// the upload feature), read fresh for every export so a change applies at once.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { S3Route } from '../../core/export';
import { asSiteProfile, resolveS3Settings, type AddressingStyle, type ResolvedS3Settings } from '../../core/s3/s3Settings';

export interface ExportSettings {
  /** `mlwf.export.directory`; empty = the first workspace folder. */
  directory: string;
  concurrency: number;
  /** `mlwf.export.responseTimeoutSeconds`: how long the server may take to start sending a file. */
  responseTimeoutSeconds: number;
  compressionLevel: number;
  creator: string;
  s3Route: S3Route;
  s3: ResolvedS3Settings;
}

export const RESPONSE_TIMEOUT_SETTING = 'mlwf.export.responseTimeoutSeconds';

export function readExportSettings(): ExportSettings {
  const config = vscode.workspace.getConfiguration('mlwf');
  return {
    directory: config.get<string>('export.directory', '').trim(),
    concurrency: config.get<number>('export.concurrency', 4),
    responseTimeoutSeconds: Math.max(10, config.get<number>('export.responseTimeoutSeconds', 300) || 300),
    compressionLevel: config.get<number>('export.compressionLevel', 6),
    creator: config.get<string>('export.creator', '').trim(),
    s3Route: config.get<S3Route>('export.s3Route', 'auto'),
    s3: resolveS3Settings(
      {
        // The site profile supplies the endpoint and region when neither setting nor environment does.
        siteProfile: asSiteProfile(config.get<string>('siteProfile', 'abci3')),
        endpoint: config.get<string>('s3.endpoint', ''),
        region: config.get<string>('s3.region', ''),
        addressingStyle: config.get<AddressingStyle>('s3.addressingStyle', 'auto'),
        profile: config.get<string>('s3.profile', ''),
      },
      process.env,
    ),
  };
}

/** Where MLWFExportModel_* goes: the setting (relative to the first folder), else the first folder. */
export function exportDirectory(settings: ExportSettings): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote')?.uri.fsPath;
  if (!settings.directory) return folder;
  if (path.isAbsolute(settings.directory)) return settings.directory;
  return folder ? path.resolve(folder, settings.directory) : undefined;
}
