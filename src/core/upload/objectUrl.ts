// The URL written into info.yaml for an uploaded object: either the public HTTPS URL in the
// style the site serves (ABCI 2.0 answers virtual-host URLs `https://BUCKET.s3.abci.ai/KEY`,
// ABCI 3.0 path-style `https://s3.v3.abci.ai/BUCKET/KEY`), or the `s3://` URI for tools that
// read from the store with keys (mlwf_create_image --model-pkg-url accepts both).

export type UrlSiteProfile = 'abci3' | 'abci2' | 'generic';
export type UrlKind = 'public' | 's3';

export const SITE_ENDPOINTS: Record<Exclude<UrlSiteProfile, 'generic'>, string> = {
  abci3: 'https://s3.v3.abci.ai',
  abci2: 'https://s3.abci.ai',
};

export interface ObjectUrlInput {
  readonly bucket: string;
  readonly key: string;
  readonly kind: UrlKind;
  readonly profile: UrlSiteProfile;
  /** The endpoint in use; for `generic` (or an explicit endpoint) it is the public URL's base. */
  readonly endpoint?: string;
  /** `virtual` forces BUCKET.host; `path` forces host/BUCKET; `auto` = the site's style. */
  readonly addressingStyle?: 'path' | 'virtual' | 'auto';
}

/** Each path segment percent-encoded (spaces, non-ASCII), the slashes kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

export function objectUrl(input: ObjectUrlInput): string {
  const { bucket, key } = input;
  if (input.kind === 's3') return `s3://${bucket}/${key}`;
  const base = new URL(input.profile === 'generic' ? (input.endpoint ?? 'https://s3.amazonaws.com') : SITE_ENDPOINTS[input.profile]);
  const style = input.addressingStyle && input.addressingStyle !== 'auto' ? input.addressingStyle : input.profile === 'abci2' ? 'virtual' : 'path';
  const basePath = base.pathname.replace(/\/+$/, '');
  if (style === 'virtual' && !bucket.includes('.')) return `${base.protocol}//${bucket}.${base.host}${basePath}/${encodeKey(key)}`;
  return `${base.protocol}//${base.host}${basePath}/${bucket}/${encodeKey(key)}`;
}
