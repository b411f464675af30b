// What went wrong talking to Cloud Storage, as a kind the view switches on (Retry, Set Cloud
// Storage Keys…) plus the server's own detail; the editor words the sentence (localized).

export type StorageErrorKind = 'cancelled' | 'credentials' | 'accessDenied' | 'noSuchBucket' | 'notFound' | 'unreachable' | 'failed';

export interface StorageErrorInfo {
  readonly kind: StorageErrorKind;
  /** The SDK's or Node's message (server text: show as plain text only). */
  readonly detail: string;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function storageError(e: unknown): StorageErrorInfo {
  const err = (e ?? {}) as SdkErrorShape;
  const name = err.name ?? err.Code ?? '';
  // Node puts the socket error's code on the error or on its cause (fetch-style errors).
  const code = `${err.code ?? ''} ${(err.cause as SdkErrorShape | undefined)?.code ?? ''}`;
  const status = err.$metadata?.httpStatusCode;
  const detail = (err.message ?? String(e)).trim();
  let kind: StorageErrorKind = 'failed';
  if (name === 'AbortError') kind = 'cancelled';
  else if (/InvalidAccessKeyId|SignatureDoesNotMatch|CredentialsProviderError|InvalidToken|ExpiredToken/.test(name)) kind = 'credentials';
  else if (name === 'NoSuchBucket') kind = 'noSuchBucket';
  else if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) kind = 'notFound';
  else if (name === 'AccessDenied' || status === 403) kind = 'accessDenied';
  else if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|TimeoutError/.test(`${code} ${name}`)) kind = 'unreachable';
  return { kind, detail };
}
