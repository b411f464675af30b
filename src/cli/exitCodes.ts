// Exit codes of `mlwf-export`, documented in the README and `--help`, for batch scripts.
import type { ExportErrorKind } from '../core/export';

export const EXIT = {
  ok: 0,
  /** The export failed (server, network, store, integrity); the message says why. */
  failed: 1,
  /** Bad command line. */
  usage: 2,
  /** The tracking server refused the credentials. */
  auth: 3,
  /** The output disk is full. */
  diskFull: 4,
  /** S3 keys are missing and --s3-route=direct forbids the server route. */
  s3Credentials: 5,
  /** Interrupted (Ctrl+C / SIGTERM); 128 + SIGINT like a shell. */
  interrupted: 130,
} as const;

export function exitCodeFor(kind: ExportErrorKind, causeKind?: string): number {
  if (kind === 'cancelled') return EXIT.interrupted;
  if (kind === 'diskFull') return EXIT.diskFull;
  if (kind === 's3CredentialsMissing') return EXIT.s3Credentials;
  if (kind === 'mlflow' && (causeKind === 'auth' || causeKind === 'forbidden')) return EXIT.auth;
  return EXIT.failed;
}
