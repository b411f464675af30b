// Run on a Compute Node, without the questions: a folder per job with job.sh (kept, visible),
// the MLflow run created first, the password in a 0600 file, qsub, the job id tagged on the run,
// job.json. A submission that fails leaves no half: its run is marked FAILED and the password
// file is removed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { shellQuote } from '../container/shellQuote';
import type { JobSettings } from '../container/siteProfiles';
import { createJobRun, JOB_TAGS, type RunWriter } from './jobRun';
import { buildJobScript, STATUS_FILE } from './jobScript';
import { writeRecord, type JobRecord } from './jobRecord';
import type { JobProfile } from './profiles';
import type { Scheduler } from './scheduler';
import { removeSecretFile, writeSecretFile } from './secretFile';
import { displayCommand, JOB_SCRIPT_FILE, jobNameFor, OUTPUT_FILE, qsubArgs } from './submitArgs';

export interface SubmitJobInput {
  readonly profile: JobProfile;
  readonly job: JobSettings;
  readonly scriptPath: string;
  readonly workdir: string;
  /** Where job folders go (created if needed). */
  readonly jobsRoot: string;
  /** Where the password files go: a folder of the user's home, private. */
  readonly secretsDir: string;
  readonly interpreter: string;
  readonly python: string;
  readonly setupLines: readonly string[];
  /** The URL the compute node uses (may differ from the login node's). */
  readonly jobTrackingUri: string;
  readonly username?: string;
  readonly password?: string;
  /** A bearer token instead of a password (servers without Basic auth). */
  readonly token?: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly now?: Date;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A folder of its own for each job: <root>/YYYYMMDD-hhmmss-<script>[-n]. */
export function newJobFolder(root: string, scriptPath: string, now: Date): string {
  const base = path.basename(scriptPath).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40) || 'job';
  for (let n = 0; ; n++) {
    const folder = path.join(root, `${stamp(now)}-${base}${n ? `-${n}` : ''}`);
    try {
      mkdirSync(folder, { recursive: false });
      return folder;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export async function submitJob(input: SubmitJobInput, client: RunWriter, scheduler: Scheduler, signal?: AbortSignal): Promise<JobRecord> {
  const now = input.now ?? new Date();
  mkdirSync(input.jobsRoot, { recursive: true });
  const folder = newJobFolder(input.jobsRoot, input.scriptPath, now);
  const name = jobNameFor(input.scriptPath);
  const outputFile = path.join(folder, OUTPUT_FILE);
  const statusFile = path.join(folder, STATUS_FILE);
  const args = qsubArgs(input.profile, input.job, name, outputFile);
  const runId = await createJobRun(
    client,
    { experimentId: input.experimentId, runName: `${path.basename(input.scriptPath)} (${name})`, scheduler: input.profile.scheduler, profile: input.profile.id, host: hostname(), scriptPath: input.scriptPath, folder, user: input.username },
    signal,
  );
  let passwordFile: string | undefined;
  try {
    const secret = input.password ?? input.token;
    passwordFile = secret ? writeSecretFile(input.secretsDir, secret) : undefined;
    const script = buildJobScript({
      profile: input.profile,
      scriptPath: input.scriptPath,
      workdir: input.workdir,
      interpreter: input.interpreter,
      python: input.python,
      setupLines: input.setupLines,
      trackingUri: input.jobTrackingUri,
      username: input.username,
      experimentId: input.experimentId,
      experimentName: input.experimentName,
      runId,
      passwordFile,
      secretVariable: input.password === undefined && input.token !== undefined ? 'MLFLOW_TRACKING_TOKEN' : 'MLFLOW_TRACKING_PASSWORD',
      statusFile,
      submitCommand: input.profile.scheduler === 'none' ? `bash ${JOB_SCRIPT_FILE} > ${OUTPUT_FILE} 2>&1` : displayCommand(['qsub', ...args], shellQuote),
    });
    writeFileSync(path.join(folder, JOB_SCRIPT_FILE), script, { mode: 0o755 });
    writeFileSync(outputFile, '');
    const id = await scheduler.submit(folder, args, outputFile, signal);
    const record: JobRecord = {
      id, kind: 'training', scheduler: input.profile.scheduler, profile: input.profile.id, name, folder, scriptPath: input.scriptPath, workdir: input.workdir,
      trackingUri: input.jobTrackingUri, experimentId: input.experimentId, experimentName: input.experimentName, runId,
      submittedAt: now.getTime(), resource: input.job.resource, walltime: input.job.walltime, group: input.job.group, outputFile, statusFile, passwordFile,
    };
    writeRecord(record);
    await client.setRunTag(runId, JOB_TAGS.id, id, { signal }).catch(() => undefined);
    return record;
  } catch (e) {
    removeSecretFile(passwordFile);
    await client.updateRun(runId, { status: 'FAILED', endTime: Date.now() }).catch(() => undefined);
    throw e;
  }
}
