/**
 * Big scenarios from a few numbers. Everything is a function of (seed, index): runs compute their
 * params and metrics on demand, histories and artifact bytes are formulas, so 100,000 runs with
 * 500 keys, a 1,000,000-step history and a multi-GB file fit in a few tens of MB.
 */
import { fileFromContent } from './artifacts';
import { hash32, hexId, unitFloat } from './deterministic';
import type { KeyValue, MetricHistory, MetricPoint, RunLike } from './entities';
import { GeneratedHistory } from './generated-history';
import type { Store } from './store';

export interface GenerateParams {
  seed?: number;
  /** Extra experiments `gen-exp-00000`…, ids from 1000 up, creation_time increasing. */
  experiments?: number;
  /** Every n-th generated experiment is deleted (0 = none). */
  deletedEvery?: number;
  /** Runs in one experiment `gen-big-runs` (id 999). */
  runs?: number;
  /** Distinct param keys `p_000`… and metric keys `m_000`… spread over the runs (default 20). */
  keys?: number;
  /** How many of the keys each run has (default min(keys, 8)). */
  keysPerRun?: number;
  /** Steps of metric `loss` in the first `historyRuns` runs (others have one point). */
  historySteps?: number;
  historyRuns?: number;
  /** Metric keys with such histories (default ["loss"]); each key gets its own curve. */
  historyKeys?: string[];
  /** Size of `big/weights.bin` in the first generated run (0 = no file). */
  artifactBytes?: number;
  /** Registered models `gen-model-0000`… with `versionsPerModel` versions each. */
  models?: number;
  versionsPerModel?: number;
}

export const GENERATED_EXPERIMENT_ID = '999';
export const GENERATED_BASE_TIME = 1796000000000;

interface RunSetContext {
  seed: number;
  keys: number;
  keysPerRun: number;
  stride: number;
  historySteps: number;
  historyRuns: number;
  historyKeys: readonly string[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
export const paramKey = (k: number) => `p_${pad(k, 3)}`;
export const metricKey = (k: number) => `m_${pad(k, 3)}`;

/** Run `index` of a generated set; also used by tests to predict values. */
export class GeneratedRun implements RunLike {
  readonly runId: string;
  readonly experimentId = GENERATED_EXPERIMENT_ID;
  readonly userId = 'alice';
  readonly artifactUri: string;
  private histories?: Map<string, MetricHistory>; // made on first use: 100,000 runs, few asked

  constructor(
    private readonly ctx: RunSetContext,
    readonly index: number,
  ) {
    this.runId = hexId(ctx.seed, index);
    this.artifactUri = `mlflow-artifacts:/${GENERATED_EXPERIMENT_ID}/${this.runId}/artifacts`;
  }
  get runName(): string {
    return `run-${pad(this.index, 6)}`;
  }
  get status(): string {
    return this.index % 97 === 96 ? 'FAILED' : 'FINISHED';
  }
  get lifecycleStage(): string {
    return this.index % 211 === 210 ? 'deleted' : 'active';
  }
  /** Pairs of runs share a start time so the run_id tie-break is exercised. */
  get startTime(): number {
    return GENERATED_BASE_TIME + Math.floor(this.index / 2) * 60000;
  }
  get endTime(): number {
    return this.startTime + 30000 + (this.index % 7) * 1000;
  }
  /** Key numbers this run has: an arithmetic walk so all K keys get used across runs. */
  keyNumbers(): number[] {
    const { keys, keysPerRun, stride } = this.ctx;
    const out: number[] = [];
    for (let j = 0; j < keysPerRun; j++) out.push((this.index * 7 + j * stride) % keys);
    return out;
  }
  private hasKey(k: number): boolean {
    const { keys, keysPerRun, stride } = this.ctx;
    if (!(k >= 0 && k < keys)) return false;
    const delta = (((k - this.index * 7) % keys) + keys) % keys;
    return delta % stride === 0 && delta / stride < keysPerRun;
  }
  private static keyNumber(key: string, prefix: string): number {
    return key.startsWith(prefix) && /^\d+$/.test(key.slice(2)) ? Number(key.slice(2)) : -1;
  }
  paramValue(k: number): string {
    return ((hash32(this.ctx.seed + k, this.index) % 10) / 10 + 0.1).toFixed(1);
  }
  metricValue(k: number): number {
    return unitFloat(this.ctx.seed * 31 + k, this.index);
  }
  param(key: string): string | undefined {
    const k = GeneratedRun.keyNumber(key, 'p_');
    return this.hasKey(k) ? this.paramValue(k) : undefined;
  }
  tag(key: string): string | undefined {
    return this.tags().find((t) => t.key === key)?.value;
  }
  latestMetric(key: string): MetricPoint | undefined {
    if (this.ctx.historyKeys.includes(key)) {
      const h = this.history(key);
      return h.pointAt(h.length - 1);
    }
    const k = GeneratedRun.keyNumber(key, 'm_');
    if (!this.hasKey(k)) return undefined;
    return { key, value: this.metricValue(k), timestamp: this.endTime, step: 0 };
  }
  params(): KeyValue[] {
    return this.keyNumbers().map((k) => ({ key: paramKey(k), value: this.paramValue(k) }));
  }
  tags(): KeyValue[] {
    return [
      { key: 'mlflow.user', value: 'alice' },
      { key: 'mlflow.runName', value: this.runName },
      { key: 'group', value: `g${this.index % 10}` },
    ];
  }
  metrics(): MetricPoint[] {
    const out = this.ctx.historyKeys.map((key) => this.latestMetric(key) as MetricPoint);
    for (const k of this.keyNumbers()) out.push(this.latestMetric(metricKey(k)) as MetricPoint);
    return out;
  }
  history(key: string): MetricHistory {
    const keyIndex = this.ctx.historyKeys.indexOf(key);
    if (keyIndex >= 0) {
      this.histories ??= new Map();
      let h = this.histories.get(key);
      if (!h) {
        const steps = this.index < this.ctx.historyRuns ? this.ctx.historySteps : 1;
        // `loss` keeps the seed it always had; further keys get curves of their own.
        h = new GeneratedHistory(key, steps, this.ctx.seed + this.index + keyIndex * 7919, this.startTime);
        this.histories.set(key, h);
      }
      return h;
    }
    const p = this.latestMetric(key);
    return { length: p ? 1 : 0, stepAt: () => 0, pointAt: () => p as MetricPoint };
  }
  inputs(): Record<string, unknown> {
    return {};
  }
}

export function generateInto(store: Store, params: GenerateParams): void {
  const seed = params.seed ?? 1;
  for (let i = 0; i < (params.experiments ?? 0); i++) {
    const t = GENERATED_BASE_TIME + i * 1000;
    store.addExperiment({
      experiment_id: String(1000 + i),
      name: `gen-exp-${pad(i, 5)}`,
      artifact_location: `mlflow-artifacts:/${1000 + i}`,
      lifecycle_stage: params.deletedEvery && i % params.deletedEvery === params.deletedEvery - 1 ? 'deleted' : 'active',
      last_update_time: t,
      creation_time: t,
      tags: [{ key: 'team', value: ['vision', 'nlp', 'speech'][i % 3] }, { key: 'index', value: String(i) }],
    });
  }
  const runs = params.runs ?? 0;
  if (runs > 0) {
    const keys = Math.max(1, params.keys ?? 20);
    const keysPerRun = Math.min(keys, params.keysPerRun ?? 8);
    const ctx: RunSetContext = {
      seed,
      keys,
      keysPerRun,
      stride: Math.max(1, Math.floor(keys / keysPerRun)),
      historySteps: Math.max(1, params.historySteps ?? 100),
      historyRuns: params.historyRuns ?? 3,
      historyKeys: params.historyKeys?.length ? params.historyKeys : ['loss'],
    };
    store.addExperiment({
      experiment_id: GENERATED_EXPERIMENT_ID,
      name: 'gen-big-runs',
      artifact_location: `mlflow-artifacts:/${GENERATED_EXPERIMENT_ID}`,
      lifecycle_stage: 'active',
      last_update_time: GENERATED_BASE_TIME - 1000,
      creation_time: GENERATED_BASE_TIME - 1000,
      tags: [{ key: 'generated', value: 'true' }],
    });
    for (let i = 0; i < runs; i++) store.addRun(new GeneratedRun(ctx, i));
    const first = store.runs[store.runs.length - runs];
    const root = `${GENERATED_EXPERIMENT_ID}/${first.runId}/artifacts`;
    store.artifacts.put(`${root}/model/MLmodel`, fileFromContent({ text: 'artifact_path: model\nflavors: {}\n' }, '.'));
    if (params.artifactBytes) {
      store.artifacts.put(`${root}/big/weights.bin`, fileFromContent({ generated: { size: params.artifactBytes, seed } }, '.'));
    }
  }
  const genRuns = store.runsByExperiment.get(GENERATED_EXPERIMENT_ID) ?? [];
  for (let m = 0; m < (params.models ?? 0); m++) {
    const t = GENERATED_BASE_TIME + m * 1000;
    const name = `gen-model-${pad(m, 4)}`;
    const versions = Array.from({ length: params.versionsPerModel ?? 2 }, (_, v) => {
      const run = genRuns.length ? genRuns[(m + v) % genRuns.length] : undefined;
      return {
        name,
        version: String(v + 1),
        creation_timestamp: t + v,
        last_updated_timestamp: t + v,
        current_stage: 'None',
        description: '',
        source: run ? `${run.artifactUri}/model` : `mlflow-artifacts:/models/${name}/${v + 1}`,
        run_id: run?.runId ?? '',
        status: 'READY',
        tags: [],
        run_link: '',
      };
    });
    store.addModel({ name, creation_timestamp: t, last_updated_timestamp: t, tags: [], aliases: new Map(), versions });
  }
}
