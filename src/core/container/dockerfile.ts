// The same environment as the Singularity recipe, as a Dockerfile for building elsewhere
// (Docker cannot build on ABCI). Same base, same install steps, same server command.
import { CUDA_BASE_IMAGE, dockerFrom, parseBaseImage } from './baseImage';
import { MODEL_PATH, SERVE_COMMAND, VENV_PATH, installLines } from './installSteps';
import type { ModelSpec } from './modelSpec';
import { oneLine } from './shellQuote';

/** A double-quoted Dockerfile string: JSON escaping plus `$` (Docker expands variables in LABEL). */
function dockerString(value: string): string {
  return JSON.stringify(oneLine(value)).replace(/\$/g, '\\$');
}

export function dockerfile({ spec, baseImage }: { spec: ModelSpec; baseImage: string }): string {
  const from = dockerFrom(parseBaseImage(baseImage));
  // A library:// or .sif base has no Docker twin: fall back to the default Docker image and say so.
  const fallback = from === undefined ? (spec.gpu ? CUDA_BASE_IMAGE : `docker://python:3-slim`).replace(/^docker:\/\//, '') : undefined;
  const labels: [string, string][] = [
    ['org.mlwf.model.name', spec.name],
    ['org.mlwf.model.version', spec.version],
    ['org.mlwf.model.run_id', spec.runId],
    ['org.mlwf.mlflow.version', spec.mlflowVersion],
    ['org.mlwf.python.version', spec.pythonVersion],
  ].filter(([, v]) => v !== '') as [string, string][];
  const run = installLines(spec);
  const out = [
    '# syntax=docker/dockerfile:1',
    `# MLflow model ${oneLine(spec.name)}: the environment of the Singularity recipe beside this file.`,
    `# Build: docker build -t mlwf-model .   Serve: docker run${spec.gpu ? ' --gpus all' : ''} -p 5000:5000 mlwf-model`,
    ...(fallback ? [`# The recipe's base image ${oneLine(baseImage)} is not a Docker image; using ${fallback} here.`] : []),
    `FROM ${from ?? fallback}`,
    `LABEL ${labels.map(([k, v]) => `${k}=${dockerString(v)}`).join(' \\\n      ')}`,
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    `RUN ${run[0]}; \\`,
    ...run.slice(1).map((l, i) => {
      const last = i === run.length - 2;
      // Join the shell lines into one RUN: `then`/`\` lines continue, others end with `;`.
      const sep = l.endsWith('\\') ? '' : l.endsWith('then') ? ' \\' : last ? '' : '; \\';
      return `    ${l}${sep}`;
    }),
    `COPY model ${MODEL_PATH}`,
    `ENV PATH=${VENV_PATH}/bin:$PATH MLWF_MODEL_URI=${MODEL_PATH}`,
    'EXPOSE 5000',
    `CMD ["/bin/sh", "-c", ${JSON.stringify(`exec ${SERVE_COMMAND}`)}]`,
    '',
  ];
  return out.join('\n');
}
