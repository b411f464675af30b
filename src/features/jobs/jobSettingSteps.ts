// The job settings as steps of a multi-step input (group, resource type or queue, wall time):
// shared by "Run on a Compute Node…" and "Set Job Settings…", so both ask the same way and check
// the same rules as the user types.
import * as vscode from 'vscode';
import type { JobSettings } from '../../core/container/siteProfiles';
import type { JobProfile } from '../../core/scheduler/profiles';
import type { Step } from './multiStepInput';
import { resourceChoices, type SubmitStepId } from './submitSteps';

/** The answers so far; steps read their first value from it and write theirs into it. */
export interface JobDraft {
  group: string;
  resource: string;
  walltime: string;
}

export function jobDraft(profile: JobProfile, known: JobSettings | undefined): JobDraft {
  return {
    group: known?.group ?? '',
    resource: known ? known.resource : profile.defaultResource,
    walltime: known?.walltime || profile.defaultWalltime,
  };
}

export const abciGroupProblem = (v: string): string | undefined => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : vscode.l10n.t('The ABCI group is a name like gaa50000 (letters, digits, _ . -).'));
const queueProblem = (v: string): string | undefined => (v === '' || /^[A-Za-z0-9_.@-]+$/.test(v) ? undefined : vscode.l10n.t('A queue is a name like all.q.'));
const walltimeProblem = (v: string): string | undefined => (/^\d{1,3}:\d{2}:\d{2}$/.test(v) ? undefined : vscode.l10n.t('The wall time is H:MM:SS, e.g. 1:00:00.'));

/** The step of one job-settings question; undefined for an id that is not a job setting. */
export function jobSettingStep(id: SubmitStepId, profile: JobProfile, draft: JobDraft): Step | undefined {
  switch (id) {
    case 'group':
      return { kind: 'input', prompt: vscode.l10n.t('ABCI group that is charged for the job (for example gaa50000)'), initial: draft.group, validate: abciGroupProblem, accept: (v) => (draft.group = v) };
    case 'resource': {
      // The list keeps its order when the step comes back: the type used last first.
      const choices = resourceChoices(profile, draft.resource).map((r) => ({ label: r, value: r }));
      return {
        kind: 'pick',
        placeholder: vscode.l10n.t('Resource type of the compute node'),
        items: () => choices,
        initial: draft.resource,
        accept: (v) => (draft.resource = v),
      };
    }
    case 'queue':
      return { kind: 'input', prompt: vscode.l10n.t('Queue (empty: the cell chooses)'), initial: draft.resource, validate: queueProblem, accept: (v) => (draft.resource = v) };
    case 'walltime':
      return { kind: 'input', prompt: vscode.l10n.t('Wall time of the job (H:MM:SS)'), initial: draft.walltime, validate: walltimeProblem, accept: (v) => (draft.walltime = v) };
    default:
      return undefined;
  }
}
