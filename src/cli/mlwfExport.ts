// `mlwf-export`: the export pipeline from a login node's shell, for batch use — the same flags
// and environment variables as `mlwf_export_model`, which it replaces. Proves src/core runs
// without VS Code: this file is the whole composition root.
import './smallYoungGeneration'; // first: V8's young generation must stay small from the start
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { exportModelVersion, formatBytes, isExportError, type S3Route } from '../core/export';
import { connectionFromEnv, MlflowClient, normalizeTrackingUri } from '../core/mlflow';
import { createS3Client, hasS3Credentials } from '../core/s3/s3Client';
import { resolveS3Settings, type AddressingStyle } from '../core/s3/s3Settings';
import { EXIT, exitCodeFor } from './exitCodes';
import { progressPrinter } from './progressLine';

export const USAGE = `Usage: mlwf-export --model-registry-url URL --model-name NAME (--model-version N | --model-alias ALIAS) [options]

Writes MLWFExportModel_YYYYMMDDhhmmss/ (artifacts/, info.yaml, model.tar.gz) in the output folder.

Options:
  --model-registry-url URL   tracking server with its path prefix (default: $MLFLOW_TRACKING_URI)
  --model-name NAME          registered model name
  --model-version N          version number
  --model-alias ALIAS        or an alias, e.g. champion
  --output DIR               where the export folder is created (default: the current folder)
  --concurrency N            files downloaded at once (default 4)
  --compression-level N      gzip level 1-9 (default 6)
  --threads N                compression threads (default: every core)
  --response-timeout SECONDS how long the server may take to start sending a file (default 300;
                             it reads a whole file from its artifact store first)
  --creator NAME             Creator.Name in info.yaml (default: the run's mlflow.user)
  --s3-route auto|direct|server
                             s3:// sources: straight with AWS keys, or through the tracking server (default auto)
  --s3-endpoint URL          S3 endpoint (default: $MLFLOW_S3_ENDPOINT_URL, else https://s3.v3.abci.ai)
  --s3-region REGION         (default: $AWS_REGION, else ap-northeast-1)
  --s3-addressing-style auto|path|virtual
  --aws-profile NAME         (default: $AWS_PROFILE)
  --quiet                    no progress output
  -h, --help

Environment: MLFLOW_TRACKING_URI, MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD or
MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_INSECURE_TLS, MLFLOW_TRACKING_SERVER_CERT_PATH,
MLFLOW_S3_ENDPOINT_URL, MLFLOW_S3_IGNORE_TLS, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
AWS_PROFILE, AWS_REGION, ~/.aws/credentials and ~/.aws/config.

Exit codes: 0 exported; 1 export failed; 2 bad usage; 3 the server refused the credentials;
4 the disk is full; 5 no S3 credentials with --s3-route=direct; 130 interrupted.
Nothing half-written is ever left behind.
`;

function positiveInt(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}.`);
  return n;
}

const secondsToMs = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

class UsageError extends Error {}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args;
  try {
    ({ values: args } = parseArgs({
      args: argv,
      options: {
        'model-registry-url': { type: 'string' },
        'model-name': { type: 'string' },
        'model-version': { type: 'string' },
        'model-alias': { type: 'string' },
        output: { type: 'string' },
        concurrency: { type: 'string' },
        'compression-level': { type: 'string' },
        threads: { type: 'string' },
        'response-timeout': { type: 'string' },
        creator: { type: 'string' },
        's3-route': { type: 'string' },
        's3-endpoint': { type: 'string' },
        's3-region': { type: 'string' },
        's3-addressing-style': { type: 'string' },
        'aws-profile': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (args.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    const fromEnv = connectionFromEnv(env);
    const trackingUri = args['model-registry-url'] ?? fromEnv.trackingUri;
    if (!trackingUri) throw new UsageError('--model-registry-url (or MLFLOW_TRACKING_URI) is required.');
    if (!args['model-name']) throw new UsageError('--model-name is required.');
    if (!args['model-version'] === !args['model-alias']) throw new UsageError('Give exactly one of --model-version and --model-alias.');
    const route = (args['s3-route'] ?? 'auto') as S3Route;
    if (!['auto', 'direct', 'server'].includes(route)) throw new UsageError('--s3-route must be auto, direct or server.');
    const style = args['s3-addressing-style'] as AddressingStyle | undefined;
    if (style && !['auto', 'path', 'virtual'].includes(style)) throw new UsageError('--s3-addressing-style must be auto, path or virtual.');
    const options = {
      concurrency: positiveInt(args.concurrency, '--concurrency', 64),
      compressionLevel: positiveInt(args['compression-level'], '--compression-level', 9),
      threads: positiveInt(args.threads, '--threads', 256),
      responseTimeoutMs: secondsToMs(positiveInt(args['response-timeout'], '--response-timeout', 86_400)),
    };

    let normalized: string;
    try {
      normalized = normalizeTrackingUri(trackingUri);
    } catch {
      throw new UsageError(`"${trackingUri}" is not a URL (expected e.g. http://host:port/mlflow/).`);
    }
    const client = new MlflowClient({ trackingUri: normalized, auth: fromEnv.auth, tls: fromEnv.tls });
    const s3Settings = resolveS3Settings({ endpoint: args['s3-endpoint'], region: args['s3-region'], addressingStyle: style, profile: args['aws-profile'] }, env);
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    const progress = args.quiet ? undefined : progressPrinter(process.stderr);
    try {
      const result = await exportModelVersion({
        client,
        name: args['model-name'],
        version: args['model-version'],
        alias: args['model-alias'],
        outputDir: args.output ?? process.cwd(),
        s3Route: route,
        s3: async () => ((await hasS3Credentials(s3Settings)) ? createS3Client({ settings: s3Settings }) : undefined),
        ...options,
        creator: args.creator,
        signal: controller.signal,
        onProgress: progress?.update,
        log: progress?.log,
      });
      progress?.done();
      if (!args.quiet) {
        process.stderr.write(
          `Exported ${result.version.name} version ${result.version.version}: ${result.files} files, ${formatBytes(result.bytes)} (model.tar.gz ${formatBytes(result.archiveBytes)}), from ${result.route === 'server' ? 'the tracking server' : result.sourceUri}.\n`,
        );
      }
      process.stdout.write(`${result.folder}\n`);
      return EXIT.ok;
    } catch (error) {
      progress?.done();
      if (!isExportError(error)) throw error;
      process.stderr.write(`mlwf-export: ${error.userMessage}\n`);
      return exitCodeFor(error.kind, (error.cause as { kind?: string } | undefined)?.kind);
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      await client.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`mlwf-export: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    process.stderr.write(`mlwf-export: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

// Run when executed (the bundle or tsx), not when imported by tests.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked.endsWith('mlwf-export.js') || invoked.endsWith('mlwfExport.ts')) {
  // Compression runs on libuv's thread pool (4 threads by default): give it every core. This
  // must happen before the pool's first use, which is why it is here and not in main().
  process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
