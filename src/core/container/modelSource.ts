// Puts a model package into `<folder>/model`: from an export folder (MLWFExportModel_*/ with
// artifacts/), a plain MLflow model folder, or a model.tar.gz. Symlinks in a folder are refused
// like links in an archive, so nothing outside the package ends up in the image.
import { cpSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UnsafeArchiveError, safeUnpack } from './safeUnpack';
import * as l10n from '@vscode/l10n';

export interface PlacedModel {
  /** Folder holding info.yaml when the source was an export (or the archive sat in one). */
  readonly exportDir?: string;
  /** A name to fall back on when there is no info.yaml. */
  readonly fallbackName: string;
}

export class ModelSourceError extends Error {}

function refuseLinks(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) throw new UnsafeArchiveError(l10n.t('The model folder was refused: {0} is a symbolic link.', entry.name));
    if (entry.isDirectory()) refuseLinks(full);
    else if (!entry.isFile()) throw new UnsafeArchiveError(l10n.t('The model folder was refused: {0} is not a plain file.', entry.name));
  }
}

/** The model root inside an unpacked archive: the top, or its only folder when MLmodel sits there. */
function hoistSingleFolder(modelDir: string): void {
  if (existsSync(path.join(modelDir, 'MLmodel'))) return;
  const entries = readdirSync(modelDir);
  if (entries.length !== 1) return;
  const only = path.join(modelDir, entries[0]!);
  if (!lstatSync(only).isDirectory() || !existsSync(path.join(only, 'MLmodel'))) return;
  const moved = `${modelDir}.hoist`;
  renameSync(only, moved);
  rmSync(modelDir, { recursive: true, force: true });
  renameSync(moved, modelDir);
}

const isArchive = (p: string) => /\.(tar\.gz|tgz|tar)$/i.test(p);

export async function placeModel(source: string, modelDir: string): Promise<PlacedModel> {
  if (!existsSync(source)) throw new ModelSourceError(l10n.t('{0} does not exist.', source));
  const stat = statSync(source);
  if (stat.isDirectory()) {
    if (existsSync(path.join(source, 'artifacts', 'MLmodel'))) {
      refuseLinks(path.join(source, 'artifacts'));
      cpSync(path.join(source, 'artifacts'), modelDir, { recursive: true });
      return { exportDir: source, fallbackName: path.basename(source) };
    }
    if (existsSync(path.join(source, 'MLmodel'))) {
      refuseLinks(source);
      cpSync(source, modelDir, { recursive: true });
      return { exportDir: existsSync(path.join(source, '..', 'info.yaml')) ? path.dirname(source) : undefined, fallbackName: path.basename(source) };
    }
    if (existsSync(path.join(source, 'model.tar.gz'))) return placeModel(path.join(source, 'model.tar.gz'), modelDir);
    throw new ModelSourceError(l10n.t('{0} holds no MLflow model (no artifacts/MLmodel, MLmodel or model.tar.gz).', path.basename(source)));
  }
  if (!isArchive(source)) throw new ModelSourceError(l10n.t('{0} is neither a folder nor a .tar.gz package.', path.basename(source)));
  await safeUnpack(source, modelDir);
  hoistSingleFolder(modelDir);
  const dir = path.dirname(source);
  return { exportDir: existsSync(path.join(dir, 'info.yaml')) ? dir : undefined, fallbackName: path.basename(dir) };
}
