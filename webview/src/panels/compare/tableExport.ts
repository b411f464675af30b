// The table as text for the clipboard: CSV (RFC 4180) for spreadsheets and Markdown for notes
// and pull requests. Run names and values are the user's own text, so both formats escape them.
import { formatCell, type TableRow } from './tableModel';

export interface ExportTable {
  readonly runNames: readonly string[];
  readonly rows: readonly TableRow[];
}

const rowLabel = (row: TableRow) => `${row.section === 'param' ? 'params' : 'metrics'}.${row.key}`;

/** Quotes when needed; text that a spreadsheet would run as a formula gets a leading `'`. */
export function csvField(text: string): string {
  const looksNumeric = text.trim() !== '' && Number.isFinite(Number(text));
  const safe = !looksNumeric && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: ExportTable): string {
  const lines = [['key', ...table.runNames], ...table.rows.map((r) => [rowLabel(r), ...r.cells.map(formatCell)])];
  return lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Markdown table cell: pipes, backslashes and markup characters escaped, one line. */
export function markdownCell(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/([\\|`*_[\]<>#])/g, '\\$1');
}

export function toMarkdown(table: ExportTable): string {
  const header = ['key', ...table.runNames].map(markdownCell);
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${[rowLabel(r), ...r.cells.map(formatCell)].map(markdownCell).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}
