// job.json, next to job.sh and output.log in the job's own folder: what MLWF knows about a job it
// submitted (the scheduler does not remember the run, the password file or, after a day, the job).
import { existsSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { JobProfileId, SchedulerKind } from './profiles';
import type { JobStatus } from './jobStatus';

export const RECORD_FILE = 'job.json';

/** What the job does: a training script (job.sh, linked to a run) or the container's build / serve. */
export type JobKind = 'training' | 'build' | 'serve';

export interface JobRecord {
  readonly id: string;
  /** Absent in records written before container jobs existed: a training job. */
  readonly kind?: JobKind;
  readonly scheduler: SchedulerKind;
  readonly profile: JobProfileId;
  readonly name: string;
  readonly folder: string;
  readonly scriptPath: string;
  readonly workdir: string;
  readonly trackingUri: string;
  readonly experimentId: string;
  readonly experimentName: string;
  /** '' for container jobs: they log no run. */
  readonly runId: string;
  readonly submittedAt: number;
  readonly resource: string;
  readonly walltime: string;
  readonly group: string;
  readonly outputFile: string;
  readonly statusFile: string;
  readonly passwordFile?: string;
  /** Set when the user cancelled it from MLWF, with when (ms since the epoch). */
  readonly cancelled?: boolean;
  readonly cancelledAt?: number;
  /**
   * Where and since when the job ran, as the scheduler said while it was running: the final
   * state keeps them when the job ends before its accounting can tell (a cancelled job).
   */
  readonly seen?: { readonly queue?: string; readonly started?: string };
  /** The final status, once known (the scheduler forgets finished jobs). */
  readonly final?: SerializedStatus;
  /** Whether MLWF already closed the linked run. */
  readonly runClosed?: boolean;
}

export type SerializedStatus = Omit<JobStatus, 'submitted' | 'started' | 'ended'> & { submitted?: string; started?: string; ended?: string };

export function serializeStatus(s: JobStatus): SerializedStatus {
  return { ...s, submitted: s.submitted?.toISOString(), started: s.started?.toISOString(), ended: s.ended?.toISOString() };
}

export function deserializeStatus(s: SerializedStatus): JobStatus {
  const d = (v?: string) => (v ? new Date(v) : undefined);
  return { ...s, submitted: d(s.submitted), started: d(s.started), ended: d(s.ended) };
}

export function writeRecord(record: JobRecord): void {
  const file = path.join(record.folder, RECORD_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readRecord(folder: string): JobRecord | undefined {
  try {
    const raw = JSON.parse(readFileSync(path.join(folder, RECORD_FILE), 'utf8')) as JobRecord;
    return typeof raw.id === 'string' && typeof raw.runId === 'string' ? { ...raw, folder } : undefined;
  } catch {
    return undefined;
  }
}

/** The records under the jobs folder, newest first. */
export function listRecords(root: string): JobRecord[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => readRecord(path.join(root, e.name)))
    .filter((r): r is JobRecord => r !== undefined)
    .sort((a, b) => b.submittedAt - a.submittedAt);
}

/** The final exit status the job wrote itself (job.sh's exit-status file), if it got that far. */
export function readStatusFile(file: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isNaN(n) ? undefined : n;
  } catch {
    return undefined;
  }
}
