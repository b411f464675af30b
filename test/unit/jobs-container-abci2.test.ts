// ABCI 2.0's container build and serve jobs, submitted by MLWF as batch jobs (`qsub -g GROUP -l
// rt_TYPE=1 …`, the same submission as training jobs) and followed like those of a plain cell,
// on the REAL Grid Engine cell (scripts/gridengine.sh). The cell is plain Grid Engine, which
// rejects ABCI's -g and rt_* resource types: test/servers/abci2Qsub stands in front of its qsub,
// records the exact argv MLWF ran, requires those two, drops them and submits the rest for real.
// The job gets the container rig's stand-in `module` and `singularity` (the cell has neither) and
// an SGE_LOCALDIR as ABCI's nodes set it, so build.sh and serve.sh really run on the cell up to a
// built image and a server that answers. The folder sits under a name a shell would love to run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it as nodeIt } from 'node:test';
import { createImageFolder } from '../../src/core/container/createImageFolder';
import { readFolderJob } from '../../src/core/container/folderJob';
import { PROFILES } from '../../src/core/container/siteProfiles';
import { sendScoringRequest } from '../../src/core/container/sampleRequest';
import { execRunner, type CommandRunner } from '../../src/core/scheduler/commandRunner';
import { readRecord, writeRecord, type JobRecord } from '../../src/core/scheduler/jobRecord';
import { pollJobs } from '../../src/core/scheduler/jobWatcher';
import type { JobPhase } from '../../src/core/scheduler/jobStatus';
import { JOB_PROFILE_TABLE } from '../../src/core/scheduler/profiles';
import { createScheduler } from '../../src/core/scheduler/scheduler';
import { submitContainerJob } from '../../src/core/scheduler/submitContainerJob';
import { gridEngineSkipReason } from '../servers/gridEngine';
import { FIXTURES, STANDIN_BIN, readCalls } from './container-helpers';

const skip = gridEngineSkipReason();
if (skip) process.stdout.write(`SKIP ABCI 2.0 container jobs on a real Grid Engine cell: ${skip}\n`);
const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 180_000 }, fn);

const SHIM_BIN = path.resolve(__dirname, '../servers/abci2Qsub/bin');
const JOB = { group: 'gaa50000', resource: 'rt_C.small', walltime: '0:10:00' };
const work = mkdtempSync(path.join(tmpdir(), 'mlwf-abci2-container-'));
after(() => rmSync(work, { recursive: true, force: true }));
const USER = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shimLog = path.join(work, 'abci2-qsub.jsonl');
const standinLog = path.join(work, 'standin.jsonl');
const localDir = path.join(work, 'sge-local');
mkdirSync(localDir);

/** MLWF's command runner with ABCI's qsub first on PATH; `jobEnv` is what the wrapper hands the job. */
function schedulerFor(jobEnv: Record<string, string> = {}) {
  const calls: Array<{ command: string; args: readonly string[]; cwd?: string }> = [];
  const env = {
    ...process.env,
    PATH: `${SHIM_BIN}:${process.env.PATH}`,
    ABCI2_QSUB_LOG: shimLog,
    ABCI2_QSUB_JOB_ENV: Object.entries({ PATH: `${STANDIN_BIN}:${path.dirname(process.execPath)}:/usr/bin:/bin`, MLWF_STANDIN_LOG: standinLog, SGE_LOCALDIR: localDir, ...jobEnv }).map(([k, v]) => `${k}=${v}`).join(','),
  };
  const base = execRunner(env);
  const runner: CommandRunner = (command, args, options) => {
    calls.push({ command, args, cwd: options?.cwd });
    return base(command, args, options);
  };
  return { scheduler: createScheduler('sge', runner), calls };
}

async function imageFolder(): Promise<string> {
  const parent = path.join(work, `it's $(touch PWNED) "dir"`);
  mkdirSync(parent, { recursive: true });
  const src = mkdtempSync(path.join(work, 'src-'));
  execFileSync('cp', ['-r', path.join(FIXTURES, 'sklearn-wine', 'artifacts'), src]);
  const made = await createImageFolder({ source: src, outputDir: mkdtempSync(path.join(parent, 'out-')), profile: PROFILES.abci2, job: JOB, chooseBaseImage: async (_s, d) => d });
  return made.folder;
}

/** Polls as the Jobs view does until the job has ended; the phases seen, in order. */
async function watch(scheduler: ReturnType<typeof schedulerFor>['scheduler'], record: JobRecord, onEach?: (phase: JobPhase) => void | Promise<void>) {
  const phases: JobPhase[] = [];
  for (let i = 0; i < 300; i++) {
    const { rows } = await pollJobs(scheduler, [readRecord(record.folder)!], USER, undefined, () => undefined);
    const row = rows.find((r) => r.record?.id === record.id)!;
    if (phases.at(-1) !== row.status.phase) phases.push(row.status.phase);
    await onEach?.(row.status.phase);
    if (row.record?.final) return { phases, status: row.status, record: row.record };
    await sleep(500);
  }
  throw new Error(`job ${record.id} did not end: ${phases.join(' → ')}`);
}

const lastShimCall = () => readCalls(shimLog).filter((c) => c.tool === 'qsub').at(-1)!;

describe('ABCI 2.0 container jobs as batch jobs (real Grid Engine cell behind ABCI\'s qsub options)', () => {
  it('the folder carries the group, resource type and wall time MLWF submits with; by hand it still opens qrsh', async () => {
    const folder = await imageFolder();
    assert.deepEqual(readFolderJob(folder, 'build.sh'), { profile: 'abci2', job: JOB });
    assert.deepEqual(readFolderJob(folder, 'serve.sh'), { profile: 'abci2', job: JOB });
    const script = readFileSync(path.join(folder, 'build.sh'), 'utf8');
    assert.match(script, /exec qrsh -g "\$GROUP" -l "\$RESOURCE=1" -l "h_rt=\$WALLTIME" -cwd -N mlwf-build \/bin\/bash build\.sh$/m);
    assert.match(script, /\[ -f "\$here\/Singularity" \] \|\| here=\$\{SGE_O_WORKDIR:-\$PWD\}/);
  });

  it('Build Container submits qsub -g GROUP -l rt_C.small=1 as an argv in the folder; the job runs on the cell, loads singularitypro, builds on SGE_LOCALDIR and finishes', async () => {
    const folder = await imageFolder();
    const { scheduler, calls } = schedulerFor();
    rmSync(standinLog, { force: true });
    const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.abci2, job: JOB, imageFolder: folder, kind: 'build', jobsRoot: path.join(work, 'jobs') }, scheduler);
    const argv = ['-terse', '-g', 'gaa50000', '-l', 'rt_C.small=1', '-l', 'h_rt=0:10:00', '-N', 'mlwf-build', '-cwd', '-j', 'y', '-o', path.join(folder, 'build.log'), '-S', '/bin/bash', 'build.sh'];
    const qsub = calls.find((c) => c.command === 'qsub')!;
    assert.deepEqual(qsub.args, argv);
    assert.equal(qsub.cwd, folder, 'qsub runs in the image folder (its quotes and $() are a path, not shell)');
    assert.deepEqual(lastShimCall().argv, argv, 'ABCI\'s qsub got exactly that');
    assert.match(record.id, /^\d+$/);
    assert.deepEqual([record.kind, record.profile, record.group, record.resource], ['build', 'abci2', 'gaa50000', 'rt_C.small']);
    const seen = await watch(scheduler, record);
    const log = readFileSync(path.join(folder, 'build.log'), 'utf8');
    assert.equal(seen.status.phase, 'finished', `phases ${seen.phases.join(' → ')}: ${log}`);
    assert.equal(seen.status.exitStatus, 0);
    assert.match(log, /Built container\.sif \(3\.0M\)/);
    assert.equal(statSync(path.join(folder, 'container.sif')).size, 3 * 1024 * 1024);
    const tools = readCalls(standinLog);
    assert.deepEqual(tools.find((c) => c.tool === 'module')?.argv, ['load', 'singularitypro']);
    const build = tools.find((c) => c.tool === 'singularity')!;
    assert.deepEqual(build.argv, ['build', '--fakeroot', 'container.building.sif', 'Singularity']);
    assert.equal(build.cwd, folder, 'the job found its folder through SGE_O_WORKDIR');
    assert.equal(build.env.SINGULARITY_TMPDIR, localDir);
    assert.equal(build.env.JOB_ID, record.id, 'it ran as that job of the cell');
    assert.equal(existsSync(path.join(work, 'PWNED')) || existsSync(path.join(path.dirname(folder), 'PWNED')), false, '$() never ran');
  });

  it('a running build job is cancelled with qdel of its id and ends cancelled, without an image', async () => {
    const folder = await imageFolder();
    const { scheduler, calls } = schedulerFor({ MLWF_STANDIN_BUILD_SECONDS: '120' });
    const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.abci2, job: JOB, imageFolder: folder, kind: 'build', jobsRoot: path.join(work, 'jobs') }, scheduler);
    let cancelled = false;
    const seen = await watch(scheduler, record, async (phase) => {
      // Once the build itself has started on the node (not merely the job).
      if (phase === 'running' && !cancelled && /Building container\.sif/.test(readFileSync(path.join(folder, 'build.log'), 'utf8'))) {
        cancelled = true;
        await scheduler.cancel(record.id);
        writeRecord({ ...readRecord(record.folder)!, cancelled: true });
      }
    });
    assert.deepEqual(calls.filter((c) => c.command === 'qdel').map((c) => c.args), [[record.id]]);
    assert.ok(seen.phases.includes('running'), seen.phases.join(' → '));
    assert.equal(seen.status.phase, 'cancelled');
    assert.equal(existsSync(path.join(folder, 'container.sif')) || existsSync(path.join(folder, 'container.building.sif')), false);
  });

  it('Serve Model submits serve.sh with -v PORT; the server on the node answers a sample request and qdel stops it', async () => {
    const folder = await imageFolder();
    writeFileSync(path.join(folder, 'container.sif'), 'stand-in image');
    const port = 20000 + Math.floor(Math.random() * 20000);
    const { scheduler } = schedulerFor();
    const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.abci2, job: JOB, imageFolder: folder, kind: 'serve', port, jobsRoot: path.join(work, 'jobs') }, scheduler);
    assert.deepEqual(lastShimCall().argv, ['-terse', '-g', 'gaa50000', '-l', 'rt_C.small=1', '-l', 'h_rt=0:10:00', '-N', 'mlwf-serve', '-cwd', '-j', 'y', '-o', path.join(folder, 'serve.log'), '-S', '/bin/bash', '-v', `PORT=${port}`, 'serve.sh']);
    const urlFile = path.join(folder, 'serve.url');
    for (let i = 0; i < 120 && !existsSync(urlFile); i++) await sleep(500);
    assert.match(readFileSync(urlFile, 'utf8').trim(), new RegExp(`^http://[^:]+:${port}$`));
    let answer;
    for (let i = 0; i < 40 && !answer; i++) answer = await sendScoringRequest(`http://127.0.0.1:${port}`, JSON.stringify({ dataframe_split: { columns: ['a', 'b'], data: [[10, 20]] } })).catch(async () => void (await sleep(250)));
    assert.deepEqual(answer?.predictions, [3]);
    await scheduler.cancel(record.id);
    writeRecord({ ...readRecord(record.folder)!, cancelled: true });
    const seen = await watch(scheduler, record);
    assert.equal(seen.status.phase, 'cancelled');
    await assert.rejects(sendScoringRequest(`http://127.0.0.1:${port}`, '{}'));
  });
});
