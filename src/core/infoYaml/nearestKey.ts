// "Did you mean …?" for unknown keys: a typo (Keyword, Lisence, descripton) or a case slip.
import { distance } from 'fastest-levenshtein';

/** The known key closest to key, if it is close enough to be a likely typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  // Swapped letters (Emial, Lisence) count as one slip; Levenshtein counts them as two.
  const sorted = (s: string) => [...s].sort().join('');
  const swap = known.find((k) => k.length === key.length && sorted(k.toLowerCase()) === sorted(lower) && distance(lower, k.toLowerCase()) <= 2);
  if (swap) return swap;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Allow about one slip per three letters: "Keyword" → "Keywords", not "Foo" → "Name".
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
