// Small renderers shared by the explorer's nodes: ages, metric values, status icons and the
// escaping of server text inside Markdown tooltips. Run names, tags and params are typed by
// whoever logged the run, so they are always escaped and tooltips never enable HTML.
import * as vscode from 'vscode';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Localised age texts, one per unit and count ("2 h ago"): a page of 100 runs started within the
 * same hours asks for a handful of them, so each is formatted once per session (the language of
 * the l10n bundle only changes with a window reload). At most a few hundred entries.
 */
const ageTexts = new Map<number, string>();

function ageText(unit: 0 | 1 | 2, count: number): string {
  const key = count * 3 + unit;
  let text = ageTexts.get(key);
  if (text === undefined) {
    text = unit === 0 ? vscode.l10n.t('{0} min ago', count) : unit === 1 ? vscode.l10n.t('{0} h ago', count) : vscode.l10n.t('{0} d ago', count);
    ageTexts.set(key, text);
  }
  return text;
}

/** `2026-01-31` for a timestamp: a UTC day is exactly DAY ms long, so the day number is the key. */
const dayTexts = new Map<number, string>();

function utcDate(timestamp: number): string {
  const day = Math.floor(timestamp / DAY);
  let text = dayTexts.get(day);
  if (text === undefined) {
    if (dayTexts.size >= 1000) dayTexts.clear(); // runs spread over years: stay small
    text = new Date(day * DAY).toISOString().slice(0, 10);
    dayTexts.set(day, text);
  }
  return text;
}

/** "2 h ago" style; absolute date for the future (clock skew) and for anything older than a year. */
export function formatAge(timestamp: number | undefined, now = Date.now()): string {
  if (timestamp === undefined || !Number.isFinite(timestamp) || timestamp <= 0) return '';
  const elapsed = now - timestamp;
  if (elapsed < -MINUTE || elapsed > 365 * DAY) return utcDate(timestamp);
  if (elapsed < MINUTE) return vscode.l10n.t('just now');
  if (elapsed < HOUR) return ageText(0, Math.floor(elapsed / MINUTE));
  if (elapsed < DAY) return ageText(1, Math.floor(elapsed / HOUR));
  return ageText(2, Math.floor(elapsed / DAY));
}

/** Short form for descriptions (3 significant digits, like `0.728`); integers stay whole. */
export function formatMetricShort(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(2);
  if (abs >= 100) return String(Math.round(value * 10) / 10);
  return String(Number(value.toPrecision(3)));
}

export function formatTime(timestamp: number | undefined): string {
  return timestamp ? new Date(timestamp).toLocaleString() : '—';
}

const STATUS_ICONS: Record<string, [string, string | undefined]> = {
  RUNNING: ['sync~spin', 'charts.blue'],
  SCHEDULED: ['clock', 'charts.yellow'],
  FINISHED: ['pass', 'charts.green'],
  FAILED: ['error', 'charts.red'],
  KILLED: ['circle-slash', 'charts.orange'],
};

/** One icon object per status: rows share them (a ThemeIcon is immutable). */
const statusIcons = new Map<string, vscode.ThemeIcon>();

/**
 * Picture files of the settled statuses (media/run-status/), used once `useStatusIconFiles` has
 * been given the extension's folder. Why: on a selected row VS Code paints a codicon in the
 * label's colour, and a compared run's label carries its run colour (a FileDecoration), so a
 * FINISHED run in red showed a red check. A picture keeps its own colour; RUNNING keeps the
 * spinning codicon, which a picture cannot be.
 */
let statusFiles: vscode.Uri | undefined;
const STATUS_FILES: Record<string, string> = { FINISHED: 'finished', FAILED: 'failed', KILLED: 'killed', SCHEDULED: 'scheduled' };

export function useStatusIconFiles(extensionUri: vscode.Uri): void {
  statusFiles = vscode.Uri.joinPath(extensionUri, 'media', 'run-status');
}

export function statusIcon(status: string): vscode.ThemeIcon | { light: vscode.Uri; dark: vscode.Uri } {
  const file = statusFiles && Object.hasOwn(STATUS_FILES, status) ? STATUS_FILES[status] : undefined;
  if (statusFiles && file) return { light: vscode.Uri.joinPath(statusFiles, `${file}-light.svg`), dark: vscode.Uri.joinPath(statusFiles, `${file}-dark.svg`) };
  let icon = statusIcons.get(status);
  if (!icon) {
    const known = Object.hasOwn(STATUS_ICONS, status) ? STATUS_ICONS[status] : undefined;
    const [id, color] = known ?? ['circle-outline', undefined];
    icon = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
    // Only the known statuses are kept: server text must not grow the map.
    if (known) statusIcons.set(status, icon);
  }
  return icon;
}

/**
 * Server text for Markdown: Markdown punctuation is backslash-escaped and `<`, `>`, `&` become
 * entities, so `<img src=x onerror=…>` shows as those characters and never as an element.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '  \n');
}

/** A MarkdownString for tooltips that never trusts its content (no commands, no HTML). */
export function safeMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** A label from Markdown notes: the first line with text, without heading/quote/list markers. */
export function plainFirstLine(markdown: string): string {
  const line = markdown.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return firstLine(line.replace(/^\s*(#{1,6}|>|[-*+])\s+/, ''));
}

/** One line of a one-line label: the first line of a multi-line server text, shortened. */
export function firstLine(text: string, max = 120): string {
  const line = text.split(/\r?\n/)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
