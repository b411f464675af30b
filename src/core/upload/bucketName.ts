// ABCI Cloud Storage bucket names follow the S3 rules (3–63 characters, lower-case letters,
// digits, hyphens and dots, starting and ending with a letter or digit, not an IP address); a
// name is checked here before the server is asked, so a typo gets one clear sentence instead of
// an opaque 400 from the endpoint.

export type BucketNameProblem = 'length' | 'characters' | 'edges' | 'ipAddress' | 'adjacentDots';

export interface BucketNameCheck {
  readonly problem: BucketNameProblem;
  /** English sentence for logs and the CLI; the editor shows its own localized text per problem. */
  readonly message: string;
}

/** Undefined when the name is acceptable; dots are allowed (ABCI only discourages them). */
export function checkBucketName(name: string): BucketNameCheck | undefined {
  if (name.length < 3 || name.length > 63) return { problem: 'length', message: 'A bucket name has 3 to 63 characters.' };
  if (!/^[a-z0-9.-]+$/.test(name)) return { problem: 'characters', message: 'A bucket name may only use lower-case letters, digits, hyphens and dots (no capitals, underscores or spaces).' };
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return { problem: 'edges', message: 'A bucket name starts and ends with a lower-case letter or a digit.' };
  if (/\.\.|\.-|-\./.test(name)) return { problem: 'adjacentDots', message: 'A bucket name cannot have two dots in a row or a dot next to a hyphen.' };
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return { problem: 'ipAddress', message: 'A bucket name cannot look like an IP address.' };
  return undefined;
}
