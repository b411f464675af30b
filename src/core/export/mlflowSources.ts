// Model files through the tracking server: its proxied `mlflow-artifacts:` store (listing one
// folder per call, downloads with Range), and the get-artifact route of a model version, which
// the server answers from any store — S3 included — with its own credentials.
// Files are opened with the client's open… methods: Node streams on Node's http client, not fetch
// (see src/core/mlflow/bulkGet.ts: a fraction of the CPU per chunk on big files).
import type { Readable } from 'node:stream';
import type { MlflowClient } from '../mlflow';
import type { FileSource, RemoteFile } from './fileSource';
import { checkRemotePath } from './remotePath';

const LIST_CONCURRENCY = 4;

/** `mlflow-artifacts:/1/<run>/artifacts/model` → `1/<run>/artifacts/model`. */
export function proxiedArtifactPath(uri: string): string | undefined {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri.trim());
  return m ? m[1]!.replace(/\/+$/, '') : undefined;
}

export class ProxiedArtifactSource implements FileSource {
  readonly route = 'mlflow-artifacts' as const;
  readonly location: string;

  constructor(
    private readonly client: MlflowClient,
    private readonly root: string,
  ) {
    this.location = `mlflow-artifacts:/${root}`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const files: RemoteFile[] = [];
    let level = [''];
    while (level.length > 0) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += LIST_CONCURRENCY) {
        const batch = level.slice(i, i + LIST_CONCURRENCY);
        const listings = await Promise.all(
          batch.map(async (dir) => ({ dir, entries: await this.client.listMlflowArtifacts([this.root, dir].filter(Boolean).join('/'), { signal }) })),
        );
        for (const { dir, entries } of listings) {
          for (const entry of entries) {
            // MLflow lists names relative to the folder asked for; a name is one path segment.
            const name = checkRemotePath(entry.path, this.location);
            const rel = dir ? `${dir}/${name}` : name;
            if (entry.is_dir) next.push(rel);
            else files.push({ path: rel, size: entry.file_size });
          }
        }
      }
      level = next;
    }
    return files;
  }

  async open(file: RemoteFile, start: number, signal?: AbortSignal, responseTimeoutMs?: number): Promise<Readable> {
    const download = await this.client.openMlflowArtifact(`${this.root}/${file.path}`, { signal, range: start > 0 ? { start } : undefined, headersTimeoutMs: responseTimeoutMs });
    return download.body;
  }
}

/**
 * The server-side route for stores the client cannot reach itself (S3 without local keys):
 * the run's artifacts/list for the listing, model-versions/get-artifact for the bytes.
 */
export class ServerRouteSource implements FileSource {
  readonly route = 'server' as const;
  readonly location: string;

  constructor(
    private readonly client: MlflowClient,
    private readonly model: { name: string; version: string },
    private readonly runId: string,
    /** The model's folder inside the run's artifacts ('' = the whole run). */
    private readonly runPath: string,
  ) {
    this.location = `models:/${model.name}/${model.version} (through the tracking server)`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const entries = await this.client.listArtifactsRecursive(this.runId, this.runPath || undefined, { signal });
    const prefix = this.runPath ? `${this.runPath}/` : '';
    return entries
      .filter((e) => !e.is_dir)
      .map((e) => {
        const rel = e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path;
        return { path: checkRemotePath(rel, this.location), size: e.file_size };
      });
  }

  async open(file: RemoteFile, start: number, signal?: AbortSignal, responseTimeoutMs?: number): Promise<Readable> {
    const download = await this.client.openModelVersionArtifact(this.model.name, this.model.version, file.path, {
      signal,
      range: start > 0 ? { start } : undefined,
      headersTimeoutMs: responseTimeoutMs,
    });
    return download.body;
  }
}

/**
 * MLflow 3's logged model through the server (any store behind it, S3 included): the
 * logged-models directories listing and the ajax-api files route the MLflow UI reads.
 */
export class LoggedModelServerSource implements FileSource {
  readonly route = 'server' as const;
  readonly location: string;

  constructor(
    private readonly client: MlflowClient,
    private readonly modelId: string,
  ) {
    this.location = `models:/${modelId} (through the tracking server)`;
  }

  async list(signal?: AbortSignal): Promise<RemoteFile[]> {
    const entries = await this.client.listLoggedModelArtifactsRecursive(this.modelId, undefined, { signal });
    return entries.filter((e) => !e.is_dir).map((e) => ({ path: checkRemotePath(e.path, this.location), size: e.file_size }));
  }

  async open(file: RemoteFile, start: number, signal?: AbortSignal, responseTimeoutMs?: number): Promise<Readable> {
    const download = await this.client.openLoggedModelArtifact(this.modelId, file.path, { signal, range: start > 0 ? { start } : undefined, headersTimeoutMs: responseTimeoutMs });
    return download.body;
  }
}
