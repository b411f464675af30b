// Entry of dist/vendor/aws-sdk.js: the AWS SDK parts the extension uses, in one file the host
// bundle loads on first use (src/core/s3/awsSdk.ts). Both package names resolve here.
export * from '@aws-sdk/client-s3';
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
