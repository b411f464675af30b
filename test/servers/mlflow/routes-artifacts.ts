/**
 * Artifact serving: the mlflow-artifacts proxy (listing + download with HTTP Range) and the UI's
 * get-artifact routes. A missing file is a 500 INTERNAL_ERROR, as MLflow 2.14.3 answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guessMimeType, mlflowArtifactsPath, type ArtifactFile } from './artifacts';
import { ApiError, compact, invalidParam, notFound } from './http-util';
import { HANDLED, type RouteContext, type RouteTable } from './router';
import { resolveLoggedModelSource } from './mlflow3';
import type { Store } from './store';

const CHUNK = 64 * 1024;

function missingFile(relPath: string): ApiError {
  return new ApiError(
    500,
    'INTERNAL_ERROR',
    `The following failures occurred while downloading one or more artifacts from ./mlartifacts:\n##### File ${relPath} #####\n[Errno 2] No such file or directory: './mlartifacts/${relPath}'`,
  );
}

function checkedPath(p: string): string {
  const clean = p.replace(/^\/+/, '');
  if (clean.split('/').includes('..')) throw invalidParam(`Invalid path: ${p}`);
  return clean;
}

/** [start, end] inclusive, 'unsatisfiable', or undefined for "send everything". */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // multi-range or malformed: ignore
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: ArtifactFile, filePath: string): Promise<void> {
  const headers: Record<string, string | number> = {
    'Content-Type': guessMimeType(filePath),
    'Content-Disposition': `attachment; filename=${filePath.split('/').pop()}`,
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
  };
  const range = parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${file.size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const [start, end] = range ?? [0, file.size - 1];
  const length = Math.max(0, end - start + 1);
  headers['Content-Length'] = length;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  for (let pos = start; pos <= end && !res.destroyed; pos += CHUNK) {
    const ok = res.write(file.read(pos, Math.min(CHUNK, end + 1 - pos)));
    if (!ok) await new Promise<void>((resolve) => {
      // Both listeners go once either fires, so a long file does not pile up 'close' listeners.
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }
  res.end();
}

export function serve(ctx: RouteContext, fullPath: string): typeof HANDLED {
  const file = ctx.store.artifacts.get(fullPath);
  if (!file) throw missingFile(fullPath);
  void sendFile(ctx.req, ctx.res, file, fullPath);
  return HANDLED;
}

function listProxied({ store, args }: RouteContext) {
  const dir = checkedPath(args.str('path') ?? '');
  const entries = store.artifacts.list(dir) ?? [];
  return compact({
    files: entries.map((e) => compact({ path: e.name, is_dir: e.isDir, file_size: e.isDir ? undefined : e.size })),
  });
}

function downloadProxied(ctx: RouteContext) {
  return serve(ctx, checkedPath(ctx.subPath));
}

/** A run-relative artifact (`runs:/` and `mlflow-artifacts:/` sources) to a store path. */
function resolveUri(store: Store, uri: string, rel: string): string | undefined {
  const logged = resolveLoggedModelSource(store, uri);
  if (logged) return resolveUri(store, logged, rel);
  const runsUri = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  if (runsUri) {
    const run = store.runsById.get(runsUri[1]);
    return run && store.runArtifactPath(run, [runsUri[2], rel].filter(Boolean).join('/'));
  }
  const base = mlflowArtifactsPath(uri);
  return base === undefined ? undefined : [base, rel].filter(Boolean).join('/');
}

function uiRunArtifact(ctx: RouteContext) {
  const runId = ctx.args.required('run_uuid');
  const rel = checkedPath(ctx.args.required('path'));
  const run = ctx.store.runsById.get(runId);
  if (!run) throw notFound(`Run with id=${runId} not found`);
  if (ctx.store.s3 && run.artifactUri.startsWith('s3://')) return sendS3(ctx, `${run.artifactUri.replace(/\/+$/, '')}/${rel}`);
  const full = ctx.store.runArtifactPath(run, rel);
  if (full === undefined) throw missingFile(rel);
  return serve(ctx, full);
}

function uiModelVersionArtifact(ctx: RouteContext) {
  const name = ctx.args.required('name');
  const version = ctx.args.required('version');
  const rel = checkedPath(ctx.args.required('path'));
  const v = ctx.store.models.get(name)?.versions.find((x) => x.version === version);
  if (!v) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  if (ctx.store.s3 && v.source.startsWith('s3://')) return sendS3(ctx, `${v.source.replace(/\/+$/, '')}/${rel}`);
  const full = resolveUri(ctx.store, v.source, rel);
  if (full === undefined) throw missingFile(rel);
  return serve(ctx, full);
}

/** A file of an `s3://` store, read with the server's own S3 access (as MLflow does with boto3). */
async function sendS3(ctx: RouteContext, uri: string): Promise<typeof HANDLED> {
  await ctx.store.s3!.send(ctx.req, ctx.res, uri);
  return HANDLED;
}

export const artifactRoutes: RouteTable = {
  '/api/2.0/mlflow-artifacts/artifacts': { methods: ['GET'], handler: listProxied },
  '/ajax-api/2.0/mlflow-artifacts/artifacts': { methods: ['GET'], handler: listProxied },
  '/get-artifact': { methods: ['GET', 'HEAD'], handler: uiRunArtifact },
  '/model-versions/get-artifact': { methods: ['GET', 'HEAD'], handler: uiModelVersionArtifact },
};

/** Prefix routes: everything after the prefix is the file's path. */
export const artifactPrefixRoutes: RouteTable = {
  '/api/2.0/mlflow-artifacts/artifacts/': { methods: ['GET', 'HEAD'], handler: downloadProxied },
  '/ajax-api/2.0/mlflow-artifacts/artifacts/': { methods: ['GET', 'HEAD'], handler: downloadProxied },
};
