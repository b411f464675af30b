// The job ↔ run link: the run is created when the job is submitted (status SCHEDULED until the
// user's mlflow.start_run() makes it RUNNING), tagged with the job id, scheduler and host, and
// closed by MLWF when the job ended without closing it (FAILED, or KILLED when cancelled).
import type { MlflowClient } from '../mlflow/client';

export const JOB_TAGS = {
  id: 'mlwf.job.id',
  scheduler: 'mlwf.job.scheduler',
  host: 'mlwf.job.host',
  profile: 'mlwf.job.profile',
  script: 'mlwf.job.script',
  folder: 'mlwf.job.folder',
} as const;

export type RunWriter = Pick<MlflowClient, 'createRun' | 'updateRun' | 'setRunTag' | 'getRun'>;

export interface JobRunInput {
  readonly experimentId: string;
  readonly runName: string;
  readonly scheduler: string;
  readonly profile: string;
  readonly host: string;
  readonly scriptPath: string;
  readonly folder: string;
  readonly user?: string;
}

export async function createJobRun(client: RunWriter, input: JobRunInput, signal?: AbortSignal): Promise<string> {
  const run = await client.createRun(
    {
      experimentId: input.experimentId,
      runName: input.runName,
      tags: {
        [JOB_TAGS.scheduler]: input.scheduler,
        [JOB_TAGS.profile]: input.profile,
        [JOB_TAGS.host]: input.host,
        [JOB_TAGS.script]: input.scriptPath,
        [JOB_TAGS.folder]: input.folder,
        'mlflow.source.name': input.scriptPath,
        'mlflow.source.type': 'JOB',
        ...(input.user ? { 'mlflow.user': input.user } : {}),
      },
    },
    { signal },
  );
  const runId = run.info.run_id;
  await client.updateRun(runId, { status: 'SCHEDULED' }, { signal });
  return runId;
}

/** Closes the run with `status` unless the job (or the user's script) already did. Returns whether it changed it. */
export async function closeJobRun(client: RunWriter, runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED', signal?: AbortSignal): Promise<boolean> {
  const run = await client.getRun(runId, { signal });
  const current = String(run.info.status);
  // KILLED wins over a FAILED the job's own trap may have written while it was being killed.
  const open = current === 'RUNNING' || current === 'SCHEDULED' || (status === 'KILLED' && current === 'FAILED');
  if (!open) return false;
  await client.updateRun(runId, { status, endTime: Date.now() }, { signal });
  return true;
}
