// build.sh and serve.sh run for real, in plain Node, with stand-in qsub/qrsh/module/singularity/
// apptainer on PATH that record their argv and environment: the exact scheduler command per site
// profile, SINGULARITY_TMPDIR on node-local storage, singularity or apptainer, a failing build
// that fails, and a hostile model name that stays a string. HOME is a scratch folder with a canary.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createImageFolder } from '../../src/core/container/createImageFolder';
import { PROFILES, type SiteProfileId } from '../../src/core/container/siteProfiles';
import { sendScoringRequest, ScoringError, requestBodyFor } from '../../src/core/container/sampleRequest';
import { FIXTURES, HOSTILE_NAME, STANDIN_BIN, readCalls } from './container-helpers';

const JOB = { group: 'gaa50000', resource: 'rt_HF', walltime: '2:00:00' };

describe('container job scripts with stand-in site tools', () => {
  let tmp: string;
  let home: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'mlwf-jobs-'));
    home = path.join(tmp, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, 'canary'), 'still here');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function folderFor(profile: SiteProfileId, name?: string, model = 'sklearn-wine'): Promise<string> {
    const src = path.join(tmp, `src-${profile}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(src);
    spawnSync('cp', ['-r', path.join(FIXTURES, model, 'artifacts'), src]);
    if (name !== undefined) writeFileSync(path.join(src, 'info.yaml'), `Name: ${JSON.stringify(name)}\nVersion: "1"\n`);
    const out = mkdtempSync(path.join(tmp, 'out-'));
    const job = profile === 'abci2' ? { ...JOB, resource: 'rt_C.small' } : JOB;
    return (await createImageFolder({ source: src, outputDir: out, profile: PROFILES[profile], job, chooseBaseImage: async (_s, d) => d })).folder;
  }

  function run(folder: string, script: string, extraEnv: Record<string, string> = {}, binDir = STANDIN_BIN) {
    const log = path.join(folder, '..', 'calls.jsonl');
    rmSync(log, { force: true });
    const result = spawnSync('bash', [script], {
      cwd: folder,
      encoding: 'utf8',
      env: { PATH: `${binDir}:/usr/bin:/bin:${path.dirname(process.execPath)}`, HOME: home, TMPDIR: tmp, MLWF_STANDIN_LOG: log, ...extraEnv },
      timeout: 30_000,
    });
    return { ...result, calls: readCalls(log), log };
  }

  it('abci3: a blocking PBS job from the login node, built on node-local storage', async () => {
    const folder = await folderFor('abci3');
    const r = run(folder, 'build.sh');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const qsub = r.calls.find((c) => c.tool === 'qsub')!;
    assert.deepEqual(qsub.argv, ['-W', 'block=true', '-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=2:00:00', '-N', 'mlwf-build', '-j', 'oe', '-k', 'oed', '-o', 'build.log', 'build.sh']);
    assert.equal(qsub.cwd, folder);
    assert.equal(r.calls.some((c) => c.tool === 'module'), false, 'ABCI 3.0 needs no module');
    const sing = r.calls.find((c) => c.tool === 'singularity')!;
    assert.deepEqual(sing.argv, ['build', '--fakeroot', 'container.building.sif', 'Singularity']);
    assert.equal(sing.cwd, folder, 'the job found its folder through PBS_O_WORKDIR');
    assert.match(sing.env.SINGULARITY_TMPDIR!, /pbs-local-/);
    assert.equal(sing.env.SINGULARITY_TMPDIR, sing.env.PBS_LOCALDIR);
    assert.equal(statSync(path.join(folder, 'container.sif')).size, 3 * 1024 * 1024);
    assert.equal(existsSync(path.join(folder, 'container.building.sif')), false);
    // qsub's own output, the id, went into the folder (MLWF lists the job from it) and stays there.
    assert.equal(readFileSync(path.join(folder, '.mlwf-build.jobid'), 'utf8'), `${sing.env.PBS_JOBID}\n`);
    assert.doesNotMatch(r.stdout, /\.pbs1/, 'the id is not mixed into the followed log');
    // The job's log is followed in the terminal.
    assert.match(r.stdout, /Built container\.sif \(3\.0M\)/);
    assert.match(readFileSync(path.join(folder, 'build.log'), 'utf8'), /Built container\.sif/);
  });

  it('abci2: qrsh with the group, resource and wall time, after module load singularitypro', async () => {
    const folder = await folderFor('abci2');
    const r = run(folder, 'build.sh');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(r.calls.map((c) => c.tool), ['qrsh', 'module', 'singularity']);
    assert.deepEqual(r.calls[0]!.argv, ['-g', 'gaa50000', '-l', 'rt_C.small=1', '-l', 'h_rt=2:00:00', '-cwd', '-N', 'mlwf-build', '/bin/bash', 'build.sh']);
    assert.deepEqual(r.calls[1]!.argv, ['load', 'singularitypro']);
    assert.match(r.calls[2]!.env.SINGULARITY_TMPDIR!, /sge-local-/);
    assert.match(r.stdout, /Built container\.sif/);
  });

  it('generic: builds right here with TMPDIR, and falls back to apptainer', async () => {
    const folder = await folderFor('generic');
    const onlyApptainer = path.join(tmp, 'bin-apptainer');
    mkdirSync(onlyApptainer, { recursive: true });
    writeFileSync(path.join(onlyApptainer, 'apptainer'), `#!/bin/sh\nexec node ${JSON.stringify(path.join(STANDIN_BIN, 'standin.cjs'))} apptainer "$@"\n`, { mode: 0o755 });
    const r = run(folder, 'build.sh', {}, onlyApptainer);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(r.calls.map((c) => c.tool), ['apptainer']);
    assert.equal(r.calls[0]!.env.APPTAINER_TMPDIR, tmp);
    assert.equal(r.calls[0]!.env.SINGULARITY_TMPDIR, tmp);
  });

  it('a failing build exits non-zero and leaves no container.sif', async () => {
    for (const profile of ['abci3', 'abci2', 'generic'] as const) {
      const folder = await folderFor(profile);
      const recipe = path.join(folder, 'Singularity');
      writeFileSync(recipe, readFileSync(recipe, 'utf8').replace('%post\n', '%post\n    echo MLWF_STANDIN_FAIL; exit 1\n'));
      const r = run(folder, 'build.sh');
      assert.notEqual(r.status, 0, `${profile}: ${r.stdout}`);
      assert.match(r.stdout + r.stderr, /FATAL/);
      assert.equal(existsSync(path.join(folder, 'container.sif')), false);
      assert.equal(existsSync(path.join(folder, 'container.building.sif')), false);
    }
  });

  it("a model named x'; rm -rf ~; ' is only ever a string", async () => {
    for (const profile of ['abci3', 'abci2', 'generic'] as const) {
      const folder = await folderFor(profile, HOSTILE_NAME);
      const r = run(folder, 'build.sh');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.ok(r.stdout.includes(`Building container.sif for ${HOSTILE_NAME} with singularity`), r.stdout);
      assert.equal(readFileSync(path.join(home, 'canary'), 'utf8'), 'still here');
    }
  });

  it('serve.sh serves the image on $PORT and a sample request gets predictions; nothing listening is a clear error', async () => {
    const folder = await folderFor('generic');
    assert.equal(run(folder, 'build.sh').status, 0);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const log = path.join(tmp, 'serve-calls.jsonl');
    const child = spawn('bash', ['serve.sh'], { cwd: folder, env: { PATH: `${STANDIN_BIN}:/usr/bin:/bin:${path.dirname(process.execPath)}`, HOME: home, TMPDIR: tmp, MLWF_STANDIN_LOG: log, PORT: String(port) }, stdio: 'pipe', detached: true });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => { out += String(d); if (/Listening at/.test(out)) resolve(); });
        child.on('exit', () => reject(new Error(`serve.sh ended: ${out}`)));
      });
      assert.equal(readFileSync(path.join(folder, 'serve.url'), 'utf8').trim(), `http://127.0.0.1:${port}`);
      const example = JSON.parse(readFileSync(path.join(folder, 'model', 'input_example.json'), 'utf8'));
      const body = JSON.stringify(requestBodyFor(example));
      const result = await sendScoringRequest(`http://127.0.0.1:${port}`, body);
      assert.deepEqual(result.predictions, [6.954, 11.805]);
      const scoring = readCalls(log).find((c) => c.tool === 'scoring')!;
      assert.deepEqual(JSON.parse(scoring.body!), { dataframe_split: example });
      assert.deepEqual(readCalls(log).find((c) => c.tool === 'singularity')!.argv, ['run', 'container.sif']);
    } finally {
      // The whole process group: the server is a child of serve.sh, as in a terminal that is closed.
      process.kill(-child.pid!, 'SIGTERM');
    }
    await exited;
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(sendScoringRequest(`http://127.0.0.1:${port}`, '{}'), (e: unknown) => e instanceof ScoringError && /Nothing is listening at 127\.0\.0\.1:\d+/.test(e.message));
    await assert.rejects(sendScoringRequest(`http://127.0.0.1:${port}`, '{not json'), (e: unknown) => e instanceof ScoringError && /not valid JSON/.test(e.message));
  });

  it('builds the request body the way MLflow reads each kind of input example', () => {
    assert.deepEqual(requestBodyFor({ columns: ['a'], data: [[1]] }), { dataframe_split: { columns: ['a'], data: [[1]] } });
    assert.deepEqual(requestBodyFor({ dataframe_split: { data: [] } }), { dataframe_split: { data: [] } });
    assert.deepEqual(requestBodyFor([{ a: 1 }]), { dataframe_records: [{ a: 1 }] });
    assert.deepEqual(requestBodyFor('hello'), { inputs: 'hello' });
  });
});
