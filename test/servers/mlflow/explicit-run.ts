/** A run written out in a scenario file: everything held in small maps. */
import { ArrayHistory, latestOf, type KeyValue, type MetricHistory, type MetricPoint, type RunLike } from './entities';
import { GeneratedHistory } from './generated-history';
import { tagsToList, type ScenarioRun } from './scenario';

export class ExplicitRun implements RunLike {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: string;
  readonly startTime: number;
  readonly endTime: number | undefined;
  readonly lifecycleStage: string;
  readonly artifactUri: string;
  private readonly paramList: KeyValue[];
  private readonly tagList: KeyValue[];
  private readonly metricList: MetricPoint[];
  private readonly histories = new Map<string, MetricHistory>();
  private readonly inputsValue: Record<string, unknown>;
  private readonly outputsValue: Record<string, unknown>;

  constructor(experimentId: string, experimentArtifactLocation: string, r: ScenarioRun) {
    this.runId = r.run_id;
    this.experimentId = experimentId;
    this.tagList = tagsToList(r.tags);
    this.runName = r.run_name ?? this.tag('mlflow.runName') ?? r.run_id;
    if (this.tag('mlflow.runName') === undefined) this.tagList.push({ key: 'mlflow.runName', value: this.runName });
    this.userId = r.user_id ?? 'alice';
    this.status = r.status ?? 'FINISHED';
    this.startTime = r.start_time;
    this.endTime = r.end_time ?? (this.status === 'RUNNING' ? undefined : r.start_time);
    this.lifecycleStage = r.lifecycle_stage ?? 'active';
    this.artifactUri = r.artifact_uri ?? `${experimentArtifactLocation}/${r.run_id}/artifacts`;
    this.paramList = tagsToList(r.params);
    this.inputsValue = r.inputs ?? {};
    this.outputsValue = r.outputs ?? {};
    for (const [key, points] of Object.entries(r.history ?? {})) {
      const numeric = points.map(([step, value, timestamp]): [number, number, number] => [step, Number(value), timestamp]);
      this.histories.set(key, new ArrayHistory(key, numeric.sort((a, b) => a[0] - b[0] || a[2] - b[2])));
    }
    for (const [key, g] of Object.entries(r.generatedHistory ?? {})) {
      this.histories.set(key, new GeneratedHistory(key, g.steps, g.seed ?? 1, this.startTime));
    }
    const latest = new Map<string, MetricPoint>();
    if (Array.isArray(r.metrics)) for (const m of r.metrics) latest.set(m.key, { ...m });
    else for (const [key, value] of Object.entries(r.metrics ?? {})) {
      latest.set(key, { key, value, timestamp: this.endTime ?? this.startTime, step: 0 });
    }
    for (const [key, h] of this.histories) {
      if (!latest.has(key)) {
        const p = latestOf(h);
        if (p) latest.set(key, p);
      }
    }
    this.metricList = [...latest.values()];
    // A metric logged once has a one-point history: what get-history answers for it.
    for (const m of this.metricList) {
      if (!this.histories.has(m.key)) this.histories.set(m.key, new ArrayHistory(m.key, [[m.step, m.value, m.timestamp]]));
    }
  }

  param(key: string): string | undefined {
    return this.paramList.find((p) => p.key === key)?.value;
  }
  tag(key: string): string | undefined {
    return this.tagList.find((t) => t.key === key)?.value;
  }
  latestMetric(key: string): MetricPoint | undefined {
    return this.metricList.find((m) => m.key === key);
  }
  params(): KeyValue[] {
    return this.paramList;
  }
  tags(): KeyValue[] {
    return this.tagList;
  }
  metrics(): MetricPoint[] {
    return this.metricList;
  }
  history(key: string): MetricHistory | undefined {
    return this.histories.get(key);
  }
  inputs(): Record<string, unknown> {
    return this.inputsValue;
  }
  outputs(): Record<string, unknown> {
    return this.outputsValue;
  }
}
