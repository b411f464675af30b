/**
 * Writes to the tracking side of MLflow: experiments and runs (create, rename, tags, notes,
 * delete, restore). Each method checks its input with MLflow's own rules first, then makes exactly
 * the one REST call it needs, the way every write does (writeRequests.ts).
 */
import * as l10n from '@vscode/l10n';
import { MlflowError } from './errors';
import type { CallOptions, MlflowHttp } from './http';
import * as n from './normalize';
import { checkTagValue, WriteRequests, type Capabilities, type TagOptions } from './writeRequests';
import { experimentNameProblem, rejectIf, runNameProblem, tagKeyProblem } from './writeLimits';

export { checkTagValue, type Capabilities, type TagOptions } from './writeRequests';

/** Where MLflow (and its UI) keep the Markdown note of a run or an experiment. */
export const NOTE_TAG = 'mlflow.note.content';

export class TrackingWrites {
  private readonly send: WriteRequests;

  constructor(http: MlflowHttp, capabilities: Capabilities) {
    this.send = new WriteRequests(http, capabilities);
  }

  // --- experiments ----------------------------------------------------------------------------

  /** A new experiment; resolves with its id. */
  async createExperiment(name: string, options: CallOptions = {}): Promise<string> {
    rejectIf(experimentNameProblem(name));
    const raw = await this.send.post('experiments/create', { name }, options);
    return n.str(n.asObject(raw).experiment_id);
  }

  async renameExperiment(experimentId: string, newName: string, options: CallOptions = {}): Promise<void> {
    rejectIf(experimentNameProblem(newName));
    await this.send.post('experiments/update', { experiment_id: experimentId, new_name: newName }, options);
  }

  async deleteExperiment(experimentId: string, options: CallOptions = {}): Promise<void> {
    await this.send.post('experiments/delete', { experiment_id: experimentId }, options);
  }

  async restoreExperiment(experimentId: string, options: CallOptions = {}): Promise<void> {
    await this.send.post('experiments/restore', { experiment_id: experimentId }, options);
  }

  async setExperimentTag(experimentId: string, key: string, value: string, options: TagOptions = {}): Promise<void> {
    await this.send.checkTag('experiment', key, value, options);
    await this.send.post('experiments/set-experiment-tag', { experiment_id: experimentId, key, value }, options);
  }

  /** MLflow 2.x has no route for this (added in 3.0): refused without a request there. */
  async deleteExperimentTag(experimentId: string, key: string, options: TagOptions = {}): Promise<void> {
    rejectIf(tagKeyProblem(key, options));
    const { major } = await this.send.capabilities(options);
    if (major !== undefined && major < 3) {
      throw new MlflowError({
        kind: 'invalidParameter',
        userMessage: l10n.t('MLflow {0} cannot delete experiment tags (MLflow 3 can): set the tag to an empty value instead.', String(major)),
      });
    }
    await this.send.post('experiments/delete-experiment-tag', { experiment_id: experimentId, key }, options);
  }

  /** The experiment's description, as the MLflow UI keeps it. */
  setExperimentNote(experimentId: string, text: string, options: CallOptions = {}): Promise<void> {
    return this.setExperimentTag(experimentId, NOTE_TAG, text, { ...options, allowSystem: true });
  }

  // --- runs -------------------------------------------------------------------------------------

  /** runs/update with run_name: the server updates the mlflow.runName tag with it. */
  async renameRun(runId: string, newName: string, options: CallOptions = {}): Promise<void> {
    if (newName.trim() === '') rejectIf(runNameProblem(newName, undefined));
    await checkTagValue(this.send.capabilities, 'run', newName, options);
    await this.send.post('runs/update', { run_id: runId, run_name: newName }, options);
  }

  async deleteRun(runId: string, options: CallOptions = {}): Promise<void> {
    await this.send.post('runs/delete', { run_id: runId }, options);
  }

  async restoreRun(runId: string, options: CallOptions = {}): Promise<void> {
    await this.send.post('runs/restore', { run_id: runId }, options);
  }

  async setRunTag(runId: string, key: string, value: string, options: TagOptions = {}): Promise<void> {
    await this.send.checkTag('run', key, value, options);
    await this.send.post('runs/set-tag', { run_id: runId, key, value }, options);
  }

  async deleteRunTag(runId: string, key: string, options: TagOptions = {}): Promise<void> {
    rejectIf(tagKeyProblem(key, options));
    await this.send.post('runs/delete-tag', { run_id: runId, key }, options);
  }

  /** The run's note (its Description in the MLflow UI). */
  setRunNote(runId: string, text: string, options: CallOptions = {}): Promise<void> {
    return this.setRunTag(runId, NOTE_TAG, text, { ...options, allowSystem: true });
  }
}
