/**
 * One run folder of the file store (`<exp>/<run>/`): meta.yaml → RunInfo, params/ tags/
 * metrics/ → RunData. Metric files hold one point per line, `timestamp value step` (very old
 * stores omit the step).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Metric, Run, RunData, RunInfo } from '../mlflow/types';
import { keyPath, listFileKeys, metaNumber, metaString, readKeyValueDir, readMeta, MetaError, type Meta } from './storeFiles';
import * as l10n from '@vscode/l10n';

// mlflow.entities.RunStatus values as the file store writes them (ints).
const RUN_STATUS: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

export function runStatusName(value: unknown): string {
  if (typeof value === 'number') return RUN_STATUS[value] ?? String(value);
  if (typeof value === 'string') return /^\d+$/.test(value) ? (RUN_STATUS[Number(value)] ?? value) : value;
  return '';
}

export function runInfoFromMeta(meta: Meta, fallbackId: string): RunInfo {
  const id = metaString(meta, 'run_id') || metaString(meta, 'run_uuid') || fallbackId;
  return {
    run_id: id,
    run_uuid: metaString(meta, 'run_uuid') || id,
    experiment_id: metaString(meta, 'experiment_id'),
    run_name: metaString(meta, 'run_name'),
    user_id: metaString(meta, 'user_id'),
    status: runStatusName(meta.status),
    start_time: metaNumber(meta, 'start_time'),
    end_time: metaNumber(meta, 'end_time'),
    artifact_uri: metaString(meta, 'artifact_uri'),
    lifecycle_stage: metaString(meta, 'lifecycle_stage') || 'active',
  };
}

/** RunInfo of a run folder; undefined when the folder is no run (no meta.yaml). */
export async function readRunInfo(runDir: string): Promise<RunInfo | undefined> {
  const meta = await readMeta(path.join(runDir, 'meta.yaml'));
  return meta === undefined ? undefined : runInfoFromMeta(meta, path.basename(runDir));
}

/** Python writes floats as repr(): nan, inf, -inf besides ordinary numbers. */
export function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return Number.NaN;
  if (t === 'inf' || t === 'infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(t);
}

export function parseMetricFile(key: string, text: string, file: string): Metric[] {
  const points: Metric[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length < 2 || fields.length > 3) throw new MetaError(file, l10n.t('malformed metric line "{0}"', line.trim()));
    points.push({ key, timestamp: Number(fields[0]), value: parseFloatText(fields[1]!), step: fields[2] === undefined ? 0 : Number(fields[2]) });
  }
  return points;
}

/** MLflow's "latest" value: the greatest (step, timestamp, value), not the last line. */
export function latestPoint(points: readonly Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const p of points) {
    if (
      best === undefined ||
      p.step > best.step ||
      (p.step === best.step && (p.timestamp > best.timestamp || (p.timestamp === best.timestamp && p.value > best.value)))
    ) {
      best = p;
    }
  }
  return best;
}

/** Full history of one metric; undefined when the run never logged it. */
export async function readMetricHistory(runDir: string, key: string): Promise<Metric[] | undefined> {
  const file = keyPath(path.join(runDir, 'metrics'), key);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseMetricFile(key, text, file);
}

export async function readLatestMetrics(runDir: string): Promise<Metric[]> {
  const keys = await listFileKeys(path.join(runDir, 'metrics'));
  const latest = await Promise.all(keys.map(async (key) => latestPoint((await readMetricHistory(runDir, key)) ?? [])));
  return latest.filter((m): m is Metric => m !== undefined);
}

export async function readRunData(runDir: string): Promise<RunData> {
  const [metrics, params, tags] = await Promise.all([
    readLatestMetrics(runDir),
    readKeyValueDir(path.join(runDir, 'params')),
    readKeyValueDir(path.join(runDir, 'tags')),
  ]);
  return { metrics, params, tags };
}

/** The whole Run DTO (the file store has no dataset inputs folder in the layout we read). */
export async function readRun(runDir: string, info: RunInfo): Promise<Run> {
  const data = await readRunData(runDir);
  // MLflow < 2.? stored the name only as a tag: fill run_name from it as the server does.
  const runName = info.run_name || data.tags.find((t) => t.key === 'mlflow.runName')?.value || '';
  return { info: { ...info, run_name: runName }, data, inputs: { dataset_inputs: [] }, outputs: { model_outputs: [] } };
}
