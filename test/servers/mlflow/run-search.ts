/**
 * runs/search: filter, order and page like MLflow's SQL store. The filtered, sorted list is cached
 * per (experiments, filter, view, order_by) so paging through 100,000 runs sorts only once.
 */
import type { RunLike } from './entities';
import { FilterError, matches, parseFilter, splitIdentifier, type Clause, type FilterDomain } from './filter';
import { invalidParam } from './http-util';
import { metricJson } from './metrics';
import type { Store } from './store';

export const RUN_DOMAIN: FilterDomain = {
  entities: ['metric', 'parameter', 'tag', 'attribute', 'dataset'],
  attributes: {
    run_id: 'list', run_name: 'string', status: 'string', user_id: 'string', artifact_uri: 'string',
    start_time: 'numeric', end_time: 'numeric',
  },
  aliases: { created: 'start_time', Created: 'start_time', 'run name': 'run_name', 'Run name': 'run_name', 'Run Name': 'run_name' },
};

const ORDER_DOMAIN: FilterDomain = {
  entities: ['metric', 'parameter', 'tag', 'attribute'],
  attributes: { ...RUN_DOMAIN.attributes, experiment_id: 'string' },
  aliases: RUN_DOMAIN.aliases,
};

export function runAttribute(r: RunLike, key: string): string | number | undefined {
  switch (key) {
    case 'run_id': return r.runId;
    case 'run_name': return r.runName;
    case 'status': return r.status;
    case 'user_id': return r.userId;
    case 'artifact_uri': return r.artifactUri;
    case 'start_time': return r.startTime;
    case 'end_time': return r.endTime;
    case 'experiment_id': return Number(r.experimentId);
    default: return undefined;
  }
}

function datasetValues(r: RunLike, key: string): string[] {
  const inputs = (r.inputs().dataset_inputs ?? []) as Array<{ dataset?: Record<string, string>; tags?: Array<{ key: string; value: string }> }>;
  return inputs.map((i) =>
    key === 'context' ? (i.tags ?? []).find((t) => t.key === 'mlflow.data.context')?.value ?? '' : i.dataset?.[key] ?? '',
  );
}

function clauseMatches(r: RunLike, c: Clause): boolean {
  switch (c.entity) {
    case 'metric': return matches(r.latestMetric(c.key)?.value, c);
    case 'parameter': return matches(r.param(c.key), c);
    case 'tag': return matches(r.tag(c.key), c);
    case 'attribute': return matches(runAttribute(r, c.key), c);
    case 'dataset': return datasetValues(r, c.key).some((v) => matches(v, c));
  }
}

interface OrderClause {
  value: (r: RunLike) => string | number | undefined;
  ascending: boolean;
  isStartTime: boolean;
}

export function parseRunOrderBy(orderBy: string): OrderClause {
  const m = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(orderBy);
  const ident = m?.[1] ?? '';
  if (!m || /\s/.test(ident.replace(/(`[^`]*`|"[^"]*")/g, ''))) {
    throw invalidParam(`Invalid order_by clause '${orderBy}'. Could not be parsed.`);
  }
  let parsed;
  try {
    parsed = splitIdentifier(ident, ORDER_DOMAIN);
  } catch (e) {
    throw invalidParam((e as Error).message);
  }
  const { entity, key } = parsed;
  const value: OrderClause['value'] =
    entity === 'metric' ? (r) => r.latestMetric(key)?.value
      : entity === 'parameter' ? (r) => r.param(key)
        : entity === 'tag' ? (r) => r.tag(key)
          : (r) => runAttribute(r, key);
  return { value, ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC', isStartTime: entity === 'attribute' && key === 'start_time' };
}

function compareValues(a: string | number | undefined, b: string | number | undefined, ascending: boolean): number {
  // Missing values sort last in both directions, as MLflow's SQL store arranges.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const d = a < b ? -1 : a > b ? 1 : 0;
  return ascending ? d : -d;
}

export interface RunSearchRequest {
  experimentIds: string[];
  filter?: string;
  viewType?: string;
  orderBy: string[];
}

export function searchRuns(store: Store, req: RunSearchRequest): RunLike[] {
  const cacheKey = JSON.stringify([req.experimentIds, req.filter ?? '', req.viewType ?? '', req.orderBy]);
  const cached = store.runSearchCache.get(cacheKey);
  if (cached) return cached;

  let clauses: Clause[];
  try {
    clauses = parseFilter(req.filter, RUN_DOMAIN);
  } catch (e) {
    if (e instanceof FilterError) throw invalidParam(e.message);
    throw e;
  }
  const order = req.orderBy.map(parseRunOrderBy);
  // MLflow appends start_time DESC (unless ordered by it already) and run_id ASC as tie-breaks.
  if (!order.some((o) => o.isStartTime)) order.push({ value: (r) => r.startTime, ascending: false, isStartTime: true });
  order.push({ value: (r) => r.runId, ascending: true, isStartTime: false });

  const view = (req.viewType ?? 'ACTIVE_ONLY').toUpperCase();
  const wanted = (r: RunLike) =>
    view === 'ALL' ? true : view === 'DELETED_ONLY' ? r.lifecycleStage === 'deleted' : r.lifecycleStage === 'active';

  const selected: Array<{ run: RunLike; keys: Array<string | number | undefined> }> = [];
  for (const id of new Set(req.experimentIds)) {
    for (const run of store.runsByExperiment.get(id) ?? []) {
      if (wanted(run) && clauses.every((c) => clauseMatches(run, c))) {
        selected.push({ run, keys: order.map((o) => o.value(run)) });
      }
    }
  }
  selected.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const d = compareValues(a.keys[i], b.keys[i], order[i].ascending);
      if (d !== 0) return d;
    }
    return 0;
  });
  const result = selected.map((s) => s.run);
  if (store.runSearchCache.size >= 64) store.runSearchCache.delete(store.runSearchCache.keys().next().value as string);
  store.runSearchCache.set(cacheKey, result);
  return result;
}

/** `mlflow3`: MLflow 3 always adds `outputs` ({} when the run logged no model). */
export function runToJson(r: RunLike, mlflow3 = false): Record<string, unknown> {
  const info: Record<string, unknown> = {
    run_uuid: r.runId,
    experiment_id: r.experimentId,
    run_name: r.runName,
    user_id: r.userId,
    status: r.status,
    start_time: r.startTime,
    end_time: r.endTime,
    artifact_uri: r.artifactUri,
    lifecycle_stage: r.lifecycleStage,
    run_id: r.runId,
  };
  if (info.end_time === undefined) delete info.end_time;
  const data: Record<string, unknown> = {};
  const metrics = r.metrics();
  const params = r.params();
  const tags = r.tags();
  if (metrics.length) data.metrics = metrics.map(metricJson);
  if (params.length) data.params = params;
  if (tags.length) data.tags = tags;
  return mlflow3 ? { info, data, inputs: r.inputs(), outputs: r.outputs?.() ?? {} } : { info, data, inputs: r.inputs() };
}
