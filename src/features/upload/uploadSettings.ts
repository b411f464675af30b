// The upload's settings: Cloud Storage (`mlwf.s3.*`, shared with the export), part size and
// parallelism of the multipart upload, and the site profile that decides the public URL style.
import * as vscode from 'vscode';
import { asSiteProfile, type ResolvedS3Settings } from '../../core/s3/s3Settings';
import type { UrlSiteProfile } from '../../core/upload';
import { readExportSettings } from '../export/exportSettings';

export interface UploadSettings {
  s3: ResolvedS3Settings;
  /** The configured `mlwf.s3.endpoint` (or environment), for the generic profile's public URLs. */
  endpoint: string | undefined;
  addressingStyle: 'path' | 'virtual' | 'auto';
  partSizeBytes: number;
  parallelism: number;
  profile: UrlSiteProfile;
}

export function readUploadSettings(): UploadSettings {
  const config = vscode.workspace.getConfiguration('mlwf');
  // readExportSettings().s3 already applies the site profile's endpoint and region defaults.
  const s3 = readExportSettings().s3;
  return {
    s3,
    endpoint: s3.endpoint,
    addressingStyle: config.get<'path' | 'virtual' | 'auto'>('s3.addressingStyle', 'auto'),
    partSizeBytes: Math.max(5, config.get<number>('s3.partSizeMiB', 8)) * 1024 * 1024,
    parallelism: Math.max(1, config.get<number>('s3.parallelism', 4)),
    profile: asSiteProfile(config.get<string>('siteProfile', 'abci3')),
  };
}
