// What the explorer needs from "a place where MLflow runs live": a tracking server (REST) or a
// local `mlruns/` file store. Declared as the subset of MlflowClient the views use, so the REST
// client is a backend as it is and the file store answers in the same shapes (same DTOs, same
// paging tokens semantics, same MlflowError kinds) — the views never ask which one they have.
import type { MlflowClient } from '../mlflow/client';

export type TrackingBackend = Pick<
  MlflowClient,
  | 'searchExperimentsPage'
  | 'getExperiment'
  | 'searchRunsPage'
  | 'getRun'
  | 'getMetricHistory'
  | 'getMetricHistoryBulkInterval'
  | 'listArtifacts'
  | 'downloadRunArtifact'
  | 'searchRegisteredModelsPage'
  | 'getRegisteredModel'
  | 'searchModelVersionsPage'
  | 'getModelVersion'
>;

/** Where the backend's data comes from, for labels and for "Open in MLflow UI" (REST only). */
export type BackendOrigin = { readonly kind: 'rest'; readonly trackingUri: string } | { readonly kind: 'file'; readonly root: string };

/** A part of a store that could not be read (a local store's malformed meta.yaml, say). */
export interface BackendProblem {
  readonly kind: 'experiment' | 'run' | 'registeredModel' | 'modelVersion';
  readonly folder: string;
  readonly message: string;
}

/** Optional capability: backends that can skip unreadable parts say which ones they skipped. */
export interface ReportsProblems {
  problems(): Promise<BackendProblem[]>;
}

export function reportsProblems(backend: object): backend is ReportsProblems {
  return typeof (backend as Partial<ReportsProblems>).problems === 'function';
}
