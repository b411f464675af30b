/**
 * The file store's model registry: `<root>/models/<name>/meta.yaml` (+ `tags/`, `aliases/<alias>`
 * holding a version number) and `<root>/models/<name>/version-<n>/meta.yaml` (+ `tags/`).
 * Versions MLflow deleted keep their folder with stage "Deleted_Internal" and are skipped.
 */
import * as path from 'node:path';
import type { ModelVersion, RegisteredModel, RegisteredModelAlias } from '../mlflow/types';
import type { StoreProblem } from './experimentFiles';
import { keyPath, listEntries, metaNumber, metaString, readKeyValueDir, readMeta, type Meta } from './storeFiles';

const DELETED_STAGE = 'Deleted_Internal';

export interface ModelFolder {
  dir: string;
  meta: Meta;
  aliases: RegisteredModelAlias[];
}

function optString(meta: Meta, field: string): string | undefined {
  return meta[field] === undefined || meta[field] === null ? undefined : metaString(meta, field);
}

export function modelDir(root: string, name: string): string | undefined {
  // A model name is one path segment on disk (MLflow forbids '/' in registered model names).
  return name.includes('/') ? undefined : keyPath(path.join(root, 'models'), name);
}

async function readAliases(dir: string): Promise<RegisteredModelAlias[]> {
  const kv = await readKeyValueDir(path.join(dir, 'aliases'));
  return kv.map((a) => ({ alias: a.key, version: a.value.trim() }));
}

export async function readModelFolder(dir: string): Promise<ModelFolder | undefined> {
  const meta = await readMeta(path.join(dir, 'meta.yaml'));
  if (meta === undefined) return undefined;
  return { dir, meta, aliases: await readAliases(dir) };
}

export async function readVersion(folder: ModelFolder, versionDir: string): Promise<ModelVersion | undefined> {
  const meta = await readMeta(path.join(versionDir, 'meta.yaml'));
  if (meta === undefined || metaString(meta, 'current_stage') === DELETED_STAGE) return undefined;
  const version = metaString(meta, 'version') || path.basename(versionDir).replace(/^version-/, '');
  return {
    name: metaString(meta, 'name') || metaString(folder.meta, 'name'),
    version,
    creation_timestamp: metaNumber(meta, 'creation_timestamp'),
    last_updated_timestamp: metaNumber(meta, 'last_updated_timestamp'),
    user_id: optString(meta, 'user_id'),
    current_stage: optString(meta, 'current_stage'),
    description: optString(meta, 'description'),
    source: metaString(meta, 'source'),
    run_id: optString(meta, 'run_id'),
    run_link: optString(meta, 'run_link'),
    status: optString(meta, 'status'),
    status_message: optString(meta, 'status_message'),
    tags: await readKeyValueDir(path.join(versionDir, 'tags')),
    aliases: folder.aliases.filter((a) => a.version === version).map((a) => a.alias),
  };
}

/** All live versions of a model, ascending by version number; unreadable ones as problems. */
export async function readVersions(folder: ModelFolder, problems?: StoreProblem[]): Promise<ModelVersion[]> {
  const entries = (await listEntries(folder.dir)).filter((e) => e.isDirectory() && /^version-\d+$/.test(e.name));
  const versions = await Promise.all(
    entries.map(async (e) => {
      try {
        return await readVersion(folder, path.join(folder.dir, e.name));
      } catch (err) {
        problems?.push({ kind: 'modelVersion', folder: `models/${path.basename(folder.dir)}/${e.name}`, id: e.name, message: (err as Error).message });
        return undefined;
      }
    }),
  );
  return versions.filter((v): v is ModelVersion => v !== undefined).sort((a, b) => Number(a.version) - Number(b.version));
}

/** MLflow's latest_versions: the newest version of each stage. */
function latestPerStage(versions: readonly ModelVersion[]): ModelVersion[] {
  const byStage = new Map<string, ModelVersion>();
  for (const v of versions) byStage.set(v.current_stage ?? 'None', v);
  // REST answers them without aliases (latest_versions is a summary).
  return [...byStage.values()].sort((a, b) => Number(a.version) - Number(b.version)).map((v) => ({ ...v, aliases: [] }));
}

export async function toRegisteredModel(folder: ModelFolder, versions?: readonly ModelVersion[]): Promise<RegisteredModel> {
  const meta = folder.meta;
  return {
    name: metaString(meta, 'name') || path.basename(folder.dir),
    creation_timestamp: metaNumber(meta, 'creation_timestamp'),
    last_updated_timestamp: metaNumber(meta, 'last_updated_timestamp'),
    user_id: optString(meta, 'user_id'),
    description: optString(meta, 'description'),
    latest_versions: latestPerStage(versions ?? (await readVersions(folder))),
    tags: await readKeyValueDir(path.join(folder.dir, 'tags')),
    aliases: folder.aliases,
  };
}

/** Every registered model folder, plus unreadable ones as problems. */
export async function scanModels(root: string): Promise<{ folders: ModelFolder[]; problems: StoreProblem[] }> {
  const problems: StoreProblem[] = [];
  const entries = (await listEntries(path.join(root, 'models'))).filter((e) => e.isDirectory());
  const folders = await Promise.all(
    entries.map(async (e) => {
      try {
        return await readModelFolder(path.join(root, 'models', e.name));
      } catch (err) {
        problems.push({ kind: 'registeredModel', folder: `models/${e.name}`, id: e.name, message: (err as Error).message });
        return undefined;
      }
    }),
  );
  return { folders: folders.filter((f): f is ModelFolder => f !== undefined), problems };
}
