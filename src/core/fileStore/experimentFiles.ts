/**
 * Experiment folders of the file store: `<root>/<id>/meta.yaml` (+ `tags/`) for active ones,
 * `<root>/.trash/<id>/` for deleted ones. A folder whose meta.yaml cannot be read is not
 * dropped silently: it becomes a StoreProblem the UI can show next to the readable experiments.
 */
import * as path from 'node:path';
import type { Experiment } from '../mlflow/types';
import { listEntries, metaNumber, metaString, readKeyValueDir, readMeta, MetaError } from './storeFiles';
import { RESERVED_FOLDERS } from './storePaths';
import * as l10n from '@vscode/l10n';

/** A folder of the store that looks like an item but cannot be read. */
export interface StoreProblem {
  kind: 'experiment' | 'run' | 'registeredModel' | 'modelVersion';
  /** The folder, relative to the store root with '/' separators (e.g. "3", ".trash/7"). */
  folder: string;
  /** The id the folder name suggests (experiment id, run id, model name). */
  id: string;
  /** One sentence for the tree / log, e.g. "invalid YAML: bad indentation … (line 3)". */
  message: string;
}

export interface ExperimentFolder {
  dir: string;
  experiment: Experiment;
}

export async function readExperiment(dir: string, folderName: string): Promise<Experiment | undefined> {
  const meta = await readMeta(path.join(dir, 'meta.yaml'));
  if (meta === undefined) return undefined;
  const id = metaString(meta, 'experiment_id') || folderName;
  const name = metaString(meta, 'name');
  if (name === '') throw new MetaError(path.join(dir, 'meta.yaml'), l10n.t('meta.yaml has no experiment name'));
  return {
    experiment_id: id,
    name,
    artifact_location: metaString(meta, 'artifact_location'),
    lifecycle_stage: metaString(meta, 'lifecycle_stage') || 'active',
    creation_time: metaNumber(meta, 'creation_time'),
    last_update_time: metaNumber(meta, 'last_update_time'),
    tags: await readKeyValueDir(path.join(dir, 'tags')),
  };
}

/** Every experiment folder (active and trashed) plus the unreadable ones as problems. */
export async function scanExperiments(root: string): Promise<{ folders: ExperimentFolder[]; problems: StoreProblem[] }> {
  const folders: ExperimentFolder[] = [];
  const problems: StoreProblem[] = [];
  const scan = async (parent: string, prefix: string, forcedStage?: string): Promise<void> => {
    const entries = (await listEntries(parent)).filter((e) => e.isDirectory() && !RESERVED_FOLDERS.has(e.name) && !e.name.startsWith('.'));
    await Promise.all(
      entries.map(async (entry) => {
        const dir = path.join(parent, entry.name);
        try {
          const experiment = await readExperiment(dir, entry.name);
          if (experiment === undefined) return; // not an experiment folder (e.g. a stray dir)
          // MLflow moves deleted experiments to .trash and marks them deleted; trust the folder.
          folders.push({ dir, experiment: forcedStage ? { ...experiment, lifecycle_stage: forcedStage } : experiment });
        } catch (e) {
          problems.push({ kind: 'experiment', folder: `${prefix}${entry.name}`, id: entry.name, message: (e as Error).message });
        }
      }),
    );
  };
  await Promise.all([scan(root, ''), scan(path.join(root, '.trash'), '.trash/', 'deleted')]);
  return { folders, problems: problems.sort((a, b) => a.folder.localeCompare(b.folder)) };
}
