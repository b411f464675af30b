// Which runs can still change. MLflow's statuses: RUNNING and SCHEDULED may still log; FINISHED,
// FAILED and KILLED are final (a run can be restarted, but that is a new poll's business).
import type { Run } from '../mlflow/types';

const LIVE_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'SCHEDULED']);

export function isLiveStatus(status: string): boolean {
  return LIVE_STATUSES.has(status);
}

export function isLiveRun(run: Run): boolean {
  return isLiveStatus(run.info.status) && run.info.lifecycle_stage !== 'deleted';
}
