// One job as the Jobs view shows it, whichever scheduler reported it.

export type JobPhase = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'unknown';

export interface JobStatus {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly phase: JobPhase;
  /** The scheduler's own word for the state (qw, r, Eqw; Q, R, F…), shown as is. */
  readonly rawState: string;
  readonly queue?: string;
  readonly submitted?: Date;
  readonly started?: Date;
  readonly ended?: Date;
  /** Run time so far (running) or in total (ended), in seconds. */
  readonly elapsedSeconds?: number;
  /** The wall-time limit, in seconds. */
  readonly walltimeSeconds?: number;
  readonly exitStatus?: number;
  /** What the job asked for, where the scheduler's listing says (shown in the row's tooltip). */
  readonly requested?: JobRequest;
}

/** PBS's short display: NDS, TSK, Req'd Memory; Grid Engine's qstat: slots. */
export interface JobRequest {
  readonly nodes?: number;
  readonly tasks?: number;
  readonly memory?: string;
  readonly slots?: number;
}

export const ACTIVE_PHASES: readonly JobPhase[] = ['queued', 'running'];

export function isActive(phase: JobPhase): boolean {
  return ACTIVE_PHASES.includes(phase);
}

/** The phase an exit status means, once the job has ended. */
export function phaseOfExit(exitStatus: number | undefined, cancelled: boolean): JobPhase {
  if (cancelled) return 'cancelled';
  if (exitStatus === undefined) return 'unknown';
  return exitStatus === 0 ? 'finished' : 'failed';
}

/** The MLflow run status a job's end means. */
export function runStatusOfPhase(phase: JobPhase): 'FINISHED' | 'FAILED' | 'KILLED' | undefined {
  if (phase === 'finished') return 'FINISHED';
  if (phase === 'failed') return 'FAILED';
  if (phase === 'cancelled') return 'KILLED';
  return undefined;
}

/** A date the scheduler printed: ISO without a zone (SGE's -xml, local time) or "Thu Dec  3 14:13:24 2026" (qacct, PBS). */
export function parseSchedulerDate(text: string | undefined): Date | undefined {
  const t = (text ?? '').trim();
  if (!t || t === 'undefined' || t === '-/-') return undefined;
  const d = new Date(t.replace(/\s+/g, ' '));
  return Number.isNaN(d.getTime()) ? undefined : d;
}
