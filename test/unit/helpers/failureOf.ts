import assert from 'node:assert/strict';
import { MlflowError } from '../../../src/core/mlflow/errors';

/** Awaits a call that must fail with an MlflowError and returns that error for inspection. */
export async function failureOf(promise: Promise<unknown>): Promise<MlflowError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected MlflowError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}
