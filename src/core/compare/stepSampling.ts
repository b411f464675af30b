// MLflow's way of thinning a chart's step grid (get-history-bulk-interval), for the places where
// we sample ourselves: the local file store and the get-history fallback. Steps are picked from
// the sorted union of logged steps at even index intervals, plus the last one, so a sample of a
// contiguous history is evenly spread and always ends on the final step.
//
// One difference on purpose: MLflow 2.14.3 compares the absolute index with the window's length
// (`idx < num_steps`), so a zoomed window far from step 0 loses most of its sample; here the
// index is compared with the window's end, which is what the loop means.

/** Upper bounds of the sampled route: runs per request and points per run. */
export const MAX_RUNS_PER_REQUEST = 100;
export const MAX_POINTS_PER_RUN = 2500;

/** First index whose value is >= x (or > x when `right`), like Python's bisect. */
export function bisect(length: number, at: (i: number) => number, x: number, right = false): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (right ? at(mid) <= x : at(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The steps of `sortedSteps` (ascending, distinct) within [start, end] that a chart gets: all of
 * them when there are at most `maxResults`, else `maxResults` at even index intervals plus the
 * last step of the window.
 */
export function sampleStepGrid(sortedSteps: ArrayLike<number>, start: number, end: number, maxResults: number): number[] {
  const at = (i: number) => sortedSteps[i]!;
  const startIdx = bisect(sortedSteps.length, at, start);
  const endIdx = bisect(sortedSteps.length, at, end, true);
  const count = endIdx - startIdx;
  if (count <= maxResults) return Array.from({ length: Math.max(0, count) }, (_, i) => at(startIdx + i));
  const interval = count / maxResults;
  const out: number[] = [];
  for (let i = 0; i < maxResults; i++) out.push(at(startIdx + Math.floor(i * interval)));
  out.push(at(endIdx - 1));
  return out;
}

/**
 * At most `maxPoints` of `points` (already in order) at even index intervals, always keeping the
 * first and the last: how the fallback bounds a whole history it had to fetch.
 */
export function thinEvenly<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points.slice();
  if (maxPoints <= 1) return points.slice(-1);
  const out: T[] = [];
  const interval = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * interval)]!);
  return out;
}
