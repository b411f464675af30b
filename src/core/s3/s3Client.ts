// The S3 client factory every Cloud Storage feature uses (export downloads now, upload later):
// endpoint, region and addressing style from resolveS3Settings, credentials either given
// (from SecretStorage) or found by the AWS chain (environment, ~/.aws profiles, SSO, …).
import * as https from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadAwsSdk } from './awsSdk';
import type { ResolvedS3Settings, StaticS3Credentials } from './s3Settings';

export interface S3ClientOptions {
  settings: ResolvedS3Settings;
  /** Keys the user stored in the editor's secret storage; win over the AWS chain. */
  credentials?: StaticS3Credentials;
  /** Attempts per request for the SDK's own retries (it retries 5xx, throttling, resets before the body). */
  maxAttempts?: number;
  /** Milliseconds to wait for the TCP/TLS connection before the attempt fails (default 15 s). */
  connectionTimeoutMs?: number;
}

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

export async function credentialProvider(settings: ResolvedS3Settings, credentials?: StaticS3Credentials): Promise<CredentialProvider> {
  if (credentials) return async () => credentials;
  const sdk = await loadAwsSdk();
  return sdk.credentials.fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {});
}

export async function createS3Client(options: S3ClientOptions): Promise<S3Client> {
  const { settings } = options;
  const sdk = await loadAwsSdk();
  return new sdk.s3.S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: await credentialProvider(settings, options.credentials),
    maxAttempts: options.maxAttempts ?? 4,
    // S3-compatible stores (ABCI, moto) differ in the newer default checksums; ask only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // MLFLOW_S3_IGNORE_TLS: a site's self-signed endpoint the user chose to trust.
    requestHandler: {
      // An endpoint that drops packets (ABCI's from outside its network) fails in seconds, not minutes.
      connectionTimeout: options.connectionTimeoutMs ?? 15_000,
      ...(settings.ignoreTls ? { httpsAgent: new https.Agent({ rejectUnauthorized: false }) } : {}),
    },
  });
}

/**
 * Whether any credentials can be found, without sending a request. Lets callers offer the
 * tracking server's own route instead of failing later with a signature error.
 */
export async function hasS3Credentials(settings: ResolvedS3Settings, credentials?: StaticS3Credentials): Promise<boolean> {
  if (credentials) return true;
  try {
    const found = await (await credentialProvider(settings))();
    return Boolean(found.accessKeyId && found.secretAccessKey);
  } catch {
    return false;
  }
}

/** The client's custom endpoint as a URL (undefined for AWS's own), for messages that name it. */
export async function clientEndpoint(client: S3Client): Promise<string | undefined> {
  try {
    const ep = await (client.config as { endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path?: string }> }).endpoint?.();
    if (!ep) return undefined;
    const path = ep.path && ep.path !== '/' ? ep.path.replace(/\/+$/, '') : '';
    return `${ep.protocol}//${ep.hostname}${ep.port ? `:${ep.port}` : ''}${path}`;
  } catch {
    return undefined;
  }
}
