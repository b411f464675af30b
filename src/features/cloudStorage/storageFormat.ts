// How an object row reads: size in binary units (the shared formatBytes) and the last-modified
// time as local "YYYY-MM-DD HH:MM", sortable and the same in every display language.
import { formatBytes } from '../../core/formatBytes';
import type { StorageObject } from '../../core/cloudStorage';

const two = (n: number) => String(n).padStart(2, '0');

export function formatDate(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

export function objectDescription(object: StorageObject): string {
  const date = formatDate(object.lastModified);
  return date ? `${formatBytes(object.size)} · ${date}` : formatBytes(object.size);
}
