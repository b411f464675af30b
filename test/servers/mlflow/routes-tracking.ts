/** Tracking endpoints: experiments, runs, metric histories, run artifact listing. */
import type { Experiment } from './entities';
import { FilterError, matches, parseFilter, type FilterDomain } from './filter';
import { compact, decodePageToken, invalidParam, notFound, page, type RequestArgs } from './http-util';
import { bulkInterval, metricJson, streamHistory } from './metrics';
import { getHistoryMlflow3 } from './mlflow3';
import { HANDLED, type RouteContext, type RouteTable } from './router';
import { runToJson, searchRuns } from './run-search';
import type { Store } from './store';

const SEARCH_MAX = 50000;

const EXPERIMENT_DOMAIN: FilterDomain = {
  entities: ['tag', 'attribute'],
  attributes: { name: 'string', creation_time: 'numeric', last_update_time: 'numeric' },
};

function experimentJson(e: Experiment): Record<string, unknown> {
  return compact({ ...e });
}

function experimentValue(e: Experiment, key: string): string | number {
  return key === 'experiment_id' ? Number(e.experiment_id) : (e[key as keyof Experiment] as string | number);
}

function parseFilterOr400(filter: string | undefined, domain: FilterDomain) {
  try {
    return parseFilter(filter, domain);
  } catch (e) {
    if (e instanceof FilterError) throw invalidParam(e.message);
    throw e;
  }
}

function searchExperiments({ store, args }: RouteContext) {
  const maxResults = args.int('max_results', 1000, SEARCH_MAX);
  const offset = decodePageToken(args.str('page_token'));
  const view = (args.str('view_type') ?? 'ACTIVE_ONLY').toUpperCase();
  const clauses = parseFilterOr400(args.str('filter'), EXPERIMENT_DOMAIN);
  const order = args.strs('order_by').map((o) => {
    const m = /^\s*(name|experiment_id|creation_time|last_update_time)(?:\s+(ASC|DESC))?\s*$/i.exec(o);
    if (!m) throw invalidParam(`Invalid order_by clause '${o}'. Could not be parsed.`);
    return { key: m[1], asc: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
  if (order.length === 0) order.push({ key: 'creation_time', asc: false });
  if (!order.some((o) => o.key === 'experiment_id')) order.push({ key: 'experiment_id', asc: true });
  const list = store.experiments
    .filter((e) => (view === 'ALL' ? true : view === 'DELETED_ONLY' ? e.lifecycle_stage === 'deleted' : e.lifecycle_stage === 'active'))
    .filter((e) =>
      clauses.every((c) =>
        matches(c.entity === 'tag' ? e.tags.find((t) => t.key === c.key)?.value : experimentValue(e, c.key), c),
      ),
    )
    .sort((a, b) => {
      for (const o of order) {
        const x = experimentValue(a, o.key);
        const y = experimentValue(b, o.key);
        if (x !== y) return (x < y ? -1 : 1) * (o.asc ? 1 : -1);
      }
      return 0;
    });
  const p = page(list, offset, maxResults);
  return compact({ experiments: p.items.map(experimentJson), next_page_token: p.nextPageToken });
}

function getExperiment({ store, args }: RouteContext) {
  const id = args.required('experiment_id');
  const e = store.experimentsById.get(id);
  if (!e) throw notFound(`No Experiment with id=${id} exists`);
  return { experiment: experimentJson(e) };
}

function getExperimentByName({ store, args }: RouteContext) {
  const name = args.required('experiment_name');
  const e = store.experiments.find((x) => x.name === name);
  if (!e) throw notFound(`Could not find experiment with name '${name}'`);
  return { experiment: experimentJson(e) };
}

function findRun(store: Store, args: RequestArgs, name = 'run_id') {
  const id = args.str(name) ?? args.str('run_uuid');
  if (!id) args.required(name);
  const run = store.runsById.get(id as string);
  if (!run) throw notFound(`Run with id=${id} not found`);
  return run;
}

function searchRunsRoute({ store, args }: RouteContext) {
  const maxResults = args.int('max_results', 1000, SEARCH_MAX);
  const offset = decodePageToken(args.str('page_token'));
  const runs = searchRuns(store, {
    experimentIds: args.strs('experiment_ids'),
    filter: args.str('filter'),
    viewType: args.str('run_view_type'),
    orderBy: args.strs('order_by'),
  });
  const p = page(runs, offset, maxResults);
  return compact({ runs: p.items.map((r) => runToJson(r, store.isMlflow3)), next_page_token: p.nextPageToken });
}

function getRun({ store, args }: RouteContext) {
  return { run: runToJson(findRun(store, args), store.isMlflow3) };
}

function getHistory({ store, args, res }: RouteContext) {
  const run = findRun(store, args);
  const key = args.required('metric_key');
  const history = run.history(key);
  if (store.isMlflow3) return getHistoryMlflow3(args, history);
  if (!history || history.length === 0) return {};
  void streamHistory(res, history);
  return HANDLED;
}

function getHistoryBulk({ store, args }: RouteContext) {
  const key = args.required('metric_key');
  const out: unknown[] = [];
  for (const id of args.strs('run_id')) {
    const h = store.runsById.get(id)?.history(key);
    for (let i = 0; h && i < h.length && out.length < 25000; i++) {
      const p = h.pointAt(i);
      out.push({ key: p.key, run_id: id, step: p.step, timestamp: p.timestamp, value: metricJson(p).value });
    }
  }
  return compact({ metrics: out });
}

function getHistoryBulkInterval({ store, args }: RouteContext) {
  const runIds = args.strs('run_ids');
  if (runIds.length === 0) throw invalidParam('GetMetricHistoryBulkInterval request must specify at least one run_id.');
  if (runIds.length > 100) {
    throw invalidParam(`GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received ${runIds.length} run_ids.`);
  }
  const key = args.required('metric_key');
  const maxResults = args.int('max_results', 2500);
  if (maxResults < 1 || maxResults > 2500) throw invalidParam(`max_results must be between 1 and 2500. Got ${maxResults}.`);
  const start = args.str('start_step');
  const end = args.str('end_step');
  const metrics = bulkInterval({
    histories: runIds.map((id) => ({ runId: id, history: store.runsById.get(id)?.history(key) })),
    maxResults,
    startStep: start === undefined ? undefined : args.int('start_step', 0),
    endStep: end === undefined ? undefined : args.int('end_step', 0),
  });
  return compact({ metrics });
}

async function listRunArtifacts({ store, args }: RouteContext) {
  const run = findRun(store, args);
  const rel = (args.str('path') ?? '').replace(/^\/+|\/+$/g, '');
  if (rel.split('/').includes('..')) throw invalidParam('Invalid path');
  if (store.s3 && run.artifactUri.startsWith('s3://')) {
    const entries = await store.s3.list([run.artifactUri.replace(/\/+$/, ''), rel].filter(Boolean).join('/'));
    const files = entries.map((e) => compact({ path: rel ? `${rel}/${e.name}` : e.name, is_dir: e.isDir, file_size: e.size }));
    return compact({ root_uri: run.artifactUri, files });
  }
  const full = store.runArtifactPath(run, rel);
  const entries = full === undefined ? undefined : store.artifacts.list(full);
  const files = (entries ?? []).map((e) =>
    compact({ path: rel ? `${rel}/${e.name}` : e.name, is_dir: e.isDir, file_size: e.isDir ? undefined : e.size }),
  );
  return compact({ root_uri: run.artifactUri, files });
}

export const trackingRoutes: RouteTable = {
  '/api/2.0/mlflow/experiments/search': { methods: ['GET', 'POST'], handler: searchExperiments },
  '/ajax-api/2.0/mlflow/experiments/search': { methods: ['GET', 'POST'], handler: searchExperiments },
  '/api/2.0/mlflow/experiments/get': { methods: ['GET'], handler: getExperiment },
  '/ajax-api/2.0/mlflow/experiments/get': { methods: ['GET'], handler: getExperiment },
  '/api/2.0/mlflow/experiments/get-by-name': { methods: ['GET'], handler: getExperimentByName },
  '/api/2.0/mlflow/runs/search': { methods: ['POST'], handler: searchRunsRoute },
  '/ajax-api/2.0/mlflow/runs/search': { methods: ['POST'], handler: searchRunsRoute },
  '/api/2.0/mlflow/runs/get': { methods: ['GET'], handler: getRun },
  '/ajax-api/2.0/mlflow/runs/get': { methods: ['GET'], handler: getRun },
  '/api/2.0/mlflow/metrics/get-history': { methods: ['GET'], handler: getHistory },
  '/ajax-api/2.0/mlflow/metrics/get-history': { methods: ['GET'], handler: getHistory },
  '/ajax-api/2.0/mlflow/metrics/get-history-bulk': { methods: ['GET'], handler: getHistoryBulk },
  '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval': { methods: ['GET'], handler: getHistoryBulkInterval },
  '/api/2.0/mlflow/artifacts/list': { methods: ['GET'], handler: listRunArtifacts },
  '/ajax-api/2.0/mlflow/artifacts/list': { methods: ['GET'], handler: listRunArtifacts },
};
