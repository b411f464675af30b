/**
 * A metric history made by formula: a million steps cost nothing until asked for, and a test can
 * recompute any point with `generatedMetricValue`.
 */
import { unitFloat } from './deterministic';
import type { MetricHistory, MetricPoint } from './entities';

/** A noisy, decaying loss curve: value at `step` of a `steps`-long history. */
export function generatedMetricValue(seed: number, step: number, steps: number): number {
  const progress = steps > 1 ? step / (steps - 1) : 1;
  return 0.5 + 3.5 * Math.exp(-4 * progress) + 0.1 * (unitFloat(seed, step) - 0.5);
}

export class GeneratedHistory implements MetricHistory {
  readonly contiguous = true;
  constructor(
    private readonly key: string,
    readonly length: number,
    private readonly seed: number,
    private readonly startTime: number,
  ) {}
  stepAt(i: number): number {
    return i;
  }
  pointAt(i: number): MetricPoint {
    return {
      key: this.key,
      value: generatedMetricValue(this.seed, i, this.length),
      timestamp: this.startTime + i * 100,
      step: i,
    };
  }
}
