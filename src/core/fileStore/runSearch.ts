/**
 * runs/search over run folders: filter and sort on run infos, reading from disk only the
 * params, tags and metrics the filter or order actually names (a run can have thousands of
 * metric points; listing must not read them all). Full Run DTOs are read for one page only.
 */
import * as path from 'node:path';
import type { RunInfo } from '../mlflow/types';
import type { ViewType } from '../mlflow/types';
import type { StoreProblem } from './experimentFiles';
import { latestPoint, readMetricHistory, readRunInfo } from './runFiles';
import { clauseMatches, compareBy, parseFilter, parseOrderBy, type Clause, type Entity, type OrderTerm, type SearchDomain } from './searchFilter';
import { keyPath, listEntries, readTextIfExists } from './storeFiles';

export const RUN_DOMAIN: SearchDomain = {
  what: 'run',
  entities: ['metric', 'param', 'tag', 'attribute'],
  attributes: {
    status: 'string', run_name: 'string', run_id: 'string', user_id: 'string', artifact_uri: 'string',
    lifecycle_stage: 'string', start_time: 'number', end_time: 'number',
  },
};

// MLflow adds these after the caller's order so pages are deterministic.
const DEFAULT_ORDER: OrderTerm[] = [
  { entity: 'attribute', key: 'start_time', descending: true },
  { entity: 'attribute', key: 'run_id', descending: false },
];

export interface RunFolder {
  dir: string;
  info: RunInfo;
}

/** Folders of an experiment that hold a run (a meta.yaml); broken ones become problems. */
export async function listRunFolders(expDir: string, expFolder: string, problems: StoreProblem[]): Promise<RunFolder[]> {
  const entries = (await listEntries(expDir)).filter((e) => e.isDirectory() && e.name !== 'tags' && e.name !== 'datasets');
  const runs = await Promise.all(
    entries.map(async (e): Promise<RunFolder | undefined> => {
      const dir = path.join(expDir, e.name);
      try {
        const info = await readRunInfo(dir);
        return info === undefined ? undefined : { dir, info };
      } catch (err) {
        problems.push({ kind: 'run', folder: `${expFolder}/${e.name}`, id: e.name, message: (err as Error).message });
        return undefined;
      }
    }),
  );
  return runs.filter((r): r is RunFolder => r !== undefined);
}

export function matchesViewType(stage: string, viewType: ViewType | undefined): boolean {
  const deleted = stage === 'deleted';
  return viewType === 'ALL' || (viewType === 'DELETED_ONLY' ? deleted : !deleted);
}

type Values = Map<string, string | number | undefined>;

function attribute(info: RunInfo, key: string): string | number | undefined {
  const value = (info as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** Reads the values of the named params/tags/metrics of one run. */
async function loadValues(run: RunFolder, wanted: ReadonlyArray<{ entity: Entity; key: string }>): Promise<Values> {
  const values: Values = new Map();
  await Promise.all(
    wanted.map(async ({ entity, key }) => {
      const id = `${entity}:${key}`;
      if (entity === 'attribute' || values.has(id)) return;
      if (entity === 'metric') {
        values.set(id, latestPoint((await readMetricHistory(run.dir, key)) ?? [])?.value);
        return;
      }
      const file = keyPath(path.join(run.dir, entity === 'param' ? 'params' : 'tags'), key);
      values.set(id, file === undefined ? undefined : await readTextIfExists(file));
    }),
  );
  return values;
}

/** Filters and sorts runs; returns them in page order (the caller pages and reads full runs). */
export async function filterAndSortRuns(runs: readonly RunFolder[], filter: string | undefined, orderBy: readonly string[] | undefined): Promise<RunFolder[]> {
  const clauses: Clause[] = parseFilter(filter, RUN_DOMAIN);
  const terms = [...parseOrderBy(orderBy, RUN_DOMAIN), ...DEFAULT_ORDER];
  const wanted = [...clauses, ...terms].filter((c) => c.entity !== 'attribute');
  const withValues = await Promise.all(runs.map(async (run) => ({ run, values: wanted.length ? await loadValues(run, wanted) : new Map() as Values })));
  const lookup = (item: { run: RunFolder; values: Values }) => (entity: Entity, key: string) =>
    entity === 'attribute' ? attribute(item.run.info, key) : item.values.get(`${entity}:${key}`);
  return withValues
    .filter((item) => clauses.every((c) => clauseMatches(lookup(item)(c.entity, c.key), c)))
    .sort(compareBy(terms, lookup))
    .map((item) => item.run);
}
