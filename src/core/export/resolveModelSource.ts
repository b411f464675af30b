// Finds where a model version's files are and how to read them, the way MLflow's client does:
// ask `model-versions/get-download-uri`, then follow the URI's scheme. `runs:/` and `models:/`
// URIs are indirections resolved through the tracking server (a few hops at most); MLflow 3's
// `models:/m-…` is a logged model, whose files are at its own `artifact_uri`.
import type { S3Client } from '@aws-sdk/client-s3';
import { versionArtifactPath } from '../artifacts/artifactPaths';
import { loggedModelIdOfArtifactUri } from '../backend/modelFiles';
import { loggedModelIdOfUri, type MlflowClient, type ModelVersion } from '../mlflow';
import { parseS3Uri } from '../s3/s3Settings';
import { ExportError } from './exportErrors';
import type { FileSource } from './fileSource';
import { LocalSource, localPathOf } from './localSource';
import { LoggedModelServerSource, ProxiedArtifactSource, ServerRouteSource, proxiedArtifactPath } from './mlflowSources';
import { S3Source } from './s3Source';
import * as l10n from '@vscode/l10n';

/** How to reach `s3://` sources: straight (`direct`), through the server (`server`), or direct when keys exist (`auto`). */
export type S3Route = 'auto' | 'direct' | 'server';

export interface SourceContext {
  client: MlflowClient;
  /** The version being exported (the server route needs its name, version and run). */
  version: ModelVersion;
  /** Exporting a logged model (`models:/m-…`) rather than a registered version: the chain starts there. */
  loggedModelId?: string;
  s3Route: S3Route;
  /** Makes an S3 client; resolves undefined when no credentials can be found. */
  s3: () => Promise<S3Client | undefined>;
  signal?: AbortSignal;
  cwd?: string;
}

export interface ResolvedSource {
  source: FileSource;
  /** Every URI followed, first to last (for the log and AdditionalInfo). */
  chain: string[];
}

const MAX_HOPS = 5;

export async function resolveModelSource(ctx: SourceContext): Promise<ResolvedSource> {
  const { client, version, signal } = ctx;
  const first = ctx.loggedModelId ? `models:/${ctx.loggedModelId}` : await client.getModelVersionDownloadUri(version.name, version.version, { signal });
  const chain = [first];
  let uri = first;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = await followIndirection(ctx, uri);
    if (next === undefined) return { source: await concreteSource(ctx, uri), chain };
    chain.push(next);
    uri = next;
  }
  throw new ExportError('unsupportedSource', l10n.t("The model's source URI {0} points through more than {1} other URIs, so the export was stopped.", first, MAX_HOPS));
}

/** `runs:/` and `models:/` become the URI they stand for; undefined for concrete URIs. */
async function followIndirection(ctx: SourceContext, uri: string): Promise<string | undefined> {
  const { client, signal } = ctx;
  const runs = /^runs:\/+([^/]+)\/?(.*)$/.exec(uri);
  if (runs) {
    const run = await client.getRun(runs[1]!, { signal });
    const root = run.info.artifact_uri.replace(/\/+$/, '');
    const sub = runs[2]!.replace(/^\/+|\/+$/g, '');
    return sub ? `${root}/${sub}` : root;
  }
  const loggedModelId = loggedModelIdOfUri(uri);
  if (loggedModelId) {
    const model = await client.getLoggedModel(loggedModelId, { signal });
    const sub = uri.trim().slice(`models:/${loggedModelId}`.length).replace(/^\/+|\/+$/g, '');
    const root = model.info.artifact_uri.replace(/\/+$/, '');
    if (!root) throw new ExportError('unsupportedSource', l10n.t('The logged model {0} has no artifact location on the server.', loggedModelId));
    return sub ? `${root}/${sub}` : root;
  }
  const models = /^models:\/+([^/@]+)(?:\/([^/]+)|@(.+))\/?$/.exec(uri);
  if (models) {
    const name = decodeURIComponent(models[1]!);
    const target = models[3]
      ? await client.getModelVersionByAlias(name, models[3], { signal })
      : /^latest$/i.test(models[2]!)
        ? await latestVersion(client, name, signal)
        : await client.getModelVersion(name, models[2]!, { signal });
    return client.getModelVersionDownloadUri(target.name, target.version, { signal });
  }
  return undefined;
}

async function latestVersion(client: MlflowClient, name: string, signal?: AbortSignal): Promise<ModelVersion> {
  const versions = await client.getLatestVersions(name, { signal });
  const newest = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (!newest) throw new ExportError('unsupportedSource', l10n.t('The registered model {0} has no versions.', name));
  return newest;
}

async function concreteSource(ctx: SourceContext, uri: string): Promise<FileSource> {
  const proxied = proxiedArtifactPath(uri);
  if (proxied !== undefined) return new ProxiedArtifactSource(ctx.client, proxied);
  const s3 = parseS3Uri(uri);
  if (s3) return s3Source(ctx, uri, s3);
  if (/^file:/i.test(uri) || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) return new LocalSource(localPathOf(uri, ctx.cwd));
  throw new ExportError('unsupportedSource', l10n.t('MLWF cannot read model files from {0} (only mlflow-artifacts:, s3:, runs:, models:, file: and local paths).', uri.replace(/\/\/[^@/]*@/, '//')));
}

async function s3Source(ctx: SourceContext, uri: string, where: { bucket: string; key: string }): Promise<FileSource> {
  if (ctx.s3Route !== 'server') {
    const s3 = await ctx.s3();
    if (s3) return new S3Source(s3, where.bucket, where.key);
    if (ctx.s3Route === 'direct') {
      throw new ExportError('s3CredentialsMissing', l10n.t('No Cloud Storage credentials were found to read {0} (set AWS credentials or a profile, or download through the tracking server).', uri));
    }
  }
  return serverRoute(ctx, uri);
}

/** The tracking server lists the run's folder and serves each file with its own credentials. */
async function serverRoute(ctx: SourceContext, uri: string): Promise<FileSource> {
  const { client, version, signal } = ctx;
  // MLflow 3: the files are the logged model's, which the server lists and serves itself.
  const loggedModelId = loggedModelIdOfArtifactUri(uri) ?? ctx.loggedModelId ?? loggedModelIdOfUri(version.source);
  if (loggedModelId) return new LoggedModelServerSource(client, loggedModelId);
  if (!version.run_id) {
    throw new ExportError('unsupportedSource', l10n.t('Version {0} of {1} was not logged from a run, so its files at {2} cannot be listed through the tracking server.', version.version, version.name, uri));
  }
  const run = await client.getRun(version.run_id, { signal });
  const runPath = versionArtifactPath(uri, version.run_id, run.info.artifact_uri);
  if (runPath === undefined) {
    throw new ExportError('unsupportedSource', l10n.t("The files at {0} are outside run {1}'s artifacts, so they cannot be listed through the tracking server.", uri, version.run_id));
  }
  return new ServerRouteSource(client, { name: version.name, version: version.version }, version.run_id, runPath);
}
