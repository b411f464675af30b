/**
 * MLflow's search filter grammar (mlflow/utils/search_utils.py), for runs, experiments and the
 * model registry: `<entity>.<key> <comparator> <value>` clauses joined by AND only. Identifiers may
 * be quoted with backticks or double quotes. Errors carry MLflow's wording because clients show
 * them to users.
 */
export class FilterError extends Error {}

export type Entity = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset';
export type Value = { kind: 'string'; text: string } | { kind: 'number'; num: number; text: string } | { kind: 'list'; items: string[] } | { kind: 'bare'; text: string };

export interface Clause {
  entity: Entity;
  key: string;
  comparator: string;
  value: Value;
}

export type AttributeKind = 'string' | 'numeric' | 'list';

/** What a search accepts: which entities, and which attribute keys of which kind. */
export interface FilterDomain {
  entities: Entity[];
  attributes: Record<string, AttributeKind>;
  /** Alternative attribute names (`created` -> `start_time`). */
  aliases?: Record<string, string>;
}

const ENTITY_NAMES: Record<string, Entity> = {
  metric: 'metric', metrics: 'metric',
  parameter: 'parameter', parameters: 'parameter', param: 'parameter', params: 'parameter',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attr: 'attribute', attributes: 'attribute', run: 'attribute',
  dataset: 'dataset', datasets: 'dataset',
};

// Python's repr of MLflow's comparator sets, as its error messages print them (MLflow's message
// really has an unbalanced quote: "not one of '{...}").
const NUMERIC_COMPARATORS = ['<', '<=', '>', '!=', '>=', '='];
const NUMERIC_SET_TEXT = "{'<', '<=', '>', '!=', '>=', '='}";
const STRING_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE'];
const STRING_SET_TEXT = "{'!=', '=', 'LIKE', 'ILIKE'}";
const LIST_COMPARATORS = [...STRING_COMPARATORS, 'IN', 'NOT IN'];
const LIST_SET_TEXT = "{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}";

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }
  atEnd(): boolean {
    this.ws();
    return this.pos >= this.s.length;
  }
  /** Reads quoted text starting at the current quote character; undefined if unterminated. */
  quoted(): string | undefined {
    const q = this.s[this.pos];
    const end = this.s.indexOf(q, this.pos + 1);
    if (end < 0) return undefined;
    const text = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return text;
  }
  /** An identifier like metrics.rmse, tags.`a b`, params."x.y"; returns its raw text. */
  identifier(): string {
    this.ws();
    const start = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (/[A-Za-z0-9_.\-:/]/.test(c)) this.pos++;
      else if (c === '`' || c === '"') {
        if (this.quoted() === undefined) break;
      } else break;
    }
    return this.s.slice(start, this.pos);
  }
  word(): string {
    this.ws();
    const m = /^[A-Za-z_]+/.exec(this.s.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }
  comparator(): string {
    this.ws();
    const op = /^[<>=!~]+/.exec(this.s.slice(this.pos));
    if (op) {
      this.pos += op[0].length;
      return op[0];
    }
    const w = this.word().toUpperCase();
    if (w === 'NOT') return `NOT ${this.word().toUpperCase()}`;
    return w;
  }
  value(): Value | undefined {
    this.ws();
    const c = this.s[this.pos];
    if (c === undefined) return undefined;
    if (c === "'" || c === '"') {
      const text = this.quoted();
      return text === undefined ? undefined : { kind: 'string', text };
    }
    if (c === '(') {
      const close = this.s.indexOf(')', this.pos);
      if (close < 0) return undefined;
      const inner = this.s.slice(this.pos + 1, close);
      this.pos = close + 1;
      const items = inner.split(',').map((x) => x.trim());
      if (items.some((x) => !/^(['"]).*\1$/.test(x))) {
        throw new FilterError(`While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (${inner})`);
      }
      return { kind: 'list', items: items.map((x) => x.slice(1, -1)) };
    }
    const num = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.s.slice(this.pos));
    if (num && !/[A-Za-z_]/.test(this.s[this.pos + num[0].length] ?? '')) {
      this.pos += num[0].length;
      return { kind: 'number', num: Number(num[0]), text: num[0] };
    }
    const bare = /^[^\s()]+/.exec(this.s.slice(this.pos));
    if (!bare) return undefined;
    this.pos += bare[0].length;
    return { kind: 'bare', text: bare[0] };
  }
}

function unquote(s: string): string {
  return /^([`"]).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** Splits `entity.key` (first dot outside quotes); a bare name is an attribute. */
export function splitIdentifier(raw: string, domain: FilterDomain): { entity: Entity; key: string } {
  let dot = -1;
  let quote = '';
  for (let i = 0; i < raw.length && dot < 0; i++) {
    const c = raw[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === '`' || c === '"') quote = c;
    else if (c === '.') dot = i;
  }
  const entityText = dot < 0 ? 'attribute' : raw.slice(0, dot);
  const keyText = dot < 0 ? raw : raw.slice(dot + 1);
  const entity = ENTITY_NAMES[unquote(entityText)];
  if (!entity || !domain.entities.includes(entity)) {
    const valid = domain.entities.map((e) => `'${e}'`).join(', ');
    throw new FilterError(`Invalid entity type '${unquote(entityText)}'. Valid values are [${valid}]`);
  }
  let key = unquote(keyText);
  if (entity === 'attribute') {
    key = domain.aliases?.[key] ?? key;
    if (!(key in domain.attributes)) {
      const valid = `{${Object.keys(domain.attributes).map((k) => `'${k}'`).join(', ')}}`;
      throw new FilterError(`Invalid attribute key '${key}' specified. Valid keys are '${valid}'`);
    }
  }
  return { entity, key };
}

function kindOf(entity: Entity, key: string, domain: FilterDomain): AttributeKind {
  if (entity === 'metric') return 'numeric';
  if (entity === 'attribute') return domain.attributes[key];
  if (entity === 'dataset') return 'list';
  return 'string';
}

function checkClause(c: Clause, domain: FilterDomain): void {
  const kind = kindOf(c.entity, c.key, domain);
  const [allowed, setText] =
    kind === 'numeric' ? [NUMERIC_COMPARATORS, NUMERIC_SET_TEXT] : kind === 'list' ? [LIST_COMPARATORS, LIST_SET_TEXT] : [STRING_COMPARATORS, STRING_SET_TEXT];
  if (!allowed.includes(c.comparator)) {
    throw new FilterError(`Invalid comparator '${c.comparator}' not one of '${setText}`);
  }
  const shown = c.value.kind === 'list' ? `(${c.value.items.join(', ')})` : c.value.text;
  if (kind === 'numeric' && c.value.kind !== 'number') {
    throw new FilterError(
      c.entity === 'metric'
        ? `Expected numeric value type for metric. Found ${shown}`
        : `Expected numeric value type for numeric attribute: ${c.key}. Found ${shown}`,
    );
  }
  const wantsList = c.comparator === 'IN' || c.comparator === 'NOT IN';
  if (wantsList && c.value.kind !== 'list') {
    throw new FilterError(`Expected a list of quoted string values for '${c.comparator}' comparator. Got value ${shown}`);
  }
  if (kind !== 'numeric' && !wantsList && c.value.kind !== 'string') {
    const what = c.entity === 'parameter' ? 'param' : c.entity;
    throw new FilterError(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${shown}`);
  }
}

/** Parses a filter string into clauses; throws FilterError with MLflow's messages. */
export function parseFilter(filter: string | undefined, domain: FilterDomain, opts: { allowTrailingAnd?: boolean } = {}): Clause[] {
  const r = new Reader(filter ?? '');
  const clauses: Clause[] = [];
  if (r.atEnd()) return clauses;
  for (;;) {
    const start = r.pos;
    const ident = r.identifier();
    const comparator = ident ? r.comparator() : '';
    const value = comparator ? r.value() : undefined;
    if (!ident || !comparator || !value) {
      const tokens = r.s.slice(start).trim().split(/\s+/).filter(Boolean);
      throw new FilterError(`Invalid clause(s) in filter string: ${tokens.join(', ')}`);
    }
    const clause: Clause = { ...splitIdentifier(ident, domain), comparator, value };
    checkClause(clause, domain);
    clauses.push(clause);
    if (r.atEnd()) return clauses;
    const joinStart = r.pos;
    const join = r.word();
    if (join.toUpperCase() !== 'AND') {
      throw new FilterError(`Invalid clause(s) in filter string: ${r.s.slice(joinStart).trim().split(/\s+/).join(', ')}`);
    }
    if (r.atEnd()) {
      if (opts.allowTrailingAnd) return clauses;
      throw new FilterError(`Invalid clause(s) in filter string: ${join}`);
    }
  }
}

/** SQL LIKE: `%` any run, `_` one character; ILIKE ignores case. */
export function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

/** Does `actual` satisfy the clause? Missing values never match (not even `!=`), as in SQL. */
export function matches(actual: string | number | undefined, c: Clause): boolean {
  if (actual === undefined) return false;
  const v = c.value;
  if (typeof actual === 'number') {
    const x = v.kind === 'number' ? v.num : NaN;
    switch (c.comparator) {
      case '=': return actual === x;
      case '!=': return actual !== x;
      case '<': return actual < x;
      case '<=': return actual <= x;
      case '>': return actual > x;
      case '>=': return actual >= x;
      default: return false;
    }
  }
  if (c.comparator === 'IN' || c.comparator === 'NOT IN') {
    const inList = v.kind === 'list' && v.items.includes(actual);
    return c.comparator === 'IN' ? inList : !inList;
  }
  const text = v.kind === 'list' ? '' : v.text;
  switch (c.comparator) {
    case '=': return actual === text;
    case '!=': return actual !== text;
    case 'LIKE': return likeToRegExp(text, false).test(actual);
    case 'ILIKE': return likeToRegExp(text, true).test(actual);
    default: return false;
  }
}
