// Where builds and servers run, per site. ABCI 3.0 schedules with PBS Professional, ABCI 2.0 with
// Grid Engine; anywhere else ("generic") runs on this machine. Values from the ABCI user guides.

export type SiteProfileId = 'abci3' | 'abci2' | 'generic';
export const SITE_PROFILES: readonly SiteProfileId[] = ['abci3', 'abci2', 'generic'];

export interface SiteProfile {
  readonly id: SiteProfileId;
  readonly scheduler: 'pbs' | 'sge' | 'none';
  /** Node-local scratch of a job: `--fakeroot` builds need SINGULARITY_TMPDIR there. */
  readonly localDirVariable: string;
  /** `module load …` before singularity is on PATH ('' when it already is). */
  readonly moduleLoad: string;
  readonly defaultResource: string;
  readonly defaultWalltime: string;
  /** Resource types offered in the quick pick (free entry allowed). */
  readonly resources: readonly string[];
}

export const PROFILES: Record<SiteProfileId, SiteProfile> = {
  abci3: {
    id: 'abci3',
    scheduler: 'pbs',
    localDirVariable: 'PBS_LOCALDIR',
    // SingularityCE is on ABCI 3.0's compute nodes without a module.
    moduleLoad: '',
    defaultResource: 'rt_HF',
    defaultWalltime: '1:00:00',
    resources: ['rt_HF', 'rt_HG', 'rt_HC'],
  },
  abci2: {
    id: 'abci2',
    scheduler: 'sge',
    localDirVariable: 'SGE_LOCALDIR',
    moduleLoad: 'singularitypro',
    defaultResource: 'rt_C.small',
    defaultWalltime: '1:00:00',
    resources: ['rt_C.small', 'rt_C.large', 'rt_G.small', 'rt_F'],
  },
  generic: {
    id: 'generic',
    scheduler: 'none',
    localDirVariable: 'TMPDIR',
    moduleLoad: '',
    defaultResource: '',
    defaultWalltime: '',
    resources: [],
  },
};

export function siteProfile(id: string): SiteProfile {
  return PROFILES[(SITE_PROFILES as readonly string[]).includes(id) ? (id as SiteProfileId) : 'abci3'];
}

/** Group, resource type and wall time of a job (asked once per workspace). */
export interface JobSettings {
  readonly group: string;
  readonly resource: string;
  readonly walltime: string;
}

/** Checks what the user typed before it reaches a job script (quoted anyway; this catches typos). */
export function validateJobSettings(profile: SiteProfile, job: JobSettings): string | undefined {
  if (profile.scheduler === 'none') return undefined;
  if (!/^[A-Za-z0-9_.-]+$/.test(job.group)) return 'The ABCI group is a name like gaa50000 (letters, digits, _ . -).';
  if (!/^[A-Za-z0-9_.=-]+$/.test(job.resource)) return 'The resource type is a name like rt_HF or rt_C.small.';
  if (!/^\d{1,3}:\d{2}:\d{2}$/.test(job.walltime)) return 'The wall time is H:MM:SS, e.g. 1:00:00.';
  return undefined;
}
