// The user's jobs MLWF did not submit that ended today, for the Jobs view. Asking for them reads
// the scheduler's accounting or history (Grid Engine's qacct reads its whole accounting file), so
// they are asked for at most once per refresh, and on the view's own timer only when one of the
// user's jobs has left the queue since the last poll; an ended job does not change, so it is kept.
import type { JobStatus } from './jobStatus';

export class EndedJobsCache {
  private day = '';
  private readonly ended = new Map<string, JobStatus>();
  /** The user's other jobs queued or running at the last poll. */
  private active = new Set<string>();
  /** Jobs that left the queue and were not in the answer yet (Grid Engine's accounting lags). */
  private missing = new Map<string, number>();

  get known(): ReadonlyMap<string, JobStatus> {
    return this.ended;
  }

  /**
   * Whether to ask now. `activeIds` are the user's other jobs queued or running now;
   * `requested` is a refresh the user or a submission asked for (not the view's timer).
   */
  shouldAsk(activeIds: readonly string[], requested: boolean, now = new Date()): boolean {
    const today = now.toDateString();
    if (today !== this.day) {
      this.day = today;
      this.ended.clear();
      this.missing.clear();
      requested = true;
    }
    const nowActive = new Set(activeIds);
    for (const id of this.active) if (!nowActive.has(id) && !this.ended.has(id)) this.missing.set(id, 0);
    this.active = nowActive;
    return requested || this.missing.size > 0;
  }

  /** Keeps an answer; a job still missing from it is asked about twice more, then left to the next refresh. */
  store(jobs: readonly JobStatus[]): void {
    for (const job of jobs) this.ended.set(job.id, job);
    for (const [id, tries] of this.missing) {
      if (this.ended.has(id) || tries >= 2) this.missing.delete(id);
      else this.missing.set(id, tries + 1);
    }
  }

  /** The jobs that ended since `since`, newest first, leaving out `exclude` (MLWF's own, and ids queued again). */
  endedSince(since: Date, exclude: ReadonlySet<string>): JobStatus[] {
    return [...this.ended.values()]
      .filter((j) => !exclude.has(j.id) && j.ended !== undefined && j.ended.getTime() >= since.getTime())
      .sort((a, b) => (b.ended?.getTime() ?? 0) - (a.ended?.getTime() ?? 0));
  }
}

/** Midnight at the start of `now`'s day, local time. */
export function startOfDay(now = new Date()): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}
