/**
 * Writes to MLflow's model registry: registered models and versions (descriptions, tags,
 * aliases, stages) and new versions. Input is checked first with MLflow's rules; each method
 * then makes the one call it needs (writeRequests.ts: PATCH for updates, DELETE with a JSON body).
 */
import * as l10n from '@vscode/l10n';
import { MlflowError } from './errors';
import type { CallOptions, MlflowHttp } from './http';
import * as n from './normalize';
import type { ModelVersion, RegisteredModel } from './types';
import { WriteRequests, type Capabilities, type TagOptions } from './writeRequests';
import { aliasProblem, modelNameProblem, rejectIf, tagKeyProblem } from './writeLimits';

/** The stages MLflow 2.x knows (deprecated since 2.9 in favour of aliases). */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export interface NewModelVersion {
  name: string;
  /** MLflow 2: the run folder's URI (`mlflow-artifacts:/…/artifacts/model`); MLflow 3: `models:/m-…`. */
  source: string;
  runId?: string;
  /** MLflow 3's logged model id (`m-…`). */
  modelId?: string;
  description?: string;
}

export class RegistryWrites {
  private readonly send: WriteRequests;

  constructor(http: MlflowHttp, capabilities: Capabilities) {
    this.send = new WriteRequests(http, capabilities);
  }

  // --- registered models ----------------------------------------------------------------------

  async createRegisteredModel(name: string, options: CallOptions & { description?: string } = {}): Promise<RegisteredModel> {
    rejectIf(modelNameProblem(name));
    const raw = await this.send.post('registered-models/create', { name, description: options.description }, options);
    return n.registeredModel(n.asObject(raw).registered_model);
  }

  async setRegisteredModelDescription(name: string, description: string, options: CallOptions = {}): Promise<void> {
    await this.send.patch('registered-models/update', { name, description }, options);
  }

  async setRegisteredModelTag(name: string, key: string, value: string, options: TagOptions = {}): Promise<void> {
    await this.send.checkTag('registeredModel', key, value, options);
    await this.send.post('registered-models/set-tag', { name, key, value }, options);
  }

  async deleteRegisteredModelTag(name: string, key: string, options: TagOptions = {}): Promise<void> {
    rejectIf(tagKeyProblem(key, options));
    await this.send.delete('registered-models/delete-tag', { name, key }, options);
  }

  // --- aliases ----------------------------------------------------------------------------------

  /** Points `alias` at `version`; an alias on another version moves (MLflow keeps one per model). */
  async setAlias(name: string, alias: string, version: string, options: CallOptions = {}): Promise<void> {
    rejectIf(aliasProblem(alias));
    await this.send.post('registered-models/alias', { name, alias, version }, options);
  }

  async deleteAlias(name: string, alias: string, options: CallOptions = {}): Promise<void> {
    rejectIf(aliasProblem(alias));
    await this.send.delete('registered-models/alias', { name, alias }, options);
  }

  // --- versions ---------------------------------------------------------------------------------

  async setModelVersionDescription(name: string, version: string, description: string, options: CallOptions = {}): Promise<void> {
    await this.send.patch('model-versions/update', { name, version, description }, options);
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string, options: TagOptions = {}): Promise<void> {
    await this.send.checkTag('modelVersion', key, value, options);
    await this.send.post('model-versions/set-tag', { name, version, key, value }, options);
  }

  async deleteModelVersionTag(name: string, version: string, key: string, options: TagOptions = {}): Promise<void> {
    rejectIf(tagKeyProblem(key, options));
    await this.send.delete('model-versions/delete-tag', { name, version, key }, options);
  }

  /** A new version; it starts PENDING_REGISTRATION (see waitUntilReady in registerModel.ts). */
  async createModelVersion(spec: NewModelVersion, options: CallOptions = {}): Promise<ModelVersion> {
    rejectIf(modelNameProblem(spec.name));
    const raw = await this.send.post(
      'model-versions/create',
      { name: spec.name, source: spec.source, run_id: spec.runId, model_id: spec.modelId, description: spec.description },
      options,
    );
    return n.modelVersion(n.asObject(raw).model_version);
  }

  /**
   * Stages exist only on MLflow 2 servers (deprecated there; MLflow 3 dropped them from its UI):
   * refused without a request elsewhere.
   */
  async transitionStage(name: string, version: string, stage: ModelStage, options: CallOptions & { archiveExisting?: boolean } = {}): Promise<ModelVersion> {
    if (!(MODEL_STAGES as readonly string[]).includes(stage)) {
      throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('"{0}" is not an MLflow stage.', stage) });
    }
    const { major } = await this.send.capabilities(options);
    if (major === undefined || major >= 3) {
      throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('This MLflow server has no model stages: use aliases instead.') });
    }
    const raw = await this.send.post(
      'model-versions/transition-stage',
      { name, version, stage, archive_existing_versions: options.archiveExisting ?? false },
      options,
    );
    return n.modelVersion(n.asObject(raw).model_version);
  }
}
