// Keys and prefixes as the Cloud Storage view and the upload's prefix picker show them: S3 has no
// folders, only keys; a "folder" is a common prefix ending in "/" (ListObjectsV2 with Delimiter).

export const DELIMITER = '/';

/** "a/b/c.txt" under "a/b/" → "c.txt"; "a/b/" under "a/" → "b/". */
export function childName(parent: string, keyOrPrefix: string): string {
  return keyOrPrefix.startsWith(parent) ? keyOrPrefix.slice(parent.length) : keyOrPrefix;
}

/** "a/b/" → "a/"; "a/" → ""; "" → "". */
export function parentPrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf(DELIMITER);
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/** A typed prefix as a folder prefix: no leading slashes, exactly one trailing slash; "" stays "". */
export function asFolderPrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

/** The ETag without its quotes (servers send `"…"`). */
export function plainEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"+|"+$/g, '') || undefined;
}
