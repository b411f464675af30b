// One error type for a failed upload, with a kind the editor switches on (Set Keys…, Choose
// Profile…, Open Settings, pick another bucket) and a one-sentence English message for logs;
// nothing is left pending on the server when one is thrown (the multipart upload is aborted
// first). The error keeps what the message needs: the server's code, the bucket, the operation
// that was refused and the endpoint that could not be reached.

export type UploadErrorKind =
  | 'cancelled'
  | 'badBucketName'
  | 'noCredentials'
  | 'credentials'
  | 'accessDenied'
  | 'noSuchBucket'
  | 'bucketTaken'
  | 'unreachable'
  | 'fileChanged'
  | 'sizeMismatch'
  | 'failed';

/** What was being done when the server refused: named in the no-permission message. */
export type UploadOperation = 'listBuckets' | 'createBucket' | 'headBucket' | 'headObject' | 'upload' | 'listUploads' | 'abortUpload';

export interface UploadErrorContext {
  readonly bucket?: string;
  readonly operation?: UploadOperation;
  /** The endpoint in use (undefined = AWS's own), named when it cannot be reached. */
  readonly endpoint?: string;
}

export class UploadError extends Error {
  readonly bucket: string;
  readonly operation: UploadOperation | undefined;
  readonly endpoint: string | undefined;
  /** The server's error code (SignatureDoesNotMatch, AccessDenied…) or Node's (ECONNREFUSED…). */
  readonly code: string | undefined;

  constructor(
    readonly kind: UploadErrorKind,
    message: string,
    options?: { cause?: unknown; context?: UploadErrorContext; code?: string },
  ) {
    super(message, options);
    this.name = 'UploadError';
    this.bucket = options?.context?.bucket ?? '';
    this.operation = options?.context?.operation;
    this.endpoint = options?.context?.endpoint;
    this.code = options?.code;
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: SdkErrorShape[];
}

/** Plain words for each operation, for the English message (the editor has its own translations). */
export const OPERATION_WORDS: Record<UploadOperation, string> = {
  listBuckets: 'list the buckets',
  createBucket: 'create the bucket',
  headBucket: 'use the bucket',
  headObject: 'read objects in the bucket',
  upload: 'write to the bucket',
  listUploads: 'list unfinished uploads in the bucket',
  abortUpload: 'abort uploads in the bucket',
};

const CREDENTIAL_CODES = /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidToken|ExpiredToken|TokenRefreshRequired|InvalidClientTokenId|AuthorizationHeaderMalformed)$/;
const NETWORK_CODES = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|TimeoutError/;

/** Node's network code, also from inside an AggregateError (happy eyeballs tries IPv4 and IPv6). */
function networkCode(err: SdkErrorShape): string | undefined {
  for (const candidate of [err, ...(err.errors ?? [])]) {
    const m = NETWORK_CODES.exec(`${candidate.code ?? ''} ${candidate.name ?? ''}`);
    if (m) return m[0];
  }
  // Only a failure without any HTTP answer is the endpoint's fault.
  return undefined;
}

function contextOf(context: string | UploadErrorContext): UploadErrorContext {
  return typeof context === 'string' ? { bucket: context } : context;
}

/**
 * The SDK's (or Node's) error as an UploadError with a kind and a sentence that names the
 * bucket, the refused operation or the unreachable endpoint. A bare string is the bucket.
 */
export function toUploadError(e: unknown, where: string | UploadErrorContext): UploadError {
  if (e instanceof UploadError) return e;
  const context = contextOf(where);
  const bucket = context.bucket ?? '';
  const err = (e ?? {}) as SdkErrorShape;
  const name = err.name ?? err.Code ?? '';
  const status = err.$metadata?.httpStatusCode;
  const detail = err.message ? ` (${err.message})` : '';
  const make = (kind: UploadErrorKind, message: string, code = name || undefined) => new UploadError(kind, message, { cause: e, context, code });
  if (name === 'AbortError') return make('cancelled', 'The upload was cancelled; nothing was left on the server.');
  if (name === 'CredentialsProviderError') return make('noCredentials', `No Cloud Storage keys were found${detail}.`);
  if (CREDENTIAL_CODES.test(name)) return make('credentials', `Cloud Storage rejected the keys (${name}): the access key ID or the secret is wrong.`);
  if (name === 'NoSuchBucket') return make('noSuchBucket', `The bucket "${bucket}" does not exist.`);
  if (name === 'BucketAlreadyExists') return make('bucketTaken', `The bucket name "${bucket}" is already taken by another account; choose another name.`);
  // HeadBucket has no body, so a refusal is a bare 403: the bucket exists, and is not ours to use.
  if (context.operation === 'headBucket' && status === 403)
    return make('bucketTaken', `The bucket "${bucket}" exists but belongs to someone else (or your keys may not use it); choose another bucket.`, 'AccessDenied');
  if (name === 'AccessDenied' || status === 403) {
    const what = OPERATION_WORDS[context.operation ?? 'upload'];
    return make('accessDenied', bucket ? `Your keys have no permission to ${what} "${bucket}" (AccessDenied).` : `Your keys have no permission to ${what} (AccessDenied).`, 'AccessDenied');
  }
  const network = status === undefined ? networkCode(err) : undefined;
  if (network) return make('unreachable', `The Cloud Storage endpoint ${context.endpoint ?? 'of AWS'} cannot be reached (${network}).`, network);
  return make('failed', `The upload to "${bucket}" failed${detail}.`);
}
