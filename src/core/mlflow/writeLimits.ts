/**
 * MLflow's own checks on what a write may carry (mlflow/utils/validation.py of 2.14.3 and 3.6),
 * done here before any request so a bad key or an over-long value gets a clear sentence and the
 * server sees nothing. Limits that differ between versions are given for both; a value is held
 * to the smaller one unless the caller knows the server's major version.
 */
import * as l10n from '@vscode/l10n';
import { MlflowError } from './errors';

export type TagTarget = 'run' | 'experiment' | 'registeredModel' | 'modelVersion';

/** MAX_ENTITY_KEY_LENGTH, MAX_EXPERIMENT_TAG_KEY_LENGTH, MAX_MODEL_REGISTRY_TAG_KEY_LENGTH: all 250. */
export const MAX_TAG_KEY_LENGTH = 250;
export const MAX_ALIAS_LENGTH = 255;
/** MAX_EXPERIMENT_NAME_LENGTH of 3.x (2.14.3 does not check; the same bound is kept for it). */
export const MAX_EXPERIMENT_NAME_LENGTH = 500;

/** Longest tag value per target and server generation (MAX_TAG_VAL_LENGTH & co.). */
const MAX_TAG_VALUE: Record<TagTarget, { v2: number; v3: number }> = {
  run: { v2: 5000, v3: 8000 },
  experiment: { v2: 5000, v3: 5000 },
  registeredModel: { v2: 5000, v3: 100_000 },
  modelVersion: { v2: 5000, v3: 100_000 },
};

export function maxTagValueLength(target: TagTarget, major: number | undefined): number {
  const limits = MAX_TAG_VALUE[target];
  if (major === undefined) return Math.min(limits.v2, limits.v3);
  return major >= 3 ? limits.v3 : limits.v2;
}

/** _VALID_PARAM_AND_METRIC_NAMES: alphanumerics, _, -, ., space and /. */
const TAG_KEY = /^[/\w.\- ]*$/u;
/** _REGISTERED_MODEL_ALIAS_REGEX and the version-like names MLflow reserves. */
const ALIAS = /^[\w-]*$/u;
const VERSION_ALIAS = /^[vV]\d+$/;

/** MLflow's path_not_unique: a key must not be a path that normalises to something else. */
function pathNotUnique(key: string): boolean {
  const parts = key.split('/');
  return key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..');
}

/** System tags (`mlflow.runName`, `mlflow.note.content`, …) belong to MLflow and its UI. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('mlflow.');
}

export function tagKeyProblem(key: string, options: { allowSystem?: boolean } = {}): string | undefined {
  if (key.trim() === '') return l10n.t('A tag key cannot be empty.');
  if (key.length > MAX_TAG_KEY_LENGTH) return l10n.t('A tag key can have at most {0} characters (this one has {1}).', MAX_TAG_KEY_LENGTH, key.length);
  if (!TAG_KEY.test(key)) return l10n.t('A tag key may contain only letters, digits, underscores (_), dashes (-), periods (.), spaces and slashes (/).');
  if (pathNotUnique(key)) return l10n.t('A tag key cannot start with a slash or contain empty, "." or ".." parts.');
  if (isSystemTag(key) && !options.allowSystem) {
    return l10n.t('Tags starting with "mlflow." are system tags that MLflow itself sets: turn on the setting mlwf.showSystemTags to change them.');
  }
  return undefined;
}

export function tagValueProblem(target: TagTarget, value: string, major: number | undefined): string | undefined {
  const max = maxTagValueLength(target, major);
  return value.length > max ? l10n.t('A tag value can have at most {0} characters on this server (this one has {1}).', max, value.length) : undefined;
}

export function aliasProblem(alias: string): string | undefined {
  if (alias === '') return l10n.t('An alias cannot be empty.');
  if (alias.length > MAX_ALIAS_LENGTH) return l10n.t('An alias can have at most {0} characters (this one has {1}).', MAX_ALIAS_LENGTH, alias.length);
  if (!ALIAS.test(alias)) return l10n.t('An alias may contain only letters, digits, underscores (_) and dashes (-).');
  if (alias.toLowerCase() === 'latest') return l10n.t('"latest" is reserved by MLflow and cannot be an alias.');
  if (VERSION_ALIAS.test(alias)) return l10n.t('"{0}" looks like a version number (v1, v2, …), which MLflow reserves.', alias);
  return undefined;
}

export function experimentNameProblem(name: string): string | undefined {
  if (name.trim() === '') return l10n.t('An experiment name cannot be empty.');
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) return l10n.t('An experiment name can have at most {0} characters.', MAX_EXPERIMENT_NAME_LENGTH);
  return undefined;
}

export function modelNameProblem(name: string): string | undefined {
  if (name.trim() === '') return l10n.t('A model name cannot be empty.');
  if (name !== name.trim()) return l10n.t('A model name cannot start or end with spaces.');
  if (name.includes('/') || name.includes(':')) return l10n.t('A model name cannot contain "/" or ":" (they would break models:/ URIs).');
  if (name.length > MAX_TAG_KEY_LENGTH) return l10n.t('A model name can have at most {0} characters.', MAX_TAG_KEY_LENGTH);
  return undefined;
}

export function runNameProblem(name: string, major: number | undefined): string | undefined {
  if (name.trim() === '') return l10n.t('A run name cannot be empty.');
  // The name is stored as the mlflow.runName tag too, so a run tag's limit holds.
  return tagValueProblem('run', name, major);
}

/** Throws the problem (if any) as the error every write rejects bad input with. */
export function rejectIf(problem: string | undefined): void {
  if (problem !== undefined) throw new MlflowError({ kind: 'invalidParameter', userMessage: problem });
}
