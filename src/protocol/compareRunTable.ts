// The runs of a compare message as a CompareRunTable and back: the host writes it from the
// panel's CompareRuns, the page reads it into CompareRuns again (the page's code keeps working
// on those). Pure and shared, like compareColumns.ts for the histories; the guard checks every
// index and length before the page reads one (compareGuards.ts).
import type { CompareKeyValue, CompareRun, CompareRunRow, CompareRunTable } from './compareMessages';

export function toRunTable(runs: readonly CompareRun[]): CompareRunTable {
  const keys: string[] = [];
  const index = new Map<string, number>();
  const keyOf = (key: string) => {
    let i = index.get(key);
    if (i === undefined) {
      i = keys.length;
      keys.push(key);
      index.set(key, i);
    }
    return i;
  };
  const total = runs.reduce((n, r) => n + r.metrics.length, 0);
  // One buffer for both columns: VS Code sends each distinct ArrayBuffer of a message apart.
  const buffer = new Float64Array(2 * total);
  const metricValues = buffer.subarray(0, total);
  const metricSteps = buffer.subarray(total);
  let at = 0;
  const rows = runs.map((r): CompareRunRow => {
    const metricKeys = r.metrics.map((m) => {
      metricValues[at] = m.value;
      metricSteps[at++] = m.step;
      return keyOf(m.key);
    });
    return {
      runId: r.runId,
      name: r.name,
      experimentId: r.experimentId,
      colorSlot: r.colorSlot,
      status: r.status,
      startTime: r.startTime,
      paramKeys: r.params.map((p) => keyOf(p.key)),
      paramValues: r.params.map((p) => p.value),
      metricKeys,
      tagKeys: r.tags.map((t) => keyOf(t.key)),
      tagValues: r.tags.map((t) => t.value),
    };
  });
  return { keys, rows, metricValues, metricSteps };
}

/** The runs of a table (one the guard passed: every index is in range). */
export function readRunTable(table: CompareRunTable): CompareRun[] {
  const { keys } = table;
  const pairs = (at: readonly number[], values: readonly string[]): CompareKeyValue[] => at.map((k, i) => ({ key: keys[k]!, value: values[i]! }));
  let at = 0;
  return table.rows.map((row) => ({
    runId: row.runId,
    name: row.name,
    experimentId: row.experimentId,
    colorSlot: row.colorSlot,
    status: row.status,
    startTime: row.startTime,
    params: pairs(row.paramKeys, row.paramValues),
    metrics: row.metricKeys.map((k) => {
      const i = at++;
      return { key: keys[k]!, value: table.metricValues[i]!, step: table.metricSteps[i]! };
    }),
    tags: pairs(row.tagKeys, row.tagValues),
  }));
}
