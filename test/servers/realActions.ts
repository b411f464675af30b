// What the write-action suites on real MLflow servers share: the ids actions-setup.py prints, the
// model to register from them, and a helper that expects a call to be refused with an MlflowError.
import assert from 'node:assert/strict';
import { isMlflowError, type MlflowError, type ModelToRegister } from '../../src/core/mlflow';

/** What test/fixtures/real-mlflow/actions-setup.py prints. */
export interface ActionIds {
  mlflow3: boolean;
  experiment_id: string;
  model_run: { run_id: string; artifact_uri: string; model_id: string | null };
  second_run: { run_id: string };
  registered_model: { name: string; version: string };
}

/** The run's model as MLflow logged it: a logged model on MLflow 3, the run's folder on 2. */
export function modelOf(ids: ActionIds): ModelToRegister {
  return ids.mlflow3 && ids.model_run.model_id
    ? { kind: 'loggedModel', modelId: ids.model_run.model_id }
    : { kind: 'runFolder', runId: ids.model_run.run_id, artifactUri: ids.model_run.artifact_uri, path: 'model' };
}

/** The MlflowError `call` is refused with (fails the test if it succeeds or throws anything else). */
export async function rejected(call: () => Promise<unknown>): Promise<MlflowError> {
  try {
    await call();
  } catch (e) {
    assert.ok(isMlflowError(e), `an MlflowError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to be refused');
}
