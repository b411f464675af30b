// Writes MLWFCreateImage_YYYYMMDDhhmmss/ (what `mlwf_create_image` made): model/, Singularity,
// Dockerfile, build.sh and serve.sh. The folder is assembled under a hidden temporary name next to
// its final place and renamed at the end, so a cancel or an error leaves nothing half-written.
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultBaseImage, parseBaseImage } from './baseImage';
import { dockerfile } from './dockerfile';
import { buildScript, serveScript, RECIPE_FILE } from './jobScripts';
import { placeModel } from './modelSource';
import { readModelSpec, type ModelSpec } from './modelSpec';
import { singularityRecipe } from './recipe';
import type { JobSettings, SiteProfile } from './siteProfiles';

export const IMAGE_FOLDER_PREFIX = 'MLWFCreateImage_';

/** Local time as YYYYMMDDhhmmss, like the CLI's folder names. */
export function folderTimestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(date.getFullYear(), 4)}${p(date.getMonth() + 1)}${p(date.getDate())}${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
  }
}

export interface CreateImageFolderOptions {
  /** Export folder, MLflow model folder or model.tar.gz. */
  readonly source: string;
  /** Where MLWFCreateImage_* goes. */
  readonly outputDir: string;
  readonly profile: SiteProfile;
  readonly job: JobSettings;
  /** Picks the base image once the model is known (default suggested); undefined cancels. */
  readonly chooseBaseImage: (spec: ModelSpec, suggested: string) => Promise<string | undefined>;
  readonly now?: Date;
  readonly signal?: AbortSignal;
}

export interface ImageFolder {
  readonly folder: string;
  readonly spec: ModelSpec;
  readonly baseImage: string;
}

/** The generated text files of a folder (also used to regenerate after settings change). */
export function imageFolderFiles(spec: ModelSpec, baseImage: string, profile: SiteProfile, job: JobSettings): Record<string, string> {
  return {
    [RECIPE_FILE]: singularityRecipe({ spec, baseImage }),
    Dockerfile: dockerfile({ spec, baseImage }),
    'build.sh': buildScript({ spec, profile, job }),
    'serve.sh': serveScript({ spec, profile, job }),
  };
}

export async function createImageFolder(options: CreateImageFolderOptions): Promise<ImageFolder> {
  const stamp = folderTimestamp(options.now ?? new Date());
  const temp = mkdtempSync(path.join(options.outputDir, `.${IMAGE_FOLDER_PREFIX}${stamp}.partial-`));
  try {
    const placed = await placeModel(options.source, path.join(temp, 'model'));
    if (options.signal?.aborted) throw new CancelledError();
    const spec = readModelSpec(path.join(temp, 'model'), { exportDir: placed.exportDir, fallbackName: placed.fallbackName });
    const baseImage = await options.chooseBaseImage(spec, defaultBaseImage(spec));
    if (baseImage === undefined || options.signal?.aborted) throw new CancelledError();
    parseBaseImage(baseImage);
    for (const [name, text] of Object.entries(imageFolderFiles(spec, baseImage, options.profile, options.job))) {
      writeFileSync(path.join(temp, name), text);
      if (name.endsWith('.sh')) chmodSync(path.join(temp, name), 0o755);
    }
    // Never overwrite: a second folder in the same second gets a suffix.
    let folder = path.join(options.outputDir, `${IMAGE_FOLDER_PREFIX}${stamp}`);
    for (let i = 2; existsSync(folder); i++) folder = path.join(options.outputDir, `${IMAGE_FOLDER_PREFIX}${stamp}_${i}`);
    renameSync(temp, folder);
    return { folder, spec, baseImage };
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}
