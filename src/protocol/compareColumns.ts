// Reading the history columns a message carries (CompareSeriesColumns) into the series the page
// draws (CompareSeries): regular steps expanded, Int32 steps widened. Pure and shared: the page
// reads every reply with it, the host's tests read the posted messages with it, and the guard
// uses stepCount to check that the columns agree. The host's side is core/compare/seriesColumns.ts.
import type { CompareSeries, CompareSeriesColumns, CompareStepColumn, RegularSteps } from './compareMessages';

export function isRegularSteps(steps: CompareStepColumn): steps is RegularSteps {
  return !ArrayBuffer.isView(steps);
}

/** How many steps (points) the column holds. */
export function stepCount(steps: CompareStepColumn): number {
  return isRegularSteps(steps) ? steps.count + steps.tail.length : steps.length;
}

/** Every step of the column as doubles. */
export function readSteps(steps: CompareStepColumn): Float64Array {
  if (steps instanceof Float64Array) return steps;
  if (!isRegularSteps(steps)) return Float64Array.from(steps);
  const out = new Float64Array(steps.count + steps.tail.length);
  for (let i = 0; i < steps.count; i++) out[i] = steps.start + i * steps.stride;
  out.set(steps.tail, steps.count);
  return out;
}

export function readSeries(columns: CompareSeriesColumns): CompareSeries {
  return { runId: columns.runId, metricKey: columns.metricKey, sampled: columns.sampled, steps: readSteps(columns.steps), timestamps: columns.timestamps, values: columns.values };
}
