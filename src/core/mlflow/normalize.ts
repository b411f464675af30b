/**
 * Turns raw JSON from any MLflow version into the DTOs of types.ts: omitted lists become [],
 * int64 fields sent as strings become numbers, missing strings become ''. Consumers never need
 * `?? []` or `Number(...)` themselves.
 */
import type {
  ArtifactListing,
  BulkIntervalPoint,
  DatasetInput,
  Experiment,
  FileInfo,
  KeyValue,
  LoggedModel,
  LoggedModelMetric,
  Metric,
  ModelOutput,
  ModelVersion,
  RegisteredModel,
  RegisteredModelAlias,
  Run,
  RunInfo,
} from './types';

type Json = Record<string, unknown>;

export function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function asList<T>(value: unknown, item: (raw: unknown) => T): T[] {
  return Array.isArray(value) ? value.map(item) : [];
}

export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

export function optStr(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : str(value);
}

/** int64 / double that may be a JSON number or a string ("1700000000000", "NaN", "Infinity"). */
export function optNum(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (!Number.isNaN(parsed) || value.trim() === 'NaN') return parsed;
  }
  return undefined;
}

export function num(value: unknown): number {
  return optNum(value) ?? 0;
}

export function keyValue(raw: unknown): KeyValue {
  const o = asObject(raw);
  return { key: str(o.key), value: str(o.value) };
}

export function experiment(raw: unknown): Experiment {
  const o = asObject(raw);
  return {
    experiment_id: str(o.experiment_id),
    name: str(o.name),
    artifact_location: str(o.artifact_location),
    lifecycle_stage: str(o.lifecycle_stage) || 'active',
    creation_time: optNum(o.creation_time),
    last_update_time: optNum(o.last_update_time),
    tags: asList(o.tags, keyValue),
  };
}

export function metric(raw: unknown): Metric {
  const o = asObject(raw);
  return { key: str(o.key), value: optNum(o.value) ?? Number.NaN, timestamp: num(o.timestamp), step: num(o.step) };
}

/** One object literal, no spread: a chart's answer holds 50,000 of these. */
export function bulkIntervalPoint(raw: unknown): BulkIntervalPoint {
  const o = asObject(raw);
  return { key: str(o.key), value: optNum(o.value) ?? Number.NaN, timestamp: num(o.timestamp), step: num(o.step), run_id: str(o.run_id) };
}

export function runInfo(raw: unknown): RunInfo {
  const o = asObject(raw);
  const id = str(o.run_id) || str(o.run_uuid);
  return {
    run_id: id,
    run_uuid: str(o.run_uuid) || id,
    experiment_id: str(o.experiment_id),
    run_name: str(o.run_name),
    user_id: str(o.user_id),
    status: str(o.status),
    start_time: optNum(o.start_time),
    end_time: optNum(o.end_time),
    artifact_uri: str(o.artifact_uri),
    lifecycle_stage: str(o.lifecycle_stage) || 'active',
  };
}

function datasetInput(raw: unknown): DatasetInput {
  const o = asObject(raw);
  const d = asObject(o.dataset);
  return {
    tags: asList(o.tags, keyValue),
    dataset: {
      name: str(d.name),
      digest: str(d.digest),
      source_type: str(d.source_type),
      source: str(d.source),
      schema: optStr(d.schema),
      profile: optStr(d.profile),
    },
  };
}

export function run(raw: unknown): Run {
  const o = asObject(raw);
  const data = asObject(o.data);
  return {
    info: runInfo(o.info),
    data: {
      metrics: asList(data.metrics, metric),
      params: asList(data.params, keyValue),
      tags: asList(data.tags, keyValue),
    },
    inputs: { dataset_inputs: asList(asObject(o.inputs).dataset_inputs, datasetInput) },
    // MLflow 3 always sends `outputs` ({} when empty); MLflow 2 never does.
    outputs: { model_outputs: asList(asObject(o.outputs).model_outputs, modelOutput) },
  };
}

function modelOutput(raw: unknown): ModelOutput {
  const o = asObject(raw);
  return { model_id: str(o.model_id), step: num(o.step) };
}

function loggedModelMetric(raw: unknown): LoggedModelMetric {
  const o = asObject(raw);
  return { ...metric(raw), run_id: optStr(o.run_id), dataset_name: optStr(o.dataset_name), dataset_digest: optStr(o.dataset_digest) };
}

export function loggedModel(raw: unknown): LoggedModel {
  const o = asObject(raw);
  const info = asObject(o.info);
  const data = asObject(o.data);
  return {
    info: {
      model_id: str(info.model_id),
      experiment_id: str(info.experiment_id),
      name: str(info.name),
      creation_timestamp_ms: optNum(info.creation_timestamp_ms),
      last_updated_timestamp_ms: optNum(info.last_updated_timestamp_ms),
      artifact_uri: str(info.artifact_uri),
      status: str(info.status),
      status_message: optStr(info.status_message),
      model_type: optStr(info.model_type),
      source_run_id: optStr(info.source_run_id),
      tags: asList(info.tags, keyValue),
    },
    data: { params: asList(data.params, keyValue), metrics: asList(data.metrics, loggedModelMetric) },
  };
}

export function fileInfo(raw: unknown): FileInfo {
  const o = asObject(raw);
  return { path: str(o.path), is_dir: o.is_dir === true, file_size: optNum(o.file_size) };
}

export function artifactListing(raw: unknown): ArtifactListing {
  const o = asObject(raw);
  return { root_uri: optStr(o.root_uri), files: asList(o.files, fileInfo) };
}

export function modelVersion(raw: unknown): ModelVersion {
  const o = asObject(raw);
  return {
    name: str(o.name),
    version: str(o.version),
    creation_timestamp: optNum(o.creation_timestamp),
    last_updated_timestamp: optNum(o.last_updated_timestamp),
    user_id: optStr(o.user_id),
    current_stage: optStr(o.current_stage),
    description: optStr(o.description),
    source: str(o.source),
    run_id: optStr(o.run_id),
    run_link: optStr(o.run_link),
    status: optStr(o.status),
    status_message: optStr(o.status_message),
    tags: asList(o.tags, keyValue),
    aliases: asList(o.aliases, str),
  };
}

function alias(raw: unknown): RegisteredModelAlias {
  const o = asObject(raw);
  return { alias: str(o.alias), version: str(o.version) };
}

export function registeredModel(raw: unknown): RegisteredModel {
  const o = asObject(raw);
  return {
    name: str(o.name),
    creation_timestamp: optNum(o.creation_timestamp),
    last_updated_timestamp: optNum(o.last_updated_timestamp),
    user_id: optStr(o.user_id),
    description: optStr(o.description),
    latest_versions: asList(o.latest_versions, modelVersion),
    tags: asList(o.tags, keyValue),
    aliases: asList(o.aliases, alias),
  };
}

/** Page token as MLflow sends it: absent or "" both mean "last page". */
export function pageToken(raw: unknown): string | undefined {
  const token = asObject(raw).next_page_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
