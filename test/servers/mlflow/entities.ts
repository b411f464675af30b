/**
 * What the store holds. Runs are an interface so that 100,000 generated runs can compute their
 * params/metrics from a formula on demand instead of holding millions of small objects.
 */
export interface KeyValue {
  key: string;
  value: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A metric history sorted by step; generated ones are computed point by point. */
export interface MetricHistory {
  readonly length: number;
  /** True when the steps are exactly 0..length-1 (lets sampling skip building a step set). */
  readonly contiguous?: boolean;
  stepAt(i: number): number;
  pointAt(i: number): MetricPoint;
}

export interface RunLike {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: string;
  readonly startTime: number;
  readonly endTime: number | undefined;
  readonly lifecycleStage: string;
  readonly artifactUri: string;
  param(key: string): string | undefined;
  tag(key: string): string | undefined;
  latestMetric(key: string): MetricPoint | undefined;
  params(): KeyValue[];
  tags(): KeyValue[];
  metrics(): MetricPoint[];
  history(key: string): MetricHistory | undefined;
  inputs(): Record<string, unknown>;
  /** MLflow 3's `outputs` (logged models); generated runs have none. */
  outputs?(): Record<string, unknown>;
}

/** An MLflow 3 logged model as the store holds it (JSON-ready lists). */
export interface LoggedModelEntity {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  artifact_uri: string;
  status: string;
  model_type: string;
  source_run_id?: string;
  tags: KeyValue[];
  params: KeyValue[];
  metrics: Array<Record<string, unknown>>;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  last_update_time: number;
  creation_time: number;
  tags: KeyValue[];
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  status: string;
  tags: KeyValue[];
  run_link: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  tags: KeyValue[];
  aliases: Map<string, string>;
  versions: ModelVersion[];
}

/** History held in memory: parallel arrays keep 1,000-point recordings compact. */
export class ArrayHistory implements MetricHistory {
  constructor(
    private readonly key: string,
    private readonly points: Array<[number, number, number]>,
  ) {}
  get length(): number {
    return this.points.length;
  }
  stepAt(i: number): number {
    return this.points[i][0];
  }
  pointAt(i: number): MetricPoint {
    const [step, value, timestamp] = this.points[i];
    return { key: this.key, value, timestamp, step };
  }
}

/** Last point of a history by MLflow's rule: highest step, then timestamp, then value. */
export function latestOf(h: MetricHistory): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (let i = h.length - 1; i >= 0 && (best === undefined || h.stepAt(i) >= best.step); i--) {
    const p = h.pointAt(i);
    if (
      !best ||
      p.step > best.step ||
      (p.step === best.step && (p.timestamp > best.timestamp || (p.timestamp === best.timestamp && p.value > best.value)))
    ) {
      best = p;
    }
  }
  return best;
}
