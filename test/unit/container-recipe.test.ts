// The generated recipe, Dockerfile and job scripts for the three reference models, against golden
// files; plus what the generator must derive from each model (Python, packages, GPU) and refuse.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validate } from 'dockerfile-utils';
import { BaseImageError, CUDA_BASE_IMAGE, defaultBaseImage, parseBaseImage } from '../../src/core/container/baseImage';
import { imageFolderFiles } from '../../src/core/container/createImageFolder';
import { readModelSpec, ModelSpecError } from '../../src/core/container/modelSpec';
import { PROFILES, SITE_PROFILES, siteProfile, validateJobSettings, type JobSettings } from '../../src/core/container/siteProfiles';
import { FIXTURES, HOSTILE_NAME, MODELS, assertGolden } from './container-helpers';

const JOB: JobSettings = { group: 'gaa50000', resource: 'rt_HF', walltime: '1:00:00' };
const jobFor = (p: string): JobSettings => (p === 'abci2' ? { ...JOB, resource: 'rt_C.small' } : JOB);
const specOf = (model: string) => readModelSpec(path.join(FIXTURES, model, 'artifacts'), { exportDir: path.join(FIXTURES, model), fallbackName: model });

describe('container recipe generation', () => {
  it('reads Python, mlflow and packages from each model', () => {
    const wine = specOf('sklearn-wine');
    assert.equal(wine.name, 'ElasticnetWineModel');
    assert.equal(wine.version, '1');
    assert.equal(wine.pythonVersion, '3.11.2');
    assert.equal(wine.requirementsSource, 'requirements.txt');
    assert.equal(wine.requirements[0], 'mlflow==2.14.3');
    assert.ok(wine.requirements.includes('scikit-learn==1.2.1'));
    assert.equal(wine.gpu, false);
    assert.equal(wine.inputExample, 'input_example.json');
    assert.equal(defaultBaseImage(wine), 'docker://python:3.11-slim');

    const llm = specOf('llm-lora');
    assert.equal(llm.pythonVersion, '3.10.12');
    assert.equal(llm.gpu, true, 'torch/peft requirements make it a GPU model');
    assert.equal(defaultBaseImage(llm), CUDA_BASE_IMAGE);

    const conda = specOf('conda-only');
    assert.equal(conda.name, 'conda-only', 'no info.yaml: the folder name');
    assert.equal(conda.pythonVersion, '3.9.18');
    assert.equal(conda.requirementsSource, 'conda.yaml');
    // mlflow<2 from conda's pip section is replaced by the version that saved the model.
    assert.deepEqual(conda.requirements, ['mlflow==1.30.1', 'scikit-learn==1.0.2', 'cloudpickle==2.2.0', 'pandas==1.5.2']);
  });

  for (const model of MODELS) {
    it(`${model}: Singularity and Dockerfile match the golden files`, () => {
      const spec = specOf(model);
      const files = imageFolderFiles(spec, defaultBaseImage(spec), PROFILES.abci3, JOB);
      assertGolden(`${model}/Singularity`, files.Singularity!);
      assertGolden(`${model}/Dockerfile`, files.Dockerfile!);
    });

    for (const profile of SITE_PROFILES) {
      it(`${model}: build.sh and serve.sh for ${profile} match the golden files and pass bash -n and shellcheck`, () => {
        const spec = specOf(model);
        const files = imageFolderFiles(spec, defaultBaseImage(spec), PROFILES[profile], jobFor(profile));
        for (const script of ['build.sh', 'serve.sh']) {
          assertGolden(`${model}/${script.replace('.sh', `.${profile}.sh`)}`, files[script]!);
          const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-sh-'));
          try {
            writeFileSync(path.join(dir, script), files[script]!);
            execFileSync('bash', ['-n', path.join(dir, script)]);
            const lint = spawnSync('shellcheck', ['-S', 'warning', path.join(dir, script)], { encoding: 'utf8' });
            assert.equal(lint.error, undefined, 'shellcheck is installed (scripts/install-system-deps.sh)');
            assert.equal(lint.status, 0, lint.stdout);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      });
    }

    it(`${model}: the Dockerfile passes the dockerfile-utils linter`, () => {
      const spec = specOf(model);
      const problems = validate(imageFolderFiles(spec, defaultBaseImage(spec), PROFILES.generic, JOB).Dockerfile!);
      assert.deepEqual(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`), []);
    });
  }

  it('keeps a hostile model name inert in every file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-hostile-'));
    try {
      cpSync(path.join(FIXTURES, 'sklearn-wine'), dir, { recursive: true });
      writeFileSync(path.join(dir, 'info.yaml'), `Name: "${HOSTILE_NAME}\\nBootstrap: evil"\nVersion: "1"\n`);
      const spec = readModelSpec(path.join(dir, 'artifacts'), { exportDir: dir });
      assert.equal(spec.name, `${HOSTILE_NAME}\nBootstrap: evil`);
      for (const profile of SITE_PROFILES) {
        const files = imageFolderFiles(spec, defaultBaseImage(spec), PROFILES[profile], JOB);
        assert.ok(files['build.sh']!.includes(`MODEL_NAME='x'\\''; rm -rf ~; '\\'' Bootstrap: evil'`), files['build.sh']);
        // The newline cannot start a recipe line of its own.
        assert.ok(!/^Bootstrap: evil/m.test(files.Singularity!));
        assert.ok(files.Singularity!.includes(`org.mlwf.model.name ${HOSTILE_NAME} Bootstrap: evil`));
        assert.ok(files.Singularity!.includes(`export MLWF_MODEL_NAME='x'\\''; rm -rf ~; '\\'' Bootstrap: evil'`));
        assert.deepEqual(validate(files.Dockerfile!), []);
        // Run the head of build.sh (up to the variables): the name comes out as one word, nothing runs.
        const head = files['build.sh']!.split('\nhere=')[0] + '\nprintf "%s" "$MODEL_NAME"\n';
        assert.equal(execFileSync('bash', ['-c', head], { encoding: 'utf8' }), `${HOSTILE_NAME} Bootstrap: evil`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks job settings before they reach a script, and falls back to abci3 for an unknown profile', () => {
    assert.equal(validateJobSettings(PROFILES.abci3, JOB), undefined);
    assert.match(validateJobSettings(PROFILES.abci3, { ...JOB, group: "g'; rm" }) ?? '', /ABCI group/);
    assert.match(validateJobSettings(PROFILES.abci2, { ...JOB, resource: 'rt_C.small x' }) ?? '', /resource type/);
    assert.match(validateJobSettings(PROFILES.abci3, { ...JOB, walltime: '1h' }) ?? '', /H:MM:SS/);
    assert.equal(validateJobSettings(PROFILES.generic, { group: '', resource: '', walltime: '' }), undefined);
    assert.equal(siteProfile('nonsense').id, 'abci3');
    assert.equal(siteProfile('abci2').moduleLoad, 'singularitypro');
  });

  it('parses base images and refuses ones Singularity cannot start from', () => {
    assert.deepEqual(parseBaseImage('docker://python:3.10-slim'), { agent: 'docker', from: 'python:3.10-slim' });
    assert.deepEqual(parseBaseImage('library://library/default/ubuntu:22.04'), { agent: 'library', from: 'library/default/ubuntu:22.04' });
    assert.deepEqual(parseBaseImage('/groups/gaa50000/base.sif'), { agent: 'localimage', from: '/groups/gaa50000/base.sif' });
    assert.deepEqual(parseBaseImage('nvcr.io/nvidia/pytorch:24.05-py3'), { agent: 'docker', from: 'nvcr.io/nvidia/pytorch:24.05-py3' });
    assert.throws(() => parseBaseImage('docker://x\nBootstrap: evil'), BaseImageError);
    assert.throws(() => parseBaseImage('http://example.invalid/x'), BaseImageError);
    assert.throws(() => parseBaseImage(''), BaseImageError);
  });

  it('a library:// base gives a Dockerfile on the default Docker image, saying so', () => {
    const spec = specOf('sklearn-wine');
    const text = imageFolderFiles(spec, 'library://library/default/ubuntu:22.04', PROFILES.generic, JOB).Dockerfile!;
    assert.match(text, /is not a Docker image; using python:3-slim here/);
    assert.match(text, /^FROM python:3-slim$/m);
  });

  it('refuses a folder that is not an MLflow model, with a clear reason', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-nomodel-'));
    try {
      assert.throws(() => readModelSpec(dir), (e: unknown) => e instanceof ModelSpecError && /no MLmodel file/.test(e.message));
      writeFileSync(path.join(dir, 'MLmodel'), 'flavors: {sklearn: {}}\nmlflow_version: 2.14.3\n');
      assert.throws(() => readModelSpec(dir), (e: unknown) => e instanceof ModelSpecError && /which Python/.test(e.message));
      writeFileSync(path.join(dir, 'MLmodel'), 'flavors: [unclosed\n');
      assert.throws(() => readModelSpec(dir), (e: unknown) => e instanceof ModelSpecError && /not valid YAML/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
