// The shell steps that give an image the model's Python and packages, shared by the Singularity
// recipe's %post and the Dockerfile's RUN so both build the same environment.
import { pythonMinor, type ModelSpec } from './modelSpec';
import { shellQuote } from './shellQuote';

export const IMAGE_ROOT = '/opt/mlwf';
export const MODEL_PATH = `${IMAGE_ROOT}/model`;
export const VENV_PATH = `${IMAGE_ROOT}/venv`;

/**
 * Lines of shell (no indentation) that install Python `major.minor` when the base image lacks it
 * (Debian/Ubuntu bases: python:*-slim has it, the CUDA image gets it from apt), make a virtual
 * environment and pip-install the requirements. Each requirement is one quoted word.
 */
export function installLines(spec: ModelSpec): string[] {
  const py = `python${pythonMinor(spec.pythonVersion)}`;
  const lines = [
    `PY=${shellQuote(py)}`,
    `if ! command -v "$PY" >/dev/null 2>&1; then`,
    `    apt-get update`,
    `    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PY" "$PY-venv" ca-certificates`,
    `    rm -rf /var/lib/apt/lists/*`,
    `fi`,
    `"$PY" -m venv ${VENV_PATH}`,
    `${VENV_PATH}/bin/pip install --no-cache-dir --upgrade pip`,
  ];
  const reqs = spec.requirements.map(shellQuote);
  lines.push(`${VENV_PATH}/bin/pip install --no-cache-dir \\`);
  reqs.forEach((r, i) => lines.push(`    ${r}${i < reqs.length - 1 ? ' \\' : ''}`));
  return lines;
}

/** The server command the image runs: MLflow's scoring server on $PORT (5000 by default). */
export const SERVE_COMMAND = `mlflow models serve -m ${MODEL_PATH} --env-manager=local -h 0.0.0.0 -p "\${PORT:-5000}"`;
