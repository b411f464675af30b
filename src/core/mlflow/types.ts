/**
 * MLflow DTOs. Field names are MLflow's own (snake_case) so objects compare 1:1 with recorded
 * server answers; after normalisation (normalize.ts) lists are always present (MLflow omits
 * empty ones) and int64 fields are numbers (some versions send them as strings).
 * Search pages keep MLflow's shape too ({experiments, next_page_token}). Types that are ours,
 * not MLflow's (download results, request parameters), use camelCase.
 */

export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface KeyValue {
  key: string;
  value: string;
}
export type ExperimentTag = KeyValue;
export type RunTag = KeyValue;
export type Param = KeyValue;
export type RegisteredModelTag = KeyValue;
export type ModelVersionTag = KeyValue;

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage | string;
  creation_time?: number;
  last_update_time?: number;
  tags: ExperimentTag[];
}

export interface Metric {
  key: string;
  /** NaN and ±Infinity arrive as the strings "NaN"/"Infinity" and are parsed back. */
  value: number;
  timestamp: number;
  step: number;
}
/** One point of metrics/get-history. */
export type MetricHistoryPoint = Metric;
/** One point of get-history-bulk-interval: which run it belongs to is included. */
export interface BulkIntervalPoint extends Metric {
  run_id: string;
}

export interface RunInfo {
  run_id: string;
  /** Deprecated alias of run_id kept by MLflow; filled from run_id when absent. */
  run_uuid: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: RunStatus | string;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage | string;
}

export interface RunData {
  /** Latest value per key only (runs/get and runs/search). */
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}
export interface DatasetInput {
  tags: KeyValue[];
  dataset: Dataset;
}
export interface RunInputs {
  dataset_inputs: DatasetInput[];
}

/** MLflow 3: the logged models a run produced (`outputs.model_outputs`); [] on MLflow 2. */
export interface ModelOutput {
  model_id: string;
  step: number;
}
export interface RunOutputs {
  model_outputs: ModelOutput[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: RunInputs;
  outputs: RunOutputs;
}

/** MLflow 3's LoggedModel (`m-…`): a model with its own artifact root, params and metrics. */
export interface LoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms?: number;
  last_updated_timestamp_ms?: number;
  /** Where its files are, e.g. `mlflow-artifacts:/1/models/m-…/artifacts`. */
  artifact_uri: string;
  /** LOGGED_MODEL_PENDING / LOGGED_MODEL_READY / LOGGED_MODEL_UPLOAD_FAILED. */
  status: string;
  status_message?: string;
  model_type?: string;
  source_run_id?: string;
  tags: KeyValue[];
}
export interface LoggedModelMetric extends Metric {
  run_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}
export interface LoggedModel {
  info: LoggedModelInfo;
  data: { params: Param[]; metrics: LoggedModelMetric[] };
}
export interface LoggedModelsPage extends Paged {
  models: LoggedModel[];
}

export interface FileInfo {
  /** Relative to the listed root (artifacts/list: full path from the run's artifact root). */
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ArtifactListing {
  root_uri?: string;
  files: FileInfo[];
}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  /** Deprecated stages (None/Staging/Production/Archived), still shown by servers < 3. */
  current_stage?: string;
  description?: string;
  source: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  status_message?: string;
  tags: ModelVersionTag[];
  /** Present in model-versions/get and registered-models/*; absent (so []) in search results. */
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  latest_versions: ModelVersion[];
  tags: RegisteredModelTag[];
  aliases: RegisteredModelAlias[];
}

export interface ModelVersionDownloadUri {
  artifact_uri: string;
}

/** Any search answer: `next_page_token` is absent on the last page. */
export interface Paged {
  next_page_token?: string;
}
export interface ExperimentsPage extends Paged {
  experiments: Experiment[];
}
export interface RunsPage extends Paged {
  runs: Run[];
}
export interface RegisteredModelsPage extends Paged {
  registered_models: RegisteredModel[];
}
export interface ModelVersionsPage extends Paged {
  model_versions: ModelVersion[];
}
