// Where builds and servers run, per site. ABCI 3.0 schedules with PBS Professional, ABCI 2.0 with
// Grid Engine, other clusters with plain Grid Engine (no ABCI group or resource types: a plain
// cell rejects -g); anywhere else ("generic") runs on this machine. Values from the ABCI user guides.

export type SiteProfileId = 'abci3' | 'abci2' | 'gridengine' | 'generic';
export const SITE_PROFILES: readonly SiteProfileId[] = ['abci3', 'abci2', 'gridengine', 'generic'];

export interface SiteProfile {
  readonly id: SiteProfileId;
  readonly scheduler: 'pbs' | 'sge' | 'none';
  /** Whether jobs are charged to a group (ABCI's -P / -g); a plain cell has no such option. */
  readonly usesGroup: boolean;
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
    usesGroup: true,
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
    usesGroup: true,
    localDirVariable: 'SGE_LOCALDIR',
    moduleLoad: 'singularitypro',
    defaultResource: 'rt_C.small',
    defaultWalltime: '1:00:00',
    resources: ['rt_C.small', 'rt_C.large', 'rt_G.small', 'rt_F'],
  },
  gridengine: {
    id: 'gridengine',
    scheduler: 'sge',
    usesGroup: false,
    localDirVariable: 'TMPDIR',
    // Whatever the cell needs (a module, a PATH) is the cell's business: singularity or apptainer on PATH.
    moduleLoad: '',
    // The "resource" of a plain cell is an optional queue name (empty: the cell chooses).
    defaultResource: '',
    defaultWalltime: '1:00:00',
    resources: [],
  },
  generic: {
    id: 'generic',
    scheduler: 'none',
    usesGroup: false,
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
  if (profile.usesGroup && !/^[A-Za-z0-9_.-]+$/.test(job.group)) return 'The ABCI group is a name like gaa50000 (letters, digits, _ . -).';
  if (profile.usesGroup ? !/^[A-Za-z0-9_.=-]+$/.test(job.resource) : !/^[A-Za-z0-9_.@-]*$/.test(job.resource)) return 'The resource type is a name like rt_HF or rt_C.small.';
  if (!/^\d{1,3}:\d{2}:\d{2}$/.test(job.walltime)) return 'The wall time is H:MM:SS, e.g. 1:00:00.';
  return undefined;
}
