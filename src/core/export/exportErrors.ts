// One error type for a failed export, with a kind the editor and the CLI switch on (offer the
// server route, sign in, free disk space…) and a one-sentence userMessage that already says
// what happened to the unfinished folder.

export type ExportErrorKind =
  | 'cancelled'
  | 'diskFull'
  | 'unsafePath'
  | 's3CredentialsMissing'
  | 'unsupportedSource'
  | 'download'
  | 'responseTimeout'
  | 'integrity'
  | 'mlflow'
  | 'output';

export class ExportError extends Error {
  /** The unfinished folder, when it could not be removed (a failed export normally leaves nothing). */
  readonly leftover?: string;
  constructor(
    readonly kind: ExportErrorKind,
    readonly userMessage: string,
    options?: { cause?: unknown; leftover?: string },
  ) {
    super(userMessage, options);
    this.leftover = options?.leftover;
    this.name = 'ExportError';
  }
}

export function isExportError(e: unknown): e is ExportError {
  return e instanceof ExportError;
}

/** Errors Node reports when a disk (or a quota) is full. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function isAbort(e: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const err = e as { name?: string; code?: string; kind?: string } | undefined;
  return err?.name === 'AbortError' || err?.code === 'ABORT_ERR' || err?.kind === 'cancelled';
}
