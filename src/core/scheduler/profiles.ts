// Where a training job runs, per site: ABCI 3.0 schedules with PBS Professional, ABCI 2.0 with
// (Univa) Grid Engine, other clusters with plain Grid Engine; "generic" runs the job on this
// machine. ABCI's words (-P/-g GROUP, rt_* resource types) are local additions, so a plain Grid
// Engine cell gets the standard options only (-l h_rt, no group).
import type { JobSettings } from '../container/siteProfiles';

export type JobProfileId = 'abci3' | 'abci2' | 'gridengine' | 'generic';
export const JOB_PROFILES: readonly JobProfileId[] = ['abci3', 'abci2', 'gridengine', 'generic'];
export type SchedulerKind = 'pbs' | 'sge' | 'none';

export interface JobProfile {
  readonly id: JobProfileId;
  readonly scheduler: SchedulerKind;
  readonly title: string;
  /** Whether jobs are charged to a group (ABCI's -P / -g); a plain cell has no such option. */
  readonly usesGroup: boolean;
  /** Whether a resource type is asked for (ABCI's rt_*; a queue name on a plain cell). */
  readonly resources: readonly string[];
  readonly defaultResource: string;
  readonly defaultWalltime: string;
  /** Node-local scratch space of a job. */
  readonly localDirVariable: string;
}

export const JOB_PROFILE_TABLE: Record<JobProfileId, JobProfile> = {
  abci3: { id: 'abci3', scheduler: 'pbs', title: 'ABCI 3.0 (PBS Professional)', usesGroup: true, resources: ['rt_HF', 'rt_HG', 'rt_HC'], defaultResource: 'rt_HF', defaultWalltime: '1:00:00', localDirVariable: 'PBS_LOCALDIR' },
  abci2: { id: 'abci2', scheduler: 'sge', title: 'ABCI 2.0 (Grid Engine)', usesGroup: true, resources: ['rt_C.small', 'rt_C.large', 'rt_G.small', 'rt_F'], defaultResource: 'rt_C.small', defaultWalltime: '1:00:00', localDirVariable: 'SGE_LOCALDIR' },
  gridengine: { id: 'gridengine', scheduler: 'sge', title: 'Grid Engine', usesGroup: false, resources: [], defaultResource: '', defaultWalltime: '1:00:00', localDirVariable: 'TMPDIR' },
  generic: { id: 'generic', scheduler: 'none', title: 'this machine (no scheduler)', usesGroup: false, resources: [], defaultResource: '', defaultWalltime: '', localDirVariable: 'TMPDIR' },
};

export function jobProfile(id: string): JobProfile {
  return JOB_PROFILE_TABLE[(JOB_PROFILES as readonly string[]).includes(id) ? (id as JobProfileId) : 'abci3'];
}

/** Checks what the user typed before it reaches a job script or qsub (argv anyway; this catches typos). Returns the problem, in English (callers translate). */
export function jobSettingsProblem(profile: JobProfile, job: JobSettings): string | undefined {
  if (profile.scheduler === 'none') return undefined;
  if (profile.usesGroup && !/^[A-Za-z0-9_.-]+$/.test(job.group)) return 'The ABCI group is a name like gaa50000 (letters, digits, _ . -).';
  if (job.resource !== '' && !/^[A-Za-z0-9_.=@-]+$/.test(job.resource)) return 'The resource type is a name like rt_HF or rt_C.small.';
  if (profile.usesGroup && job.resource === '') return 'The resource type is a name like rt_HF or rt_C.small.';
  if (!/^\d{1,3}:\d{2}:\d{2}$/.test(job.walltime)) return 'The wall time is H:MM:SS, e.g. 1:00:00.';
  return undefined;
}

/** H:MM:SS → seconds (undefined when it is not one). */
export function parseDuration(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec((text ?? '').trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
