// One error type for a failed upload, with a kind the editor switches on (Set Keys…, Retry, pick
// another bucket) and a one-sentence English message for logs; nothing is left pending on the
// server when one is thrown (the multipart upload is aborted first).

export type UploadErrorKind =
  | 'cancelled'
  | 'badBucketName'
  | 'credentials'
  | 'accessDenied'
  | 'noSuchBucket'
  | 'bucketTaken'
  | 'unreachable'
  | 'fileChanged'
  | 'sizeMismatch'
  | 'failed';

export class UploadError extends Error {
  constructor(
    readonly kind: UploadErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UploadError';
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The SDK's (or Node's) error as an UploadError with a kind and a sentence that names the bucket. */
export function toUploadError(e: unknown, bucket: string): UploadError {
  if (e instanceof UploadError) return e;
  const err = (e ?? {}) as SdkErrorShape;
  const name = err.name ?? err.Code ?? '';
  const code = err.code ?? '';
  const status = err.$metadata?.httpStatusCode;
  const detail = err.message ? ` (${err.message})` : '';
  if (name === 'AbortError') return new UploadError('cancelled', 'The upload was cancelled; nothing was left on the server.', { cause: e });
  if (/InvalidAccessKeyId|SignatureDoesNotMatch|CredentialsProviderError|InvalidToken|ExpiredToken/.test(name))
    return new UploadError('credentials', `The Cloud Storage keys were refused by the server${detail}.`, { cause: e });
  if (name === 'NoSuchBucket') return new UploadError('noSuchBucket', `The bucket "${bucket}" does not exist.`, { cause: e });
  if (name === 'BucketAlreadyExists') return new UploadError('bucketTaken', `The bucket name "${bucket}" is already taken by another account.`, { cause: e });
  if (name === 'AccessDenied' || status === 403) return new UploadError('accessDenied', `You have no permission to write to the bucket "${bucket}".`, { cause: e });
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT/.test(code + name))
    return new UploadError('unreachable', `The Cloud Storage endpoint cannot be reached${detail}.`, { cause: e });
  return new UploadError('failed', `The upload to "${bucket}" failed${detail}.`, { cause: e });
}
