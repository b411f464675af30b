// Which S3-compatible endpoint, region, addressing style and credentials to use, from the user's
// settings and the environment — decided the way MLflow's own S3 artifact repository does, so a
// login node that works with `mlflow` works here: MLFLOW_S3_ENDPOINT_URL names the endpoint,
// AWS_PROFILE / ~/.aws name the credentials. Plain data in, plain data out (unit-tested).

export type AddressingStyle = 'path' | 'virtual' | 'auto';

export interface S3SettingsInput {
  /** `mlwf.s3.endpoint`; empty = MLFLOW_S3_ENDPOINT_URL, then AWS_ENDPOINT_URL_S3/AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** `mlwf.s3.region`; empty = AWS_REGION / AWS_DEFAULT_REGION, then the ABCI 3.0 default. */
  readonly region?: string;
  /** `mlwf.s3.addressingStyle`; `auto` = path style for a custom endpoint (what S3-compatible stores need). */
  readonly addressingStyle?: AddressingStyle;
  /** `mlwf.s3.profile`; empty = AWS_PROFILE, then `default`. */
  readonly profile?: string;
}

export interface StaticS3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ResolvedS3Settings {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly profile: string | undefined;
  /** MLFLOW_S3_IGNORE_TLS, as MLflow reads it. */
  readonly ignoreTls: boolean;
}

/** ABCI 3.0's Cloud Storage region (see the site profile notes in the README). */
export const DEFAULT_S3_REGION = 'ap-northeast-1';

function firstNonEmpty(...values: Array<string | undefined>): string | undefined {
  for (const v of values) {
    const t = v?.trim();
    if (t) return t;
  }
  return undefined;
}

export function resolveS3Settings(input: S3SettingsInput, env: NodeJS.ProcessEnv): ResolvedS3Settings {
  const endpoint = firstNonEmpty(input.endpoint, env.MLFLOW_S3_ENDPOINT_URL, env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL);
  const style = input.addressingStyle ?? 'auto';
  return {
    endpoint,
    region: firstNonEmpty(input.region, env.AWS_REGION, env.AWS_DEFAULT_REGION) ?? DEFAULT_S3_REGION,
    // Custom endpoints (ABCI, moto, MinIO) rarely resolve bucket sub-domains: path style unless the user chose otherwise.
    forcePathStyle: style === 'path' || (style === 'auto' && endpoint !== undefined),
    profile: firstNonEmpty(input.profile, env.AWS_PROFILE),
    ignoreTls: /^(true|1)$/i.test(env.MLFLOW_S3_IGNORE_TLS ?? ''),
  };
}

/** `s3://bucket/some/key` → bucket and key (no leading slash); undefined for other URIs. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(uri.trim());
  if (!m || !m[1]) return undefined;
  return { bucket: m[1], key: m[2]!.replace(/^\/+/, '') };
}
