/**
 * registered-models/search and model-versions/search over the file store's registry, with the
 * same filter subset as runs (name / tags, run_id, version_number) and offset page tokens.
 */
import { MlflowError } from '../mlflow/errors';
import type { RegistrySearch } from '../mlflow/searchParams';
import type { ModelVersion, ModelVersionsPage, RegisteredModel, RegisteredModelsPage } from '../mlflow/types';
import type { StoreProblem } from './experimentFiles';
import { checkedMaxResults, pageOf, queryFingerprint } from './pageToken';
import { modelDir, readModelFolder, readVersions, scanModels, toRegisteredModel, type ModelFolder } from './registryFiles';
import { clauseMatches, compareBy, parseFilter, parseOrderBy, type Entity, type OrderTerm, type SearchDomain } from './searchFilter';

const MODEL_DOMAIN: SearchDomain = {
  what: 'registered model',
  entities: ['attribute', 'tag'],
  attributes: { name: 'string', creation_timestamp: 'number', last_updated_timestamp: 'number' },
};
const VERSION_DOMAIN: SearchDomain = {
  what: 'model version',
  entities: ['attribute', 'tag'],
  attributes: {
    name: 'string', run_id: 'string', source: 'string', version_number: 'number', current_stage: 'string',
    user_id: 'string', creation_timestamp: 'number', last_updated_timestamp: 'number',
  },
};

type Item = { name?: string; tags: Array<{ key: string; value: string }> } & Record<string, unknown>;

function lookupOf(item: Item) {
  return (entity: Entity, key: string): string | number | undefined => {
    if (entity === 'tag') return item.tags.find((t) => t.key === key)?.value;
    const value = key === 'version_number' ? Number(item.version) : item[key];
    return typeof value === 'string' || typeof value === 'number' ? value : undefined;
  };
}

function select<T extends Item>(items: T[], search: RegistrySearch, domain: SearchDomain, defaults: OrderTerm[]): T[] {
  const clauses = parseFilter(search.filter, domain);
  const terms = [...parseOrderBy(search.orderBy, domain), ...defaults];
  return items.filter((i) => clauses.every((c) => clauseMatches(lookupOf(i)(c.entity, c.key), c))).sort(compareBy(terms, lookupOf));
}

export function notFound(userMessage: string): MlflowError {
  return new MlflowError({ kind: 'notFound', userMessage });
}

export async function searchRegisteredModels(root: string, search: RegistrySearch, problems: StoreProblem[]): Promise<RegisteredModelsPage> {
  const maxResults = checkedMaxResults(search.maxResults, 100, 1000);
  const scan = await scanModels(root);
  problems.push(...scan.problems);
  const models = await Promise.all(scan.folders.map((f) => toRegisteredModel(f)));
  const sorted = select(models as Array<RegisteredModel & Item>, search, MODEL_DOMAIN, [{ entity: 'attribute', key: 'name', descending: false }]);
  const page = pageOf(sorted, maxResults, search.pageToken, queryFingerprint(['models', search.filter, search.orderBy]));
  return { registered_models: page.items, next_page_token: page.next_page_token };
}

export async function searchModelVersions(root: string, search: RegistrySearch, problems: StoreProblem[]): Promise<ModelVersionsPage> {
  const maxResults = checkedMaxResults(search.maxResults, 1000, 200_000);
  const scan = await scanModels(root);
  problems.push(...scan.problems);
  const versions = (await Promise.all(scan.folders.map((f) => readVersions(f, problems)))).flat();
  const sorted = select(versions as Array<ModelVersion & Item>, search, VERSION_DOMAIN, [
    { entity: 'attribute', key: 'name', descending: false },
    { entity: 'attribute', key: 'version_number', descending: true },
  ]);
  const page = pageOf(sorted, maxResults, search.pageToken, queryFingerprint(['versions', search.filter, search.orderBy]));
  return { model_versions: page.items, next_page_token: page.next_page_token };
}

async function modelFolder(root: string, name: string): Promise<ModelFolder> {
  const dir = modelDir(root, name);
  const folder = dir === undefined ? undefined : await readModelFolder(dir);
  if (folder === undefined) throw notFound(`The registered model "${name}" does not exist in this mlruns folder.`);
  return folder;
}

export async function getRegisteredModel(root: string, name: string): Promise<RegisteredModel> {
  return toRegisteredModel(await modelFolder(root, name));
}

export async function getModelVersion(root: string, name: string, version: string): Promise<ModelVersion> {
  const folder = await modelFolder(root, name);
  const found = (await readVersions(folder)).find((v) => v.version === version.trim());
  if (found === undefined) throw notFound(`Version ${version} of the registered model "${name}" does not exist.`);
  return found;
}
