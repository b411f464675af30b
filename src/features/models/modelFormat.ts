// How registered models and versions read in the tree: short descriptions for the row, Markdown
// tooltips for the details. Names, descriptions and sources are user-controlled server text, so
// every piece goes through escapeMarkdown and the tooltips never enable HTML or command links.
import * as vscode from 'vscode';
import type { ModelVersion, RegisteredModel } from '../../core/mlflow';

/** Escapes Markdown syntax and HTML so server text is shown as the characters it is. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** "5 min ago", "3 h ago", "2 d ago", else the local date. */
export function formatAge(timestamp: number | undefined, now = Date.now()): string {
  if (timestamp === undefined) return '';
  const minutes = Math.round((now - timestamp) / 60_000);
  if (minutes < 1) return vscode.l10n.t('just now');
  if (minutes < 60) return vscode.l10n.t('{0} min ago', minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 24) return vscode.l10n.t('{0} h ago', hours);
  const days = Math.round(hours / 24);
  if (days < 30) return vscode.l10n.t('{0} d ago', days);
  return new Date(timestamp).toLocaleDateString();
}

function formatTime(timestamp: number | undefined): string {
  return timestamp === undefined ? '' : new Date(timestamp).toLocaleString();
}

/** Highest version number the model reports (latest_versions holds the latest per stage). */
export function latestVersion(model: RegisteredModel): string | undefined {
  const numbers = model.latest_versions.map((v) => Number(v.version)).filter((n) => Number.isFinite(n));
  return numbers.length ? String(Math.max(...numbers)) : undefined;
}

/** Aliases of one version, from the registered model (search results of versions carry none). */
export function aliasesOf(model: RegisteredModel, version: string): string[] {
  return model.aliases.filter((a) => a.version === version).map((a) => a.alias).sort();
}

/** `v3 · @champion` — aliases of other versions say which one: `@challenger → v2`. */
/** Aliases first (what users pick a model by), then the latest version: the side bar cuts the end. */
export function modelDescription(model: RegisteredModel): string {
  const latest = latestVersion(model);
  const aliases = [...model.aliases].sort((a, b) => a.alias.localeCompare(b.alias));
  const aliasText = aliases.map((a) => (a.version === latest ? `@${a.alias}` : `@${a.alias} → v${a.version}`)).join(' ');
  return [aliasText, latest ? `v${latest}` : ''].filter((p) => p !== '').join(' · ');
}

export function modelTooltip(model: RegisteredModel): vscode.MarkdownString {
  const lines = [`**${escapeMarkdown(model.name)}**`];
  if (model.description) lines.push('', escapeMarkdown(model.description));
  const latest = latestVersion(model);
  if (latest) lines.push('', vscode.l10n.t('Latest version: {0}', latest));
  for (const a of model.aliases) lines.push('', `@${escapeMarkdown(a.alias)} → v${escapeMarkdown(a.version)}`);
  for (const t of model.tags) lines.push('', `${escapeMarkdown(t.key)} = ${escapeMarkdown(t.value)}`);
  if (model.last_updated_timestamp) lines.push('', vscode.l10n.t('Updated {0}', formatTime(model.last_updated_timestamp)));
  return markdown(lines.join('\n'));
}

/** `@champion · Production · READY · 2 d ago` (stage "None" and empty parts are left out). */
export function versionDescription(version: ModelVersion, aliases: string[], now = Date.now()): string {
  const parts = [
    aliases.map((a) => `@${a}`).join(' '),
    version.current_stage && version.current_stage !== 'None' ? version.current_stage : '',
    version.status && version.status !== 'READY' ? version.status : '',
    formatAge(version.creation_timestamp, now),
  ];
  return parts.filter((p) => p !== '').join(' · ');
}

export function versionTooltip(version: ModelVersion, aliases: string[]): vscode.MarkdownString {
  const lines = [`**${escapeMarkdown(version.name)}** ${vscode.l10n.t('version {0}', escapeMarkdown(version.version))}`];
  if (version.description) lines.push('', escapeMarkdown(version.description));
  if (aliases.length) lines.push('', vscode.l10n.t('Aliases: {0}', aliases.map((a) => `@${escapeMarkdown(a)}`).join(', ')));
  if (version.current_stage && version.current_stage !== 'None') lines.push('', vscode.l10n.t('Stage: {0}', escapeMarkdown(version.current_stage)));
  if (version.status) lines.push('', vscode.l10n.t('Status: {0}', escapeMarkdown(version.status)));
  if (version.creation_timestamp) lines.push('', vscode.l10n.t('Created {0}', formatTime(version.creation_timestamp)));
  lines.push('', vscode.l10n.t('Source: {0}', escapeMarkdown(version.source)));
  if (version.run_id) lines.push('', vscode.l10n.t('Run ID: {0}', escapeMarkdown(version.run_id)));
  return markdown(lines.join('\n'));
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** Newest first by number (`10` after `9`), the order users expect in a registry. */
export function sortVersionsNewestFirst(versions: ModelVersion[]): ModelVersion[] {
  return [...versions].sort((a, b) => Number(b.version) - Number(a.version));
}
