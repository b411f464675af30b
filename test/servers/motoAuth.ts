/**
 * moto with signature checks on, for credential and permission tests: a port of
 * moto-auth-setup.sh to the SDK (no `aws` CLI). Before checks are turned on it creates an admin
 * IAM user (every action allowed) and, through a role session in a second account, that
 * account's buckets (bucket names are shared by all accounts, as on a real server); then `POST /moto-api/reset-auth` with body `0`
 * makes moto verify every request's SigV4 signature and IAM policy. Auth mode is global to a
 * moto process, so this always starts a moto of its own (never the rig's shared one).
 *
 * moto in this mode refuses any query value containing `/` (ListObjectsV2 or
 * ListMultipartUploads with a Prefix like `a/`) with a false SignatureDoesNotMatch: tests list
 * without a prefix.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from './moto';

export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

export interface AuthMoto {
  readonly moto: MotoServer;
  readonly endpoint: string;
  /** Keys of an IAM user allowed everything (for setting up and checking the server). */
  readonly admin: Keys;
  /** A new IAM user with an inline policy of these statements and an access key. */
  createUser(name: string, statements: readonly PolicyStatement[]): Promise<Keys>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
export const OTHER_ACCOUNT_ID = '111111111111';

/** S3 access to exactly these buckets (and their objects), plus listing the account's buckets. */
export function bucketPolicy(...buckets: string[]): PolicyStatement[] {
  return [
    { Effect: 'Allow', Action: 's3:*', Resource: buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]) },
    { Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:CreateBucket'], Resource: '*' },
  ];
}

async function createUserWith(iam: IAMClient, name: string, statements: readonly PolicyStatement[]): Promise<Keys> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `${name}-policy`, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error(`moto gave no access key for ${name}`);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

export interface AuthMotoOptions {
  readonly bin?: string;
  /**
   * Buckets created by another account (111111111111, through an STS role session) before the
   * checks are on: their names are taken for everyone else. (moto cannot check a role session
   * of a role it does not hold, so that account does nothing afterwards.)
   */
  readonly otherAccountBuckets?: readonly string[];
}

export async function startMotoWithAuth(options: AuthMotoOptions = {}): Promise<AuthMoto> {
  const moto = await startMoto(options.bin);
  try {
    const endpoint = moto.endpoint;
    // Before reset-auth moto accepts any keys: these only pick the default account.
    const bootstrap = { accessKeyId: 'test', secretAccessKey: 'test' };
    const setupIam = new IAMClient({ endpoint, region: REGION, credentials: bootstrap });
    const admin = await createUserWith(setupIam, 'mlwf-admin', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    setupIam.destroy();
    const sts = new STSClient({ endpoint, region: REGION, credentials: bootstrap });
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT_ID}:role/mlwf-other`, RoleSessionName: 'mlwf-tests' }))).Credentials;
    sts.destroy();
    if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new Error('moto gave no role session');
    const other = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: assumed.AccessKeyId, secretAccessKey: assumed.SecretAccessKey, sessionToken: assumed.SessionToken } });
    for (const bucket of options.otherAccountBuckets ?? []) await other.send(new CreateBucketCommand({ Bucket: bucket }));
    other.destroy();
    // From now on every request's signature and policy are checked (body 0: no unchecked requests left).
    const reset = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '0' });
    if (!reset.ok) throw new Error(`moto refused reset-auth: ${reset.status} ${await reset.text()}`);
    const iam = new IAMClient({ endpoint, region: REGION, credentials: admin });
    return {
      moto,
      endpoint,
      admin,
      createUser: (name, statements) => createUserWith(iam, name, statements),
      stop: async () => {
        iam.destroy();
        await moto.stop();
      },
    };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}
