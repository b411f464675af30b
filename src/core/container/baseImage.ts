// The image a container starts from. GPU models get NVIDIA's CUDA image (what ABCI's own guide
// uses); CPU models a slim Python image of the model's Python, which is far smaller to pull.
import { pythonMinor, type ModelSpec } from './modelSpec';
import * as l10n from '@vscode/l10n';

export const CUDA_BASE_IMAGE = 'docker://nvcr.io/nvidia/cuda:12.5.1-cudnn-devel-ubuntu22.04';

export function defaultBaseImage(spec: Pick<ModelSpec, 'gpu' | 'pythonVersion'>): string {
  return spec.gpu ? CUDA_BASE_IMAGE : `docker://python:${pythonMinor(spec.pythonVersion)}-slim`;
}

/** Singularity's bootstrap agent and source for an image reference. */
export interface Bootstrap {
  readonly agent: 'docker' | 'library' | 'oras' | 'shub' | 'localimage';
  readonly from: string;
}

export class BaseImageError extends Error {}

export function parseBaseImage(ref: string): Bootstrap {
  const value = ref.trim();
  // One line, no spaces: the value is written into `From:` and `FROM`, where a newline would
  // start a new recipe section.
  if (value === '' || /\s/.test(value)) throw new BaseImageError(l10n.t('A base image is one reference without spaces, e.g. docker://python:3.10-slim.'));
  const m = /^(docker|library|oras|shub):\/\/(.+)$/.exec(value);
  if (m) return { agent: m[1] as Bootstrap['agent'], from: m[2]! };
  if (/\.(sif|simg)$/.test(value)) return { agent: 'localimage', from: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new BaseImageError(l10n.t('Singularity cannot start from "{0}": use docker://, library://, oras:// or a .sif file.', value));
  // A bare "python:3.10-slim" or "nvcr.io/…" means a Docker registry image, as `docker pull` reads it.
  return { agent: 'docker', from: value };
}

/** What a Dockerfile's FROM can use: Docker images only (a .sif or library:// image has no Docker twin). */
export function dockerFrom(bootstrap: Bootstrap): string | undefined {
  return bootstrap.agent === 'docker' ? bootstrap.from : undefined;
}
