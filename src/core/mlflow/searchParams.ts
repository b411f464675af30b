/** Parameters of the client's search calls (ours, so camelCase; sent as MLflow's snake_case). */
import type { ViewType } from './types';

export interface ExperimentSearch {
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface RunSearch {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface RegistrySearch {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface BulkIntervalQuery {
  /** At most 100 runs per call (server limit). */
  runIds: string[];
  metricKey: string;
  /** Both or neither: the server requires start_step and end_step together. */
  startStep?: number;
  endStep?: number;
  /** Up to 2,500 (server default and maximum); the UI charts ask for 320. */
  maxResults?: number;
}
