// Which questions "Run on a Compute Node…" still has to ask: the experiment unless a preset names
// it (Resubmit), then the job settings unless a preset or the workspace's remembered, valid
// settings fill them. Plain TypeScript (no vscode), so the plan is tested in plain Node; the
// step count the quick input shows ("2/3") is this list's length.
import type { JobSettings } from '../../core/container/siteProfiles';
import { jobSettingsProblem, type JobProfile } from '../../core/scheduler/profiles';

/** `resource` picks one of ABCI's resource types; `queue` types an optional queue on a plain cell. */
export type SubmitStepId = 'experiment' | 'group' | 'resource' | 'queue' | 'walltime';

/** The questions of a profile's job settings, in the order they are asked. */
export function jobSettingStepIds(profile: JobProfile): SubmitStepId[] {
  if (profile.scheduler === 'none') return [];
  const steps: SubmitStepId[] = [];
  if (profile.usesGroup) steps.push('group');
  steps.push(profile.resources.length ? 'resource' : 'queue', 'walltime');
  return steps;
}

/**
 * The job settings nobody has to be asked for: the preset's, else the remembered ones while
 * they are still valid for the profile; a profile without a scheduler needs none.
 */
export function settledJob(profile: JobProfile, preset: JobSettings | undefined, remembered: JobSettings | undefined): JobSettings | undefined {
  if (preset) return preset;
  if (profile.scheduler === 'none') return { group: '', resource: '', walltime: '' };
  return remembered && !jobSettingsProblem(profile, remembered) ? remembered : undefined;
}

/** Every question left, in order: an empty list submits without asking anything. */
export function submitStepIds(profile: JobProfile, experimentKnown: boolean, job: JobSettings | undefined): SubmitStepId[] {
  return [...(experimentKnown ? [] : (['experiment'] as SubmitStepId[])), ...(job ? [] : jobSettingStepIds(profile))];
}

/** The resource types offered, the one used last (or the profile's default) first. */
export function resourceChoices(profile: JobProfile, known: string | undefined): string[] {
  return [...new Set([known || profile.defaultResource, ...profile.resources])].filter(Boolean);
}
