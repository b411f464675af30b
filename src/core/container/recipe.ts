// The Singularity definition file ("recipe") for a model: derived from the model's own files, not
// a fixed text, and meant to be read and edited before building.
import { parseBaseImage } from './baseImage';
import { IMAGE_ROOT, MODEL_PATH, SERVE_COMMAND, VENV_PATH, installLines } from './installSteps';
import type { ModelSpec } from './modelSpec';
import { oneLine, shellQuote } from './shellQuote';

export interface RecipeInput {
  readonly spec: ModelSpec;
  readonly baseImage: string;
}

const indent = (lines: string[]): string[] => lines.map((l) => (l === '' ? '' : `    ${l}`));

/** Words that describe the model in labels and help: name, version, run. */
export function modelTitle(spec: ModelSpec): string {
  return oneLine(`${spec.name}${spec.version ? ` version ${spec.version}` : ''}`);
}

export function singularityRecipe({ spec, baseImage }: RecipeInput): string {
  const base = parseBaseImage(baseImage);
  const nv = spec.gpu ? ' --nv' : '';
  const labels: [string, string][] = [
    ['org.mlwf.model.name', spec.name],
    ['org.mlwf.model.version', spec.version],
    ['org.mlwf.model.run_id', spec.runId],
    ['org.mlwf.model.flavors', spec.flavors.join(',')],
    ['org.mlwf.mlflow.version', spec.mlflowVersion],
    ['org.mlwf.python.version', spec.pythonVersion],
  ];
  const out = [
    `Bootstrap: ${base.agent}`,
    `From: ${base.from}`,
    '',
    '%help',
    ...indent([
      `MLflow model ${modelTitle(spec)}${spec.runId ? ` (run ${oneLine(spec.runId)})` : ''}, packaged by MLWF.`,
      `Serve it (MLflow's scoring server, port 5000 unless PORT is set):`,
      `    PORT=5000 singularity run${nv} container.sif`,
      `Then send a request:`,
      `    curl -X POST -H 'Content-Type: application/json' -d '{"dataframe_split": {...}}' http://HOST:5000/invocations`,
      `The model is at ${MODEL_PATH} inside the image.`,
    ]),
    '',
    '%labels',
    ...indent(labels.filter(([, v]) => v !== '').map(([k, v]) => `${k} ${oneLine(v)}`)),
    '',
    '%files',
    ...indent([`model ${MODEL_PATH}`]),
    '',
    '%environment',
    ...indent([
      `export PATH=${VENV_PATH}/bin:$PATH`,
      `export MLWF_MODEL_URI=${MODEL_PATH}`,
      `export MLWF_MODEL_NAME=${shellQuote(oneLine(spec.name))}`,
    ]),
    '',
    '%post',
    ...indent([
      'set -eu',
      `# Python ${spec.pythonVersion} and the model's packages (from ${spec.requirementsSource}; mlflow pinned to the version that saved the model).`,
      ...installLines(spec),
      `chmod -R a+rX ${IMAGE_ROOT}`,
    ]),
    '',
    '%runscript',
    ...indent([`exec ${SERVE_COMMAND} "$@"`]),
    '',
    '%test',
    // A quick check that the server's command exists; loading the model here could pull a base
    // model from the network (LLM adapters), which a build node may not allow.
    ...indent([`${VENV_PATH}/bin/mlflow --version`]),
    '',
  ];
  return out.join('\n');
}
