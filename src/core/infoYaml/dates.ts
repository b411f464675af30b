// ISO 8601 dates for DateCreated / DateModified / DatePublished: what the quick fix can turn
// into one without guessing. Day-first or month-first forms (01/02/2024) are ambiguous and are
// left for the person to fix.

/** A date with an optional time (seconds and zone optional), as ABCI Datasets asks. */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function ymd(y: number, m: number, d: number, rest = ''): string | undefined {
  return validDay(y, m, d) ? `${y}-${pad(m)}-${pad(d)}${rest}` : undefined;
}

/** The time part normalised to `THH:MM[:SS][zone]`, or undefined when it is not a time. */
function timePart(raw: string | undefined): string | undefined {
  if (!raw) return '';
  const m = /^(?:\s*T\s*|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(raw);
  if (!m) return undefined;
  const [h, min, s, zone] = [Number(m[1]), Number(m[2]), m[3], m[4]];
  if (h > 23 || min > 59 || (s !== undefined && Number(s) > 59)) return undefined;
  return `T${pad(h)}:${pad(min)}${s !== undefined ? `:${s}` : ''}${zone ? zone.toUpperCase() : ''}`;
}

/**
 * An unambiguous date written another way, as ISO 8601: `2024/1/5`, `2024.01.05`, `20240105`,
 * `2024年1月5日`, `5 Jan 2024`, `January 5, 2024`, each with an optional `HH:MM[:SS]` time.
 * Returns undefined when the text is not such a date (or is already ISO 8601).
 */
export function normalizeDate(text: string): string | undefined {
  const value = text.trim();
  if (ISO_DATE_PATTERN.test(value)) return undefined;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?(.*)$/.exec(value);
  if (m) {
    const time = timePart(m[4]);
    return time === undefined ? undefined : ymd(Number(m[1]), Number(m[2]), Number(m[3]), time);
  }
  m = /^(\d{4})(\d{2})(\d{2})(.*)$/.exec(value);
  if (m) {
    const time = timePart(m[4]);
    return time === undefined ? undefined : ymd(Number(m[1]), Number(m[2]), Number(m[3]), time);
  }
  m = /^(\d{1,2})\s+([A-Za-z]{3,})\.?,?\s+(\d{4})(.*)$/.exec(value);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    const time = timePart(m[4]);
    return month === 0 || time === undefined ? undefined : ymd(Number(m[3]), month, Number(m[1]), time);
  }
  m = /^([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})(.*)$/.exec(value);
  if (m) {
    const month = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
    const time = timePart(m[4]);
    return month === 0 || time === undefined ? undefined : ymd(Number(m[3]), month, Number(m[2]), time);
  }
  return undefined;
}
