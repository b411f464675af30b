// The four kinds of things a write acts on, taken from tree rows (a run, an experiment, a
// registered model, a version — or a Tags row below a run), and how each is redrawn afterwards:
// its fresh state is read once and only its own row is redrawn, never the whole view.
import type { KeyValue, MlflowClient, TagTarget } from '../../core/mlflow';
import { ExperimentNode } from '../explorer/experimentNode';
import { RunNode } from '../explorer/runNode';
import { ModelVersionNode, RegisteredModelNode } from '../models/modelNodes';
import type { ActionDeps } from './actionContext';

export type ActionTarget =
  | { readonly kind: 'run'; readonly node: RunNode }
  | { readonly kind: 'experiment'; readonly node: ExperimentNode }
  | { readonly kind: 'registeredModel'; readonly node: RegisteredModelNode }
  | { readonly kind: 'modelVersion'; readonly node: ModelVersionNode };

/** The row itself, or the run/experiment/model a detail row (Tags › key) belongs to. */
export function targetOf(node: unknown): ActionTarget | undefined {
  for (let n = node as { parent?: unknown } | undefined; n; n = n.parent as { parent?: unknown } | undefined) {
    if (n instanceof RunNode) return { kind: 'run', node: n };
    if (n instanceof ExperimentNode) return { kind: 'experiment', node: n };
    if (n instanceof ModelVersionNode) return { kind: 'modelVersion', node: n };
    if (n instanceof RegisteredModelNode) return { kind: 'registeredModel', node: n };
  }
  return undefined;
}

/** The clicked row's target and, when it is part of the selection, every selected one of its kind. */
export function targetsOf(node: unknown, selection: readonly unknown[] | undefined): ActionTarget[] {
  const clicked = targetOf(node);
  if (!clicked) return [];
  const selected = (selection ?? []).map(targetOf).filter((t): t is ActionTarget => t?.kind === clicked.kind);
  return selected.some((t) => t.node === clicked.node) ? [...new Map(selected.map((t) => [t.node.id, t])).values()] : [clicked];
}

export function tagTargetKind(target: ActionTarget): TagTarget {
  return target.kind;
}

export function tagsOf(target: ActionTarget): readonly KeyValue[] {
  switch (target.kind) {
    case 'run':
      return target.node.run.data.tags;
    case 'experiment':
      return target.node.experiment.tags;
    case 'registeredModel':
      return target.node.model.tags ?? [];
    case 'modelVersion':
      return target.node.version.tags ?? [];
  }
}

export function labelOf(target: ActionTarget): string {
  switch (target.kind) {
    case 'run':
      return target.node.run.info.run_name || target.node.run.info.run_id;
    case 'experiment':
      return target.node.experiment.name;
    case 'registeredModel':
      return target.node.model.name;
    case 'modelVersion':
      return `${target.node.version.name} v${target.node.version.version}`;
  }
}

export async function setTag(client: MlflowClient, target: ActionTarget, key: string, value: string, options: { signal?: AbortSignal; allowSystem: boolean }): Promise<void> {
  switch (target.kind) {
    case 'run':
      return client.trackingWrites.setRunTag(target.node.runId, key, value, options);
    case 'experiment':
      return client.trackingWrites.setExperimentTag(target.node.experimentId, key, value, options);
    case 'registeredModel':
      return client.registryWrites.setRegisteredModelTag(target.node.model.name, key, value, options);
    case 'modelVersion':
      return client.registryWrites.setModelVersionTag(target.node.version.name, target.node.version.version, key, value, options);
  }
}

export async function deleteTag(client: MlflowClient, target: ActionTarget, key: string, options: { signal?: AbortSignal; allowSystem: boolean }): Promise<void> {
  switch (target.kind) {
    case 'run':
      return client.trackingWrites.deleteRunTag(target.node.runId, key, options);
    case 'experiment':
      return client.trackingWrites.deleteExperimentTag(target.node.experimentId, key, options);
    case 'registeredModel':
      return client.registryWrites.deleteRegisteredModelTag(target.node.model.name, key, options);
    case 'modelVersion':
      return client.registryWrites.deleteModelVersionTag(target.node.version.name, target.node.version.version, key, options);
  }
}

/** Reads the target's new state and redraws its row (and, for registry rows, the model's rows). */
export async function redraw(deps: ActionDeps, client: MlflowClient, target: ActionTarget, signal?: AbortSignal): Promise<void> {
  switch (target.kind) {
    case 'run': {
      const fresh = await client.getRun(target.node.runId, { signal });
      // The node keeps its identity (expansion, selection, cached children): only its data changes.
      Object.assign(target.node.run.info, fresh.info);
      target.node.run.data = fresh.data;
      deps.experiments.refresh(target.node);
      for (const panel of deps.comparePanels?.() ?? []) panel.updateRun(target.node.run);
      return;
    }
    case 'experiment': {
      Object.assign(target.node.experiment, await client.getExperiment(target.node.experimentId, { signal }));
      deps.experiments.refresh(target.node);
      return;
    }
    case 'registeredModel':
      deps.models.updateModel(await client.getRegisteredModel(target.node.model.name, { signal }));
      return;
    case 'modelVersion':
      deps.models.updateModel(await client.getRegisteredModel(target.node.version.name, { signal }));
      return;
  }
}
