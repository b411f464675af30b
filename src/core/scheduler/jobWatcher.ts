// One refresh of the Jobs view's data: asks the scheduler, and for every job of ours that has
// ended (once): keeps its final state in job.json, removes its password file and closes its run
// if the job did not (FAILED when it failed before logging, KILLED when cancelled).
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

export async function pollJobs(scheduler: Scheduler, records: readonly JobRecord[], user: string, client: RunWriter | undefined, log: (line: string) => void, signal?: AbortSignal): Promise<PollOutcome> {
  const { ours, others } = await scheduler.poll(records, user, signal);
  const rows: JobRow[] = [];
  for (const record of records) {
    const status = ours.get(record.id);
    if (!status) continue;
    let current = record;
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
  // "unknown" (gone from qstat, no accounting yet) is worth asking again, but not forever: a job
  // the scheduler lost without a trace stops the polling a day after it was submitted.
  const now = Date.now();
  const pending = (r: JobRow) => r.status.phase === 'unknown' && r.record !== undefined && now - r.record.submittedAt < 24 * 3600_000;
  return { rows, active: rows.some((r) => isActive(r.status.phase) || pending(r)) };
}
