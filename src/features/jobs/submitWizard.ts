// The questions of "Run on a Compute Node…" as one multi-step input: the experiment, then the job
// settings the workspace has not remembered yet. A preset (Resubmit) or remembered, valid settings
// leave their steps out, and the step count says how many are left. The answers are remembered
// (last experiment, job settings) only once every step is answered: Escape changes nothing.
import * as vscode from 'vscode';
import type { JobSettings } from '../../core/container/siteProfiles';
import type { MlflowClient } from '../../core/mlflow';
import { jobSettingsProblem, type JobProfile } from '../../core/scheduler/profiles';
import { jobDraft, jobSettingStep } from './jobSettingSteps';
import { rememberedJob, rememberJob } from './jobSettings';
import { runSteps, type Step, type StepItem } from './multiStepInput';
import { settledJob, submitStepIds } from './submitSteps';

const LAST_EXPERIMENT = 'mlwf.jobs.lastExperiment';

export interface Experiment {
  readonly id: string;
  readonly name: string;
}

export interface SubmitQuestions {
  readonly client: Pick<MlflowClient, 'searchExperimentsPage'>;
  readonly memento: vscode.Memento;
  readonly profile: JobProfile;
  readonly scriptName: string;
  readonly experiment?: Experiment;
  readonly job?: JobSettings;
}

/** The experiment and job settings, asked where no preset gives them; undefined when cancelled or the listing failed (said). */
export async function askSubmission(q: SubmitQuestions): Promise<{ experiment: Experiment; job: JobSettings } | undefined> {
  const known = rememberedJob(q.memento, q.profile);
  const settled = settledJob(q.profile, q.job, known);
  const ids = submitStepIds(q.profile, !!q.experiment, settled);
  const draft = jobDraft(q.profile, known);
  let experiment = q.experiment;
  const listing = new AbortController();
  const steps = ids.map((id): Step => (id === 'experiment' ? experimentStep(q, listing.signal, (e) => (experiment = e)) : jobSettingStep(id, q.profile, draft)!));
  let answered: boolean;
  try {
    answered = await runSteps(vscode.l10n.t('Run {0} on {1}', q.scriptName, q.profile.title), steps);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not list the experiments: {0}', (e as Error).message));
    return undefined;
  } finally {
    // Escape while the experiments load: the listing is not needed any more.
    listing.abort();
  }
  if (!answered || !experiment) return undefined;
  // A preset (Resubmit) is submitted as it was; what was asked is checked once more, then remembered.
  const job = settled ?? { ...draft };
  if (!settled && jobSettingsProblem(q.profile, job)) return undefined;
  if (!q.experiment) await q.memento.update(LAST_EXPERIMENT, experiment.id);
  if (!settled) await rememberJob(q.memento, q.profile, job);
  return { experiment, job };
}

function experimentStep(q: SubmitQuestions, signal: AbortSignal, choose: (e: Experiment) => void): Step {
  const last = q.memento.get<string>(LAST_EXPERIMENT);
  let loaded: Promise<StepItem[]> | undefined;
  let names = new Map<string, string>();
  // Listed once: going Back to this step shows the same list without asking the server again.
  const list = async () => {
    const page = await q.client.searchExperimentsPage({ maxResults: 500 }, { signal });
    const items = page.experiments
      .map((e) => ({ label: e.name, description: `#${e.experiment_id}`, value: e.experiment_id }))
      .sort((a, b) => Number(b.value === last) - Number(a.value === last));
    names = new Map(items.map((i) => [i.value, i.label]));
    return items;
  };
  return {
    kind: 'pick',
    placeholder: vscode.l10n.t('Experiment the job logs to'),
    items: () => (loaded ??= list()),
    initial: last,
    accept: (id) => choose({ id, name: names.get(id) ?? id }),
  };
}
