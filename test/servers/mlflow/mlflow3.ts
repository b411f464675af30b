/**
 * What the test server answers differently when it plays MLflow 3 (scenario `mlflowVersion`
 * "3.x"), as recorded from a real 3.6.1.dev0 (test/fixtures/mlflow-recorded-3.6/):
 * - logged models: `logged-models/{id}`, `logged-models/search`, `…/{id}/artifacts/directories`,
 *   and the ajax-api `…/{id}/artifacts/files`; versions with `models:/m-…` sources, whose
 *   get-download-uri is the logged model's `artifact_uri`;
 * - `server-features`;
 * - metrics/get-history without `max_results`: no metrics, only a page token that then fails
 *   with 400 (upstream bug #23916, 3.4–3.6); with it, pages of at most max_results;
 * - the security middleware: a Host that is not local, or a state-changing request with a
 *   foreign Origin, gets a 403 in text/plain before any handler runs.
 */
import type { IncomingMessage } from 'node:http';
import { mlflowArtifactsPath } from './artifacts';
import type { LoggedModelEntity, MetricHistory } from './entities';
import { FilterError, matches, parseFilter, type FilterDomain } from './filter';
import { ApiError, compact, decodePageToken, encodePageToken, invalidParam, notFound, type RequestArgs } from './http-util';
import { metricJson } from './metrics';
import { HANDLED, type Route, type RouteContext, type RouteTable } from './router';
import type { Store } from './store';

export const HOST_BLOCKED = 'Invalid Host header - possible DNS rebinding attack detected';
export const ORIGIN_BLOCKED = 'Cross-origin request blocked';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/** The 403 text MLflow 3's security middleware would answer, or undefined to go on. */
export function securityBlock(store: Store, req: IncomingMessage): string | undefined {
  if (!store.isMlflow3) return undefined;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  // Like --allowed-hosts / MLFLOW_SERVER_ALLOWED_HOSTS: a configured list replaces the local defaults.
  const allowed = store.allowedHosts.size ? store.allowedHosts : LOCAL_HOSTS;
  if (host && !allowed.has(host)) return HOST_BLOCKED;
  const origin = req.headers.origin;
  if (origin && !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET')) {
    let originHost = '';
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      return ORIGIN_BLOCKED;
    }
    if (!LOCAL_HOSTS.has(originHost) && !LOCAL_HOSTS.has(`[${originHost}]`)) return ORIGIN_BLOCKED;
  }
  return undefined;
}

export function getHistoryMlflow3(args: RequestArgs, history: MetricHistory | undefined): unknown {
  const token = args.str('page_token');
  const maxResults = args.str('max_results') === undefined ? undefined : args.int('max_results', 25000, 25000);
  if (maxResults === undefined) {
    // The bug: the SQL store is asked for 0 rows, so only a token comes back; that token fails.
    if (token !== undefined) throw invalidParam(`Invalid page token, parsed value=${JSON.stringify(tokenValue(token)).replace(/"/g, "'").replace(/:/g, ': ')}`);
    return { next_page_token: encodePageToken(0) };
  }
  const offset = decodePageToken(token);
  const length = history?.length ?? 0;
  const end = Math.min(length, offset + maxResults);
  const metrics: unknown[] = [];
  for (let i = offset; history && i < end; i++) metrics.push(metricJson(history.pointAt(i)));
  return compact({ metrics, next_page_token: end < length ? encodePageToken(end) : undefined });
}

function tokenValue(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
  } catch {
    return token;
  }
}

export function loggedModelJson(m: LoggedModelEntity): Record<string, unknown> {
  const info = compact({
    model_id: m.model_id,
    experiment_id: m.experiment_id,
    name: m.name,
    creation_timestamp_ms: m.creation_timestamp_ms,
    last_updated_timestamp_ms: m.last_updated_timestamp_ms,
    artifact_uri: m.artifact_uri,
    status: m.status,
    model_type: m.model_type,
    source_run_id: m.source_run_id,
    tags: m.tags,
  });
  // MLflow's proto JSON keeps model_type "" (a set string field).
  info.model_type = m.model_type;
  return { info, data: compact({ params: m.params, metrics: m.metrics }) };
}

function findLoggedModel(store: Store, id: string): LoggedModelEntity {
  const m = store.loggedModels.get(id);
  if (!m) throw notFound(`Logged model with ID '${id}' not found.`);
  return m;
}

const LOGGED_MODEL_DOMAIN: FilterDomain = {
  entities: ['attribute', 'metric', 'parameter', 'tag'],
  attributes: { name: 'string', model_id: 'string', model_type: 'string', status: 'string', source_run_id: 'string', creation_timestamp: 'numeric', creation_time: 'numeric' },
};

function attributeOf(m: LoggedModelEntity, key: string): string | number | undefined {
  if (key === 'creation_timestamp' || key === 'creation_time') return m.creation_timestamp_ms;
  return (m as unknown as Record<string, string | undefined>)[key];
}

function searchLoggedModels({ store, args }: RouteContext) {
  const ids = args.strs('experiment_ids');
  if (ids.length === 0) throw invalidParam("Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters.");
  let clauses;
  try {
    clauses = parseFilter(args.str('filter'), LOGGED_MODEL_DOMAIN);
  } catch (e) {
    if (e instanceof FilterError) throw invalidParam(e.message);
    throw e;
  }
  const maxResults = args.int('max_results', 100, 1000);
  const offset = decodePageToken(args.str('page_token'));
  const list = [...store.loggedModels.values()]
    .filter((m) => ids.includes(m.experiment_id))
    .filter((m) =>
      clauses.every((c) =>
        matches(
          c.entity === 'attribute' ? attributeOf(m, c.key)
            : c.entity === 'parameter' ? m.params.find((p) => p.key === c.key)?.value
              : c.entity === 'tag' ? m.tags.find((t) => t.key === c.key)?.value
                : (m.metrics.find((x) => x.key === c.key)?.value as number | undefined),
          c,
        ),
      ),
    )
    // Newest first, as the SQL store orders by creation time.
    .sort((a, b) => b.creation_timestamp_ms - a.creation_timestamp_ms || (a.model_id < b.model_id ? -1 : 1));
  const items = list.slice(offset, offset + maxResults);
  const end = offset + items.length;
  return compact({ models: items.map(loggedModelJson), next_page_token: end < list.length ? encodePageToken(end) : undefined });
}

function cleanRel(p: string | undefined): string {
  const clean = (p ?? '').replace(/^\/+|\/+$/g, '');
  if (clean.split('/').includes('..')) throw invalidParam(`Invalid path: ${p}`);
  return clean;
}

function listLoggedModelArtifacts(store: Store, m: LoggedModelEntity, args: RequestArgs) {
  const rel = cleanRel(args.str('artifact_directory_path'));
  const root = mlflowArtifactsPath(m.artifact_uri) ?? '';
  const entries = store.artifacts.list([root, rel].filter(Boolean).join('/')) ?? [];
  const files = entries.map((e) => compact({ path: rel ? `${rel}/${e.name}` : e.name, is_dir: e.isDir, file_size: e.isDir ? undefined : e.size }));
  return compact({ root_uri: m.artifact_uri, files });
}

/** `…/logged-models/<id>`, `…/<id>/artifacts/directories` and `…/<id>/artifacts/files?artifact_file_path=`. */
function loggedModelPrefix(ctx: RouteContext, serve: (ctx: RouteContext, fullPath: string) => typeof HANDLED) {
  const [id, ...rest] = ctx.subPath.split('/');
  const m = findLoggedModel(ctx.store, id!);
  const sub = rest.join('/');
  if (sub === '') return { model: loggedModelJson(m) };
  if (sub === 'artifacts/directories') return listLoggedModelArtifacts(ctx.store, m, ctx.args);
  if (sub === 'artifacts/files') {
    const file = ctx.args.str('artifact_file_path');
    if (!file) throw new ApiError(400, 'BAD_REQUEST', 'Request must include the "artifact_file_path" query parameter.');
    return serve(ctx, `${mlflowArtifactsPath(m.artifact_uri) ?? ''}/${cleanRel(file)}`);
  }
  throw notFound(`No route for logged-models/${ctx.subPath}`);
}

/** `models:/m-…` → the logged model's artifact_uri (what get-download-uri answers on MLflow 3). */
export function resolveLoggedModelSource(store: Store, source: string): string | undefined {
  const id = /^models:\/(m-[A-Za-z0-9]+)\/?$/.exec(source)?.[1];
  return id ? store.loggedModels.get(id)?.artifact_uri : undefined;
}

export const mlflow3Routes: RouteTable = {
  '/api/2.0/mlflow/server-features': { methods: ['GET'], handler: () => ({ workspaces_enabled: false }) },
  '/ajax-api/2.0/mlflow/server-features': { methods: ['GET'], handler: () => ({ workspaces_enabled: false }) },
  '/api/2.0/mlflow/logged-models/search': { methods: ['POST'], handler: searchLoggedModels },
  '/ajax-api/2.0/mlflow/logged-models/search': { methods: ['POST'], handler: searchLoggedModels },
};

/** Prefix routes (the model id is part of the path); `serve` sends a file of the artifact store. */
export function mlflow3PrefixRoutes(serve: (ctx: RouteContext, fullPath: string) => typeof HANDLED): RouteTable {
  const route: Route = { methods: ['GET'], handler: (ctx) => loggedModelPrefix(ctx, serve) };
  return { '/api/2.0/mlflow/logged-models/': route, '/ajax-api/2.0/mlflow/logged-models/': route };
}
