// Which files are ABCI Datasets info.yaml files: those the export writes
// (MLWFExportModel_*/info.yaml) and any glob the user adds in `mlwf.infoYaml.filePatterns`.
import * as vscode from 'vscode';

export const EXPORT_INFO_YAML_GLOB = '**/MLWFExportModel_*/info.yaml';

export function infoYamlGlobs(): string[] {
  const extra = vscode.workspace.getConfiguration('mlwf').get<string[]>('infoYaml.filePatterns', []);
  return [EXPORT_INFO_YAML_GLOB, ...(Array.isArray(extra) ? extra.filter((p) => typeof p === 'string' && p.trim()) : [])];
}

export function isInfoYamlDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'vscode-remote' && document.uri.scheme !== 'untitled') return false;
  return infoYamlGlobs().some((pattern) => vscode.languages.match({ pattern }, document) > 0);
}
