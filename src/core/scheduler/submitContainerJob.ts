// The container's build and serve jobs through the same submission as training jobs: qsub as an
// argv (no shell) in the MLWFCreateImage folder, the folder's own build.sh / serve.sh as the job
// script, its log written as the job goes (Show Output follows it), and a job.json of its own
// under the jobs folder so the Jobs view lists, follows and cancels it. No MLflow run and no
// password: a container job needs neither.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobSettings } from '../container/siteProfiles';
import { BUILD_LOG, SERVE_LOG } from '../container/jobScripts';
import { writeRecord, type JobRecord } from './jobRecord';
import { STATUS_FILE } from './jobScript';
import type { JobProfile } from './profiles';
import type { Scheduler } from './scheduler';
import { newJobFolder } from './submitJob';
import { qsubArgs } from './submitArgs';

export interface ContainerJobInput {
  readonly profile: JobProfile;
  readonly job: JobSettings;
  /** The MLWFCreateImage_* folder (absolute). */
  readonly imageFolder: string;
  readonly kind: 'build' | 'serve';
  /** Where the job's record folder goes (the Jobs view reads it). */
  readonly jobsRoot: string;
  /** The serve job's port (passed with -v PORT=…; serve.sh reads it). */
  readonly port?: number;
  readonly now?: Date;
}

export function containerJobArgs(input: Omit<ContainerJobInput, 'jobsRoot' | 'now'>): string[] {
  const script = input.kind === 'build' ? 'build.sh' : 'serve.sh';
  const log = path.join(input.imageFolder, input.kind === 'build' ? BUILD_LOG : SERVE_LOG);
  const variables: Record<string, string> = input.kind === 'serve' && input.port !== undefined ? { PORT: String(input.port) } : {};
  return qsubArgs(input.profile, input.job, `mlwf-${input.kind}`, log, script, variables);
}

export async function submitContainerJob(input: ContainerJobInput, scheduler: Scheduler, signal?: AbortSignal): Promise<JobRecord> {
  if (input.profile.scheduler === 'none') throw new Error('the generic site profile runs container scripts on this machine, not as jobs');
  const outputFile = path.join(input.imageFolder, input.kind === 'build' ? BUILD_LOG : SERVE_LOG);
  // The log of an earlier build must not pass for this one's.
  writeFileSync(outputFile, '');
  const id = await scheduler.submit(input.imageFolder, containerJobArgs(input), outputFile, signal);
  return recordContainerJob(input, id);
}

/**
 * The record of a container job with a known id: one MLWF submitted, or one the folder's script
 * submitted itself from a terminal (ABCI 3.0's `qsub -W block=true`), so the Jobs view lists,
 * follows and cancels both alike.
 */
export function recordContainerJob(input: ContainerJobInput, id: string): JobRecord {
  const now = input.now ?? new Date();
  const script = input.kind === 'build' ? 'build.sh' : 'serve.sh';
  mkdirSync(input.jobsRoot, { recursive: true });
  const folder = newJobFolder(input.jobsRoot, `${input.kind}-${path.basename(input.imageFolder)}`, now);
  const record: JobRecord = {
    id, kind: input.kind, scheduler: input.profile.scheduler, profile: input.profile.id, name: `mlwf-${input.kind}`, folder,
    scriptPath: path.join(input.imageFolder, script), workdir: input.imageFolder,
    trackingUri: '', experimentId: '', experimentName: '', runId: '',
    submittedAt: now.getTime(), resource: input.job.resource, walltime: input.job.walltime, group: input.job.group,
    outputFile: path.join(input.imageFolder, input.kind === 'build' ? BUILD_LOG : SERVE_LOG), statusFile: path.join(folder, STATUS_FILE),
  };
  writeRecord(record);
  return record;
}

/**
 * Where the folder's own script (ABCI 3.0's `qsub -W block=true`, run in a terminal) writes the
 * id qsub prints at submission (jobScripts' submitBlock).
 */
export function containerJobIdFile(imageFolder: string, kind: 'build' | 'serve'): string {
  return path.join(imageFolder, `.mlwf-${kind}.jobid`);
}

/** The id in the file once qsub has written its whole line ('' before: the file is created empty by the redirection). */
function readJobIdLine(file: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.endsWith('\n') ? text.trim() : '';
  } catch {
    return '';
  }
}

/**
 * Waits for the id of a self-submitted container job, written when qsub submits it; undefined
 * when `signal` ends the wait (the terminal ended) and no id was written. Polls: the file is on
 * a shared file system. It reads once more after the signal, since a job that fails at once can
 * end (and its terminal with it) between two polls; the script leaves the file in place for that.
 */
export async function waitForContainerJobId(imageFolder: string, kind: 'build' | 'serve', signal: AbortSignal, intervalMs = 250): Promise<string | undefined> {
  const file = containerJobIdFile(imageFolder, kind);
  for (;;) {
    const ended = signal.aborted;
    const id = readJobIdLine(file);
    if (id) return id;
    if (ended) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
