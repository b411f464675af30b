// What a container needs to know about an MLflow model, read from the model's own files:
// `MLmodel` (flavors, mlflow_version, run_id, python_version), `python_env.yaml`, `conda.yaml`,
// `requirements.txt`, and the export's `info.yaml` (name, version) when there is one.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as l10n from '@vscode/l10n';

export interface ModelSpec {
  /** Registered model name (info.yaml `Name`), else the folder's name. */
  readonly name: string;
  /** Registered version (info.yaml `Version`), '' when unknown. */
  readonly version: string;
  readonly runId: string;
  readonly mlflowVersion: string;
  /** Full Python version as recorded (`3.10.12`); `major.minor` is what the image installs. */
  readonly pythonVersion: string;
  readonly flavors: readonly string[];
  /** pip requirement lines, with `mlflow==<mlflowVersion>` first. */
  readonly requirements: readonly string[];
  /** Where the requirements came from: 'requirements.txt' | 'python_env.yaml' | 'conda.yaml' | 'none'. */
  readonly requirementsSource: string;
  /** Torch/TensorFlow/transformers…: needs the CUDA base and `--nv`. */
  readonly gpu: boolean;
  /** File name of the input example in the model folder, '' when the model has none. */
  readonly inputExample: string;
}

export class ModelSpecError extends Error {}

const GPU_FLAVORS = new Set(['pytorch', 'transformers', 'tensorflow', 'keras', 'paddle', 'onnx', 'sentence_transformers', 'diffusers']);
const GPU_PACKAGES = /^(torch|torchvision|torchaudio|tensorflow(-gpu)?|transformers|peft|accelerate|bitsandbytes|jax|jaxlib|xformers|vllm|deepspeed|diffusers|sentence-transformers|onnxruntime-gpu|cupy(-cuda\w*)?)$/i;

type Yaml = Record<string, unknown>;
const asRecord = (v: unknown): Yaml => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Yaml) : {});
const asString = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function readYaml(file: string): Yaml | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return asRecord(yaml.load(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ModelSpecError(l10n.t('{0} is not valid YAML: {1}', path.basename(file), (err as Error).message.split('\n')[0]));
  }
}

/** Package name of a requirement line (`torch==2.3.1`, `peft>=0.11 ; python_version>"3"` → `torch`, `peft`). */
export function requirementName(line: string): string {
  return (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1] ?? '').toLowerCase().replace(/_/g, '-');
}

/** Lines of a requirements file without comments, blanks and pip options (`-r`, `--index-url`…). */
export function parseRequirements(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('-'));
}

/** conda.yaml → python version and pip requirements (its pip section, plus simple conda pins). */
function fromConda(conda: Yaml): { python: string; requirements: string[] } {
  let python = '';
  const requirements: string[] = [];
  const deps = Array.isArray(conda.dependencies) ? conda.dependencies : [];
  for (const dep of deps) {
    if (typeof dep === 'string') {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:=+\s*([^=\s]+))?/.exec(dep.trim());
      if (!m) continue;
      const name = m[1]!.toLowerCase();
      if (name === 'python') python = m[2] ?? '';
      else if (name === 'pip' || name === 'setuptools' || name === 'wheel') continue;
      // A plain conda pin is installed with pip under the same name (pytorch is torch on PyPI).
      else requirements.push(`${name === 'pytorch' ? 'torch' : name}${m[2] ? `==${m[2]}` : ''}`);
    } else if (dep && typeof dep === 'object' && Array.isArray((dep as Yaml).pip)) {
      for (const p of (dep as Yaml).pip as unknown[]) if (typeof p === 'string' && !p.trim().startsWith('-')) requirements.push(p.trim());
    }
  }
  return { python, requirements };
}

/** Puts `mlflow==<version>` first and drops any other mlflow pin (the server must match the model). */
/**
 * `mlflow==<the version that logged the model>` first. A development or local build
 * (`3.6.1.dev0`, `2.14.3+abci`) is not on PyPI: then the pin MLflow itself recorded in
 * requirements.txt (`mlflow==3.6.0`) is kept, else any release of the same minor (`~=3.6.0`).
 */
function pinMlflow(requirements: string[], mlflowVersion: string): string[] {
  const isMlflow = (r: string) => ['mlflow', 'mlflow-skinny'].includes(requirementName(r));
  const rest = requirements.filter((r) => !isMlflow(r));
  const unique = [...new Set(rest)];
  return [mlflowPin(mlflowVersion, requirements.find((r) => requirementName(r) === 'mlflow')), ...unique];
}

function mlflowPin(mlflowVersion: string, recorded: string | undefined): string {
  if (!mlflowVersion) return recorded ?? 'mlflow';
  // PEP 440 releases and pre-releases (rc, a, b) are published; .dev and +local builds are not.
  if (/^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?$/.test(mlflowVersion)) return `mlflow==${mlflowVersion}`;
  if (recorded && /==\s*\d/.test(recorded)) return recorded.replace(/\s+/g, '');
  const release = /^(\d+)\.(\d+)/.exec(mlflowVersion);
  return release ? `mlflow~=${release[1]}.${release[2]}.0` : 'mlflow';
}

export interface ReadModelOptions {
  /** Folder of the export (holds info.yaml), when the model came from one. */
  readonly exportDir?: string;
  /** Fallback name when no info.yaml names the model. */
  readonly fallbackName?: string;
}

/** Reads the MLflow model in `modelDir`. Throws ModelSpecError when it is not an MLflow model. */
export function readModelSpec(modelDir: string, options: ReadModelOptions = {}): ModelSpec {
  const mlmodel = readYaml(path.join(modelDir, 'MLmodel'));
  if (!mlmodel) throw new ModelSpecError(l10n.t('The package has no MLmodel file at its top level: it is not an MLflow model.'));
  const flavorsRecord = asRecord(mlmodel.flavors);
  const flavors = Object.keys(flavorsRecord);
  const pyfunc = asRecord(flavorsRecord.python_function);
  const mlflowVersion = asString(mlmodel.mlflow_version);

  let python = asString(pyfunc.python_version);
  let requirements: string[] = [];
  let requirementsSource = 'none';

  const pythonEnv = readYaml(path.join(modelDir, 'python_env.yaml'));
  const conda = readYaml(path.join(modelDir, 'conda.yaml'));
  const requirementsFile = path.join(modelDir, 'requirements.txt');
  if (pythonEnv && asString(pythonEnv.python)) python = asString(pythonEnv.python);
  else if (conda) python = fromConda(conda).python || python;

  if (existsSync(requirementsFile)) {
    requirements = parseRequirements(readFileSync(requirementsFile, 'utf8'));
    requirementsSource = 'requirements.txt';
  } else if (pythonEnv && Array.isArray(pythonEnv.dependencies)) {
    requirements = (pythonEnv.dependencies as unknown[]).filter((d): d is string => typeof d === 'string' && !d.startsWith('-'));
    requirementsSource = 'python_env.yaml';
  } else if (conda) {
    requirements = fromConda(conda).requirements;
    requirementsSource = 'conda.yaml';
  }
  if (!python) throw new ModelSpecError(l10n.t('The model does not say which Python it needs (no python_env.yaml, conda.yaml or python_version in MLmodel).'));

  const info = options.exportDir ? readYaml(path.join(options.exportDir, 'info.yaml')) : undefined;
  const name = asString(info?.Name).trim() || options.fallbackName || 'model';
  const version = asString(info?.Version).trim();
  const gpu = flavors.some((f) => GPU_FLAVORS.has(f)) || requirements.some((r) => GPU_PACKAGES.test(requirementName(r)));
  const inputExample = ['input_example.json', 'serving_input_example.json'].find((f) => existsSync(path.join(modelDir, f))) ?? '';

  return {
    name,
    version,
    runId: asString(mlmodel.run_id),
    mlflowVersion,
    pythonVersion: python,
    flavors,
    requirements: pinMlflow(requirements, mlflowVersion),
    requirementsSource,
    gpu,
    inputExample,
  };
}

/** `3.10.12` → `3.10`. */
export function pythonMinor(version: string): string {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : version;
}
