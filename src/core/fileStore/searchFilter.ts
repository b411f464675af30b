/**
 * The subset of MLflow's search grammar the file store understands: `<entity>.<key> <op> <value>`
 * clauses joined by AND (names quoted with backticks or double quotes when they contain dots or
 * spaces), and `order_by` terms. Whatever is outside the subset is refused with an
 * invalidParameter MlflowError naming the problem: silently ignoring part of a filter would show
 * wrong runs as if they matched.
 */
import { MlflowError } from '../mlflow/errors';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type ValueKind = 'string' | 'number';

export interface Clause {
  entity: Entity;
  key: string;
  op: string;
  value: string | number;
}

export interface OrderTerm {
  entity: Entity;
  key: string;
  descending: boolean;
}

/** What one search accepts: entities, and attribute names with their kind. */
export interface SearchDomain {
  what: string;
  entities: readonly Entity[];
  attributes: Readonly<Record<string, ValueKind>>;
}

const ENTITY_NAMES: Record<string, Entity> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
};
const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];

export function invalidSearch(message: string): MlflowError {
  return new MlflowError({ kind: 'invalidParameter', userMessage: message });
}

// Tokens: quoted names, quoted strings, numbers, words/identifier parts, operators, '.'.
const TOKEN = /\s*(`[^`]*`|"[^"]*"|'[^']*'|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])|[A-Za-z_][\w\-:/]*|<=|>=|!=|=|<|>|\.|\S)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) tokens.push(m[1]!);
  if (/\S/.test(text.slice(TOKEN.lastIndex))) throw invalidSearch(`The search "${text}" could not be read.`);
  return tokens;
}

const unquote = (t: string): string => (/^([`"]).*\1$/s.test(t) ? t.slice(1, -1) : t);

/** `entity.key` (key may contain further dots) or a bare attribute name, from tokens at `i`. */
function readIdentifier(tokens: string[], i: number, domain: SearchDomain): { entity: Entity; key: string; next: number } {
  const first = tokens[i];
  if (first === undefined || /^['.]/.test(first)) throw invalidSearch(`A ${domain.what} search clause must start with a name such as metrics.rmse.`);
  let entity: Entity = 'attribute';
  let j = i;
  if (tokens[i + 1] === '.' && ENTITY_NAMES[unquote(first)] !== undefined) {
    entity = ENTITY_NAMES[unquote(first)]!;
    j = i + 2;
  }
  // Unquoted keys such as metrics.train.loss arrive as word '.' word: glue them back.
  let key = unquote(tokens[j] ?? '');
  j++;
  while (tokens[j] === '.' && tokens[j + 1] !== undefined && !/^['`"]/.test(tokens[j + 1]!)) {
    key += `.${tokens[j + 1]}`;
    j += 2;
  }
  if (key === '') throw invalidSearch(`A ${domain.what} search clause is missing the name after "${first}".`);
  if (!domain.entities.includes(entity)) {
    throw invalidSearch(`${domain.what} searches cannot use "${first}": use ${domain.entities.join(', ')}.`);
  }
  if (entity === 'attribute' && domain.attributes[key] === undefined) {
    throw invalidSearch(`"${key}" is not a searchable ${domain.what} attribute: use ${Object.keys(domain.attributes).join(', ')}.`);
  }
  return { entity, key, next: j };
}

function kindOf(entity: Entity, key: string, domain: SearchDomain): ValueKind {
  if (entity === 'metric') return 'number';
  if (entity === 'attribute') return domain.attributes[key]!;
  return 'string';
}

export function parseFilter(filter: string | undefined, domain: SearchDomain): Clause[] {
  const text = filter?.trim() ?? '';
  if (text === '') return [];
  const tokens = tokenize(text);
  const clauses: Clause[] = [];
  let i = 0;
  for (;;) {
    const { entity, key, next } = readIdentifier(tokens, i, domain);
    let op = (tokens[next] ?? '').toUpperCase();
    i = next + 1;
    if (op === 'NOT' || op === 'IN') {
      throw invalidSearch(`The local file store does not support "${op === 'NOT' ? 'NOT IN' : 'IN'}" in searches: use = with AND.`);
    }
    const kind = kindOf(entity, key, domain);
    const allowed = kind === 'number' ? NUMBER_OPS : STRING_OPS;
    if (!allowed.includes(op)) {
      throw invalidSearch(`"${op || '(nothing)'}" cannot compare ${entity === 'attribute' ? key : `${entity} values`}: use one of ${allowed.join(', ')}.`);
    }
    const raw = tokens[i++];
    let value: string | number;
    if (kind === 'number') {
      if (raw === undefined || !/^-?[\d.]/.test(raw)) throw invalidSearch(`${key} must be compared with a number (got ${raw ?? 'nothing'}).`);
      value = Number(raw);
    } else {
      if (raw === undefined || !/^(['"]).*\1$/s.test(raw)) {
        throw invalidSearch(`${key} must be compared with a quoted string such as 'value' (got ${raw ?? 'nothing'}).`);
      }
      value = raw.slice(1, -1);
    }
    op = op === '==' ? '=' : op;
    clauses.push({ entity, key, op, value });
    if (i >= tokens.length) return clauses;
    if (tokens[i]!.toUpperCase() !== 'AND' || i + 1 >= tokens.length) {
      throw invalidSearch(`Search clauses can only be joined with AND (found "${tokens.slice(i).join(' ')}").`);
    }
    i++;
  }
}

/** SQL LIKE: `%` any text, `_` one character; ILIKE ignores case. */
function likePattern(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

/** Missing values never match, not even `!=` (as in MLflow's SQL stores). */
export function clauseMatches(actual: string | number | undefined, c: Clause): boolean {
  if (actual === undefined) return false;
  if (typeof c.value === 'number') {
    const x = typeof actual === 'number' ? actual : Number(actual);
    switch (c.op) {
      case '=': return x === c.value;
      case '!=': return x !== c.value;
      case '<': return x < c.value;
      case '<=': return x <= c.value;
      case '>': return x > c.value;
      case '>=': return x >= c.value;
      default: return false;
    }
  }
  const s = String(actual);
  switch (c.op) {
    case '=': return s === c.value;
    case '!=': return s !== c.value;
    case 'LIKE': return likePattern(c.value, false).test(s);
    case 'ILIKE': return likePattern(c.value, true).test(s);
    default: return false;
  }
}

/** `metrics.rmse DESC`, `params.alpha`, `start_time ASC`… */
export function parseOrderBy(orderBy: readonly string[] | undefined, domain: SearchDomain): OrderTerm[] {
  return (orderBy ?? []).map((term) => {
    const tokens = tokenize(term.trim());
    const { entity, key, next } = readIdentifier(tokens, 0, domain);
    const direction = (tokens[next] ?? 'ASC').toUpperCase();
    if ((direction !== 'ASC' && direction !== 'DESC') || tokens.length > next + 1) {
      throw invalidSearch(`The sort order "${term}" is not valid: use a name followed by ASC or DESC.`);
    }
    return { entity, key, descending: direction === 'DESC' };
  });
}

/** NaN sorts above every number, as in MLflow's stores (a diverged run is not "best"). */
function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export type Lookup = (entity: Entity, key: string) => string | number | undefined;

/** Comparator over items for `terms`; missing values sort last whatever the direction. */
export function compareBy<T>(terms: readonly OrderTerm[], lookup: (item: T) => Lookup): (a: T, b: T) => number {
  return (a, b) => {
    const la = lookup(a);
    const lb = lookup(b);
    for (const t of terms) {
      const va = la(t.entity, t.key);
      const vb = lb(t.entity, t.key);
      if (va === vb) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const order = typeof va === 'number' && typeof vb === 'number' ? compareNumbers(va, vb) : String(va) < String(vb) ? -1 : String(va) > String(vb) ? 1 : 0;
      if (order !== 0) return t.descending ? -order : order;
    }
    return 0;
  };
}
