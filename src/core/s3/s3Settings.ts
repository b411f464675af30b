// Which S3-compatible endpoint, region, addressing style and credentials to use, from the user's
// settings, the environment and the site profile — decided the way MLflow's own S3 artifact
// repository does, so a login node that works with `mlflow` works here: MLFLOW_S3_ENDPOINT_URL
// names the endpoint, AWS_PROFILE / ~/.aws name the credentials. Order, for each value:
// explicit `mlwf.s3.*` setting > environment > the site profile's default. Plain data in, plain
// data out (unit-tested as a table in test/unit/s3-settings.test.ts).

export type AddressingStyle = 'path' | 'virtual' | 'auto';
export type S3SiteProfile = 'abci3' | 'abci2' | 'generic';

/** Where a resolved value came from (shown in messages, e.g. which endpoint cannot be reached). */
export type S3SettingSource = 'setting' | 'environment' | 'siteProfile' | 'default';

export interface S3SettingsInput {
  /** `mlwf.siteProfile`; omitted = `abci3`, the setting's default. */
  readonly siteProfile?: S3SiteProfile;
  /** `mlwf.s3.endpoint`; empty = MLFLOW_S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then the site's. */
  readonly endpoint?: string;
  /** `mlwf.s3.region`; empty = AWS_REGION / AWS_DEFAULT_REGION, then the site's (us-east-1 for generic). */
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
  /** Where endpoint, region and profile came from. */
  readonly sources?: { readonly endpoint: S3SettingSource; readonly region: S3SettingSource; readonly profile: S3SettingSource };
}

/** Each site's Cloud Storage: ABCI 3.0 signs with ap-northeast-1, ABCI 2.0 with us-east-1 (ABCI user guides). */
export const SITE_S3_DEFAULTS: Record<S3SiteProfile, { endpoint?: string; region: string }> = {
  abci3: { endpoint: 'https://s3.v3.abci.ai', region: 'ap-northeast-1' },
  abci2: { endpoint: 'https://s3.abci.ai', region: 'us-east-1' },
  // No endpoint: the SDK's own (AWS S3); us-east-1 is AWS's default region for S3.
  generic: { region: 'us-east-1' },
};

/** ABCI 3.0's Cloud Storage region (the default site profile). */
export const DEFAULT_S3_REGION = SITE_S3_DEFAULTS.abci3.region;

/** A setting's value as a site profile id; anything else is the default `abci3`. */
export function asSiteProfile(value: unknown): S3SiteProfile {
  // A plain Grid Engine cell is not ABCI: its Cloud Storage defaults are those of any machine.
  if (value === 'gridengine') return 'generic';
  return value === 'abci2' || value === 'generic' ? value : 'abci3';
}

function firstOf(candidates: Array<[string | undefined, S3SettingSource]>): [string, S3SettingSource] | undefined {
  for (const [v, source] of candidates) {
    const t = v?.trim();
    if (t) return [t, source];
  }
  return undefined;
}

export function resolveS3Settings(input: S3SettingsInput, env: NodeJS.ProcessEnv): ResolvedS3Settings {
  const site = SITE_S3_DEFAULTS[asSiteProfile(input.siteProfile)];
  const endpoint = firstOf([
    [input.endpoint, 'setting'],
    [env.MLFLOW_S3_ENDPOINT_URL, 'environment'],
    [env.AWS_ENDPOINT_URL_S3, 'environment'],
    [env.AWS_ENDPOINT_URL, 'environment'],
    [site.endpoint, 'siteProfile'],
  ]);
  const region = firstOf([
    [input.region, 'setting'],
    [env.AWS_REGION, 'environment'],
    [env.AWS_DEFAULT_REGION, 'environment'],
    [site.region, 'siteProfile'],
  ])!;
  const profile = firstOf([
    [input.profile, 'setting'],
    [env.AWS_PROFILE, 'environment'],
  ]);
  const style = input.addressingStyle ?? 'auto';
  return {
    endpoint: endpoint?.[0],
    region: region[0],
    // Custom endpoints (ABCI, moto, MinIO) rarely resolve bucket sub-domains: path style unless the user chose otherwise.
    forcePathStyle: style === 'path' || (style === 'auto' && endpoint !== undefined),
    profile: profile?.[0],
    ignoreTls: /^(true|1)$/i.test(env.MLFLOW_S3_IGNORE_TLS ?? ''),
    sources: { endpoint: endpoint?.[1] ?? 'default', region: region[1], profile: profile?.[1] ?? 'default' },
  };
}

/** `s3://bucket/some/key` → bucket and key (no leading slash); undefined for other URIs. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(uri.trim());
  if (!m || !m[1]) return undefined;
  return { bucket: m[1], key: m[2]!.replace(/^\/+/, '') };
}
