// How long the poller waits after `failures` polls in a row failed: the interval doubled per
// failure, capped, so a server that is down is asked less and less often but still asked (the
// first success brings the interval back).

export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

export function backoffDelay(intervalMs: number, failures: number, maxMs = DEFAULT_MAX_BACKOFF_MS): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 20), Math.max(maxMs, intervalMs));
}
