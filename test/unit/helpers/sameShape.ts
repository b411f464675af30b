// Shape comparison of JSON answers, shared by the conformance suites of both MLflow generations.
import assert from 'node:assert/strict';

export function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Same keys, same JSON types, recursively; arrays' elements against the recorded ones. */
export function assertSameShape(actual: unknown, expected: unknown, at = '$'): void {
  assert.equal(jsonType(actual), jsonType(expected), `${at}: JSON type`);
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return;
    actual.forEach((a, i) => assertSameShape(a, expected[Math.min(i, expected.length - 1)], `${at}[${i}]`));
  } else if (jsonType(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${at}: keys`);
    for (const k of Object.keys(e)) assertSameShape(a[k], e[k], `${at}.${k}`);
  }
}
