// The AWS profiles a user can pick for Cloud Storage (ABCI users often keep one per group): the
// sections of ~/.aws/credentials and ~/.aws/config (or AWS_SHARED_CREDENTIALS_FILE /
// AWS_CONFIG_FILE), read with the SDK's own parser so the picker sees exactly what the
// credential chain will read. Loaded with the SDK, on first use.
import { loadAwsSdk } from './awsSdk';

export interface AwsProfile {
  readonly name: string;
  /** In ~/.aws/credentials. */
  readonly inCredentials: boolean;
  /** In ~/.aws/config. */
  readonly inConfig: boolean;
  /** Has an access key (credentials or config), not only SSO / role / process settings. */
  readonly hasKeys: boolean;
  readonly region?: string;
}

type Sections = Record<string, Record<string, string | undefined>>;

/** Profiles of both files, merged by name and sorted (`default` first); other section kinds left out. */
export function mergeProfiles(credentialsFile: Sections, configFile: Sections): AwsProfile[] {
  // The config file also holds `[sso-session x]` and `[services x]`, kept by the SDK as "sso-session.x".
  const isProfile = (name: string) => !/^(sso-session|services)\./.test(name);
  const names = new Set([...Object.keys(credentialsFile), ...Object.keys(configFile)].filter(isProfile));
  return [...names]
    .map((name): AwsProfile => {
      const creds = credentialsFile[name];
      const config = configFile[name];
      return {
        name,
        inCredentials: creds !== undefined,
        inConfig: config !== undefined,
        hasKeys: Boolean(creds?.aws_access_key_id || config?.aws_access_key_id),
        region: config?.region ?? creds?.region,
      };
    })
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** The profiles the credential chain can use now (files read afresh, not from the SDK's cache). */
export async function listAwsProfiles(): Promise<AwsProfile[]> {
  const { config } = await loadAwsSdk();
  const files = await config.loadSharedConfigFiles({ ignoreCache: true });
  return mergeProfiles(files.credentialsFile as Sections, files.configFile as Sections);
}
