/** Model registry endpoints: registered models, versions, aliases, download URIs. */
import type { ModelVersion, RegisteredModel } from './entities';
import { FilterError, matches, parseFilter, type Clause, type FilterDomain } from './filter';
import { ApiError, compact, decodePageToken, invalidParam, notFound, page } from './http-util';
import { resolveLoggedModelSource } from './mlflow3';
import type { RouteContext, RouteTable } from './router';
import type { Store } from './store';

const MODEL_DOMAIN: FilterDomain = { entities: ['tag', 'attribute'], attributes: { name: 'string' } };
const VERSION_DOMAIN: FilterDomain = {
  entities: ['tag', 'attribute'],
  attributes: { name: 'string', run_id: 'list', source_path: 'string', version_number: 'numeric' },
};

export function versionJson(v: ModelVersion, aliases?: string[]): Record<string, unknown> {
  return compact({ ...v, run_id: v.run_id || undefined, aliases });
}

function aliasesOf(m: RegisteredModel, version: string): string[] {
  return [...m.aliases.entries()].filter(([, v]) => v === version).map(([a]) => a).sort();
}

function latestVersions(m: RegisteredModel, stages?: string[]): ModelVersion[] {
  const byStage = new Map<string, ModelVersion>();
  for (const v of m.versions) {
    const best = byStage.get(v.current_stage);
    if (!best || Number(v.version) > Number(best.version)) byStage.set(v.current_stage, v);
  }
  const wanted = stages?.length ? stages.map((s) => s.toLowerCase()) : undefined;
  return [...byStage.values()]
    .filter((v) => !wanted || wanted.includes(v.current_stage.toLowerCase()))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

function modelJson(m: RegisteredModel): Record<string, unknown> {
  return compact({
    name: m.name,
    creation_timestamp: m.creation_timestamp,
    last_updated_timestamp: m.last_updated_timestamp,
    description: m.description,
    latest_versions: latestVersions(m).map((v) => versionJson(v)),
    tags: m.tags,
    aliases: [...m.aliases.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alias, version]) => ({ alias, version })),
  });
}

function findModel(store: Store, name: string): RegisteredModel {
  const m = store.models.get(name);
  if (!m) throw notFound(`Registered Model with name=${name} not found`);
  return m;
}

function findVersion(store: Store, name: string, version: string): { model: RegisteredModel; version: ModelVersion } {
  const model = store.models.get(name);
  const v = model?.versions.find((x) => x.version === version);
  if (!model || !v) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return { model, version: v };
}

function parse(filter: string | undefined, domain: FilterDomain, allowTrailingAnd = false): Clause[] {
  try {
    return parseFilter(filter, domain, { allowTrailingAnd });
  } catch (e) {
    if (e instanceof FilterError) throw invalidParam(e.message);
    throw e;
  }
}

function searchModels({ store, args }: RouteContext) {
  const maxResults = args.int('max_results', 100);
  if (maxResults > 1000) {
    throw invalidParam(`Invalid value for request parameter max_results. It must be at most 1000, but got value ${maxResults}`);
  }
  const offset = decodePageToken(args.str('page_token'));
  const clauses = parse(args.str('filter'), MODEL_DOMAIN);
  const order = args.strs('order_by').map((o) => {
    const m = /^\s*(name|last_updated_timestamp|timestamp)(?:\s+(ASC|DESC))?\s*$/i.exec(o);
    if (!m) throw invalidParam(`Invalid order by key '${o}' specified.`);
    return { key: m[1] === 'timestamp' ? 'last_updated_timestamp' : m[1], asc: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
  if (!order.some((o) => o.key === 'name')) order.push({ key: 'name', asc: true });
  const list = [...store.models.values()]
    .filter((m) => clauses.every((c) => matches(c.entity === 'tag' ? m.tags.find((t) => t.key === c.key)?.value : m.name, c)))
    .sort((a, b) => {
      for (const o of order) {
        const x = a[o.key as 'name'];
        const y = b[o.key as 'name'];
        if (x !== y) return (x < y ? -1 : 1) * (o.asc ? 1 : -1);
      }
      return 0;
    });
  const p = page(list, offset, maxResults);
  return compact({ registered_models: p.items.map(modelJson), next_page_token: p.nextPageToken });
}

function versionValue(v: ModelVersion, c: Clause): string | number | undefined {
  if (c.entity === 'tag') return v.tags.find((t) => t.key === c.key)?.value;
  if (c.key === 'source_path') return v.source;
  if (c.key === 'version_number') return Number(v.version);
  return v[c.key as 'name' | 'run_id'];
}

function searchVersions({ store, args }: RouteContext) {
  const maxResults = args.int('max_results', 10000, 200000);
  const offset = decodePageToken(args.str('page_token'));
  // MLflow 2.14.3 tolerates a dangling AND here (recorded: `name = 'x' AND` answers 200 {}).
  const clauses = parse(args.str('filter'), VERSION_DOMAIN, true);
  const all = [...store.models.values()].flatMap((m) => m.versions);
  const list = all
    .filter((v) => clauses.every((c) => matches(versionValue(v, c), c)))
    .sort(
      (a, b) =>
        b.last_updated_timestamp - a.last_updated_timestamp ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        Number(b.version) - Number(a.version),
    );
  const p = page(list, offset, maxResults);
  return compact({ model_versions: p.items.map((v) => versionJson(v)), next_page_token: p.nextPageToken });
}

function getModel({ store, args }: RouteContext) {
  return { registered_model: modelJson(findModel(store, args.required('name'))) };
}

function getLatestVersions({ store, args }: RouteContext) {
  const m = findModel(store, args.required('name'));
  return compact({ model_versions: latestVersions(m, args.strs('stages')).map((v) => versionJson(v)) });
}

function getVersion({ store, args }: RouteContext) {
  const { model, version } = findVersion(store, args.required('name'), args.required('version'));
  return { model_version: versionJson(version, aliasesOf(model, version.version)) };
}

function getDownloadUri({ store, args }: RouteContext) {
  const { version } = findVersion(store, args.required('name'), args.required('version'));
  // MLflow 3: a `models:/m-…` source stands for the logged model's own artifact root.
  return { artifact_uri: (store.isMlflow3 && resolveLoggedModelSource(store, version.source)) || version.source };
}

function alias({ store, args, req }: RouteContext) {
  const model = findModel(store, args.required('name'));
  const name = args.required('alias');
  if (req.method === 'POST') {
    const version = args.required('version');
    findVersion(store, model.name, version);
    model.aliases.set(name, version);
    return {};
  }
  if (req.method === 'DELETE') {
    model.aliases.delete(name);
    return {};
  }
  const version = model.aliases.get(name);
  if (version === undefined) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Registered model alias ${name} not found.`);
  const v = findVersion(store, model.name, version).version;
  return { model_version: versionJson(v, aliasesOf(model, version)) };
}

export const registryRoutes: RouteTable = {
  '/api/2.0/mlflow/registered-models/search': { methods: ['GET'], handler: searchModels },
  '/ajax-api/2.0/mlflow/registered-models/search': { methods: ['GET'], handler: searchModels },
  '/api/2.0/mlflow/registered-models/get': { methods: ['GET'], handler: getModel },
  '/api/2.0/mlflow/registered-models/get-latest-versions': { methods: ['GET', 'POST'], handler: getLatestVersions },
  '/api/2.0/mlflow/registered-models/alias': { methods: ['GET', 'POST', 'DELETE'], handler: alias },
  '/api/2.0/mlflow/model-versions/search': { methods: ['GET'], handler: searchVersions },
  '/ajax-api/2.0/mlflow/model-versions/search': { methods: ['GET'], handler: searchVersions },
  '/api/2.0/mlflow/model-versions/get': { methods: ['GET'], handler: getVersion },
  '/api/2.0/mlflow/model-versions/get-download-uri': { methods: ['GET'], handler: getDownloadUri },
};
