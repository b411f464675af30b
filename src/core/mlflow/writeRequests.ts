/**
 * What every write to MLflow shares (trackingWrites.ts, registryWrites.ts): input checked with
 * MLflow's own rules before anything is sent (writeLimits.ts), then one call to the REST API,
 * never retried — a lost answer to a write must not repeat it — whose failure comes back as a
 * write error (writeErrors.ts). MLflow's updates are PATCH and its deletes DELETE, both with a
 * JSON body like its POSTs (mlflow/protos/service.proto, model_registry.proto).
 */
import type { CallOptions, MlflowHttp } from './http';
import type { ServerCapabilities } from './serverCapabilities';
import { writing } from './writeErrors';
import { maxTagValueLength, rejectIf, tagKeyProblem, tagValueProblem, type TagTarget } from './writeLimits';

const API = 'api/2.0/mlflow';

export type Capabilities = (options?: CallOptions) => Promise<ServerCapabilities>;

export interface TagOptions extends CallOptions {
  /** Allow `mlflow.*` keys (the user chose to see system tags). */
  allowSystem?: boolean;
}

/**
 * The server's major version, asked only when a value lies between the 2.x and 3.x limits: a
 * value within both needs no question (the answer is memoised per connection anyway).
 */
export async function checkTagValue(capabilities: Capabilities, target: TagTarget, value: string, options: CallOptions): Promise<void> {
  if (value.length <= maxTagValueLength(target, undefined)) return;
  rejectIf(tagValueProblem(target, value, (await capabilities(options)).major));
}

export class WriteRequests {
  constructor(
    private readonly http: MlflowHttp,
    readonly capabilities: Capabilities,
  ) {}

  post(route: string, body: unknown, options: CallOptions): Promise<unknown> {
    return writing(() => this.http.postJson(`${API}/${route}`, body, { signal: options.signal, idempotent: false }));
  }

  patch(route: string, body: unknown, options: CallOptions): Promise<unknown> {
    return writing(() => this.http.patchJson(`${API}/${route}`, body, { signal: options.signal }));
  }

  delete(route: string, body: Record<string, string>, options: CallOptions): Promise<unknown> {
    return writing(() => this.http.deleteJson(`${API}/${route}`, body, { signal: options.signal }));
  }

  /** A tag's key and value against MLflow's limits for `target` (throws before any request). */
  async checkTag(target: TagTarget, key: string, value: string, options: TagOptions): Promise<void> {
    rejectIf(tagKeyProblem(key, options));
    await checkTagValue(this.capabilities, target, value, options);
  }
}
