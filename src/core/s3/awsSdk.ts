// The AWS SDK (S3 client and credential chain) is the largest library the extension host uses
// and most sessions never touch Cloud Storage, so it is loaded on first use, never at activation:
// the host bundle resolves these imports to dist/vendor/aws-sdk.js (see esbuild.mjs), read only
// when this promise first runs. Plain Node (tests, the CLI) resolves them from node_modules.
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as CredentialProviders from '@aws-sdk/credential-providers';

export interface AwsSdk {
  readonly s3: typeof ClientS3;
  readonly credentials: typeof CredentialProviders;
}

let loading: Promise<AwsSdk> | undefined;

/**
 * The CommonJS module itself: import() of a CommonJS file names only the exports Node's lexer can
 * see, and the vendor bundle's `export *` of the S3 client is not among them (S3Client would be
 * undefined in the host), while `default` is always the whole module.exports.
 */
function whole<T>(namespace: T): T {
  return (namespace as { default?: T }).default ?? namespace;
}

export function loadAwsSdk(): Promise<AwsSdk> {
  loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/credential-providers')]).then(([s3, credentials]) => ({
    s3: whole(s3),
    credentials: whole(credentials),
  }));
  return loading;
}
