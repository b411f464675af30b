/**
 * "Register Model": a run's model becomes a version of a registered model, new or existing, the
 * way the MLflow client's `register_model` does it — MLflow 2: the run folder holding an MLmodel,
 * registered with its underlying URI and the run id; MLflow 3: the logged model, registered as
 * `models:/m-…` with its model id. The new version starts PENDING_REGISTRATION; this waits until
 * the server says READY (or FAILED_REGISTRATION), cancellable.
 */
import * as l10n from '@vscode/l10n';
import { isMlflowError, MlflowError, cancelledError } from './errors';
import type { CallOptions } from './http';
import type { RegistryWrites } from './registryWrites';
import type { ModelVersion, RegisteredModel } from './types';
import { conflictError } from './writeErrors';
import { modelNameProblem, rejectIf } from './writeLimits';

export type ModelToRegister =
  /** MLflow 2: a folder of the run's artifacts (`runs:/RUN/model`). */
  | { readonly kind: 'runFolder'; readonly runId: string; readonly artifactUri: string; readonly path: string }
  /** MLflow 3: a logged model. */
  | { readonly kind: 'loggedModel'; readonly modelId: string };

export interface RegisterRequest {
  readonly model: ModelToRegister;
  readonly name: string;
  /** True: create the registered model (refused if the name exists); false: add a version to it. */
  readonly newModel: boolean;
}

export type RegisterPhase = 'creatingModel' | 'creatingVersion' | 'waiting';

export interface RegisterOptions extends CallOptions {
  onProgress?: (phase: RegisterPhase, version?: string) => void;
  /** Between two looks at the version's status (default 1000 ms). */
  pollMs?: number;
  /** How long to wait for READY (default 10 minutes). */
  timeoutMs?: number;
}

export interface RegisterClient {
  readonly registryWrites: Pick<RegistryWrites, 'createRegisteredModel' | 'createModelVersion'>;
  getRegisteredModel(name: string, options?: CallOptions): Promise<RegisteredModel>;
  getModelVersion(name: string, version: string, options?: CallOptions): Promise<ModelVersion>;
}

/** `runs:/RUN/path`'s underlying URI, as RunsArtifactRepository.get_underlying_uri builds it. */
export function runFolderSource(artifactUri: string, path: string): string {
  const clean = path.replace(/^\/+|\/+$/g, '');
  if (clean === '' || clean.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new MlflowError({ kind: 'invalidParameter', userMessage: l10n.t('"{0}" is not a folder of the run.', path) });
  }
  return `${artifactUri.replace(/\/+$/, '')}/${clean}`;
}

function versionSpec(name: string, model: ModelToRegister) {
  return model.kind === 'runFolder'
    ? { name, source: runFolderSource(model.artifactUri, model.path), runId: model.runId }
    : { name, source: `models:/${model.modelId}`, modelId: model.modelId };
}

export async function registerModel(client: RegisterClient, request: RegisterRequest, options: RegisterOptions = {}): Promise<ModelVersion> {
  const { name, model } = request;
  rejectIf(modelNameProblem(name));
  const spec = versionSpec(name, model); // checks the folder before any request
  const { signal } = options;
  if (request.newModel) {
    // Asked first so a taken name changes nothing (create would refuse it too, but the
    // message would be MLflow's, and a half-done "new model" must never be left behind).
    const existing = await client.getRegisteredModel(name, { signal }).catch((e: unknown) => {
      if (isMlflowError(e) && e.kind === 'notFound') return undefined;
      throw e;
    });
    if (existing) throw conflictError(l10n.t('A registered model named "{0}" already exists: choose another name, or add a version to it.', name));
    options.onProgress?.('creatingModel');
    await client.registryWrites.createRegisteredModel(name, { signal });
  }
  options.onProgress?.('creatingVersion');
  const created = await client.registryWrites.createModelVersion(spec, { signal });
  return waitUntilReady(client, created, options);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls model-versions/get until the version leaves PENDING_REGISTRATION. */
export async function waitUntilReady(client: Pick<RegisterClient, 'getModelVersion'>, version: ModelVersion, options: RegisterOptions = {}): Promise<ModelVersion> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let current = version;
  for (;;) {
    const status = current.status ?? 'READY';
    if (status === 'READY') return current;
    if (status === 'FAILED_REGISTRATION') {
      throw new MlflowError({
        kind: 'server',
        userMessage: l10n.t('MLflow could not register version {0} of "{1}": {2}', current.version, current.name, current.status_message || status),
      });
    }
    if (Date.now() > deadline) {
      throw new MlflowError({
        kind: 'timeout',
        userMessage: l10n.t('Version {0} of "{1}" is still {2}: look at it again later in the Models view.', current.version, current.name, status),
      });
    }
    options.onProgress?.('waiting', current.version);
    await sleep(options.pollMs ?? 1000, options.signal);
    current = await client.getModelVersion(current.name, current.version, { signal: options.signal });
  }
}
