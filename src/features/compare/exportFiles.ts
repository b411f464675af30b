// What an exported chart becomes on disk: its bytes (PNG arrives as the canvas's data URL, SVG as
// text) and a default file name made safe from the metric key. Pure, tested in plain Node.
import type { ExportChartMessage } from '../../protocol/compare';

const PNG_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The file's bytes; throws when a "PNG" is not one (the guard checked the prefix only). */
export function exportBytes(message: ExportChartMessage): Uint8Array {
  if (message.format === 'svg') return new TextEncoder().encode(message.data);
  const bytes = Buffer.from(message.data.slice(PNG_PREFIX.length), 'base64');
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('the exported image is not a PNG');
  return bytes;
}

/** A file name from a metric key: keys may hold `/`, spaces and dots, a file name should not. */
export function exportFileName(metricKey: string, format: 'png' | 'svg'): string {
  const base = metricKey.replace(/[^\w.-]+/g, '_').replace(/^[._-]+/, '').replace(/\.+$/, '') || 'chart';
  return `${base}.${format}`;
}
