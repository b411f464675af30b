// One refresh of the Jobs view's data: asks the scheduler, and for every job of ours that has
// ended (once): keeps its final state in job.json, removes its password file and closes its run
// if the job did not (FAILED when it failed before logging, KILLED when cancelled). With a
// cache of ended jobs, also the user's other jobs that ended today.
import { startOfDay, type EndedJobsCache } from './endedJobs';
import type { JobRecord } from './jobRecord';
import { serializeStatus, writeRecord } from './jobRecord';
import { closeJobRun, type RunWriter } from './jobRun';
import { isActive, runStatusOfPhase, type JobStatus } from './jobStatus';
import type { Scheduler } from './scheduler';
import { removeSecretFile } from './secretFile';

export interface JobRow {
  readonly record?: JobRecord;
  readonly status: JobStatus;
}

export interface PollOutcome {
  readonly rows: JobRow[];
  readonly active: boolean;
}

/** The user's other jobs that ended today: `requested` is a refresh someone asked for (not the view's timer). */
export interface EndedHistory {
  readonly cache: EndedJobsCache;
  readonly requested: boolean;
}

export async function pollJobs(scheduler: Scheduler, records: readonly JobRecord[], user: string, client: RunWriter | undefined, log: (line: string) => void, signal?: AbortSignal, history?: EndedHistory): Promise<PollOutcome> {
  const { ours, others } = await scheduler.poll(records, user, signal);
  const rows: JobRow[] = [];
  for (const record of records) {
    const status = ours.get(record.id);
    if (!status) continue;
    let current = record;
    const seen = seenWhileRunning(status);
    if (seen && (seen.queue !== record.seen?.queue || seen.started !== record.seen?.started)) {
      current = { ...current, seen };
      writeRecord(current);
    }
    if (!record.final && !isActive(status.phase) && status.phase !== 'unknown') {
      removeSecretFile(record.passwordFile);
      current = { ...current, final: serializeStatus(status), passwordFile: undefined };
      writeRecord(current);
      log(`Job ${record.id} ended: ${status.phase} (${status.rawState}).`);
    }
    const runStatus = runStatusOfPhase(status.phase);
    if (current.final && !current.runClosed && runStatus && client && record.runId) {
      try {
        const changed = await closeJobRun(client, record.runId, runStatus, signal);
        if (changed) log(`Run ${record.runId} of job ${record.id} marked ${runStatus}.`);
        current = { ...current, runClosed: true };
        writeRecord(current);
      } catch (e) {
        log(`Could not close run ${record.runId} of job ${record.id}: ${(e as Error).message}`);
      }
    }
    rows.push({ record: current, status });
  }
  for (const status of others) rows.push({ status });
  if (history) rows.push(...(await endedToday(scheduler, history, records, others, user, log, signal)).map((status) => ({ status })));
  // "unknown" (gone from qstat, no accounting yet) is worth asking again, but not forever: a job
  // the scheduler lost without a trace stops the polling a day after it was submitted.
  const now = Date.now();
  const pending = (r: JobRow) => r.status.phase === 'unknown' && r.record !== undefined && now - r.record.submittedAt < 24 * 3600_000;
  return { rows, active: rows.some((r) => isActive(r.status.phase) || pending(r)) };
}

/** Where and since when a running job runs (what its final state keeps if its accounting is late). */
function seenWhileRunning(status: JobStatus): JobRecord['seen'] | undefined {
  if (status.phase !== 'running' || (!status.queue && !status.started)) return undefined;
  return { queue: status.queue, started: status.started?.toISOString() };
}

async function endedToday(scheduler: Scheduler, history: EndedHistory, records: readonly JobRecord[], others: readonly JobStatus[], user: string, log: (line: string) => void, signal?: AbortSignal): Promise<JobStatus[]> {
  const today = startOfDay();
  if (history.cache.shouldAsk(others.map((o) => o.id), history.requested)) {
    try {
      history.cache.store(await scheduler.endedJobs(user, today, history.cache.known, signal));
    } catch (e) {
      // The ended jobs are extra: the view still shows the queued and running ones.
      log(`Could not list the jobs that ended today: ${(e as Error).message}`);
    }
  }
  return history.cache.endedSince(today, new Set([...records.map((r) => r.id), ...others.map((o) => o.id)]));
}
