// What an MLWFCreateImage folder's own scripts say about their job: the site profile they were
// generated for (header line) and the group, resource and wall time they carry (GROUP=, RESOURCE=,
// WALLTIME=, each one shell word as shellQuote wrote it). Submitting the folder's job with these
// keeps qsub's options and the script's own submission the same, whatever the settings say now.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SITE_PROFILES, type JobSettings, type SiteProfileId } from './siteProfiles';

export interface FolderJob {
  readonly profile: SiteProfileId;
  readonly job: JobSettings;
}

/** The value of one `NAME=word` line written with shellQuote ('' when absent). */
function word(text: string, name: string): string {
  const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
  if (!m) return '';
  const raw = m[1]!;
  if (!raw.startsWith("'")) return raw;
  // 'it'\''s' → it's: the only quoting shellQuote produces.
  return raw.slice(1, -1).replace(/'\\''/g, "'");
}

export function readFolderJob(folder: string, script: 'build.sh' | 'serve.sh' = 'build.sh'): FolderJob | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(folder, script), 'utf8');
  } catch {
    return undefined;
  }
  const id = /\(site profile ([a-z0-9]+):/.exec(text)?.[1];
  if (!id || !(SITE_PROFILES as readonly string[]).includes(id)) return undefined;
  return { profile: id as SiteProfileId, job: { group: word(text, 'GROUP'), resource: word(text, 'RESOURCE'), walltime: word(text, 'WALLTIME') } };
}
