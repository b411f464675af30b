// The container's build and serve jobs on the REAL Grid Engine cell (scripts/gridengine.sh),
// submitted the way training jobs are (qsub as an argv in the MLWFCreateImage folder, its log
// written as the job goes, a job.json the Jobs view reads). The folder sits under a name a shell
// would love to run. Singularity/apptainer is not installed on the test machine (Debian has no
// package), so the build really runs on the cell and really fails with MLWF's one clear line;
// the build with singularity itself is tested with stand-ins in container-jobs.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it as nodeIt } from 'node:test';
import { createImageFolder } from '../../src/core/container/createImageFolder';
import { PROFILES } from '../../src/core/container/siteProfiles';
import { execRunner, type CommandRunner } from '../../src/core/scheduler/commandRunner';
import { readRecord, writeRecord, type JobRecord } from '../../src/core/scheduler/jobRecord';
import { pollJobs } from '../../src/core/scheduler/jobWatcher';
import type { JobPhase } from '../../src/core/scheduler/jobStatus';
import { JOB_PROFILE_TABLE } from '../../src/core/scheduler/profiles';
import { createScheduler } from '../../src/core/scheduler/scheduler';
import { submitContainerJob } from '../../src/core/scheduler/submitContainerJob';
import { gridEngineSkipReason } from '../servers/gridEngine';
import { FIXTURES } from './container-helpers';

const skip = gridEngineSkipReason();
if (skip) process.stdout.write(`SKIP container jobs on a real Grid Engine cell: ${skip}\n`);
const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 180_000 }, fn);

const work = mkdtempSync(path.join(tmpdir(), 'mlwf-ge-container-'));
after(() => {
  if (!skip) execFileSync('qmod', ['-e', 'all.q']);
  rmSync(work, { recursive: true, force: true });
});
const USER = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const calls: Array<{ command: string; args: readonly string[]; cwd?: string }> = [];
const base = execRunner();
const runner: CommandRunner = (command, args, options) => {
  calls.push({ command, args, cwd: options?.cwd });
  return base(command, args, options);
};
const scheduler = createScheduler('sge', runner);
const NO_SINGULARITY = /MLWF: neither singularity nor apptainer is on PATH on \S+: install one \(or load its module\) on the compute nodes\./;

async function imageFolder(): Promise<string> {
  const parent = path.join(work, `it's $(touch PWNED) "dir"`);
  mkdirSync(parent, { recursive: true });
  const src = mkdtempSync(path.join(work, 'src-'));
  execFileSync('cp', ['-r', path.join(FIXTURES, 'sklearn-wine', 'artifacts'), src]);
  const made = await createImageFolder({ source: src, outputDir: mkdtempSync(path.join(parent, 'out-')), profile: PROFILES.gridengine, job: { group: '', resource: '', walltime: '0:10:00' }, chooseBaseImage: async (_s, d) => d });
  return made.folder;
}

/** Polls as the Jobs view does until the job has ended; the phases seen, in order. */
async function watch(record: JobRecord, onEach?: (phase: JobPhase) => void) {
  const phases: JobPhase[] = [];
  for (let i = 0; i < 300; i++) {
    const { rows } = await pollJobs(scheduler, [readRecord(record.folder)!], USER, undefined, () => undefined);
    const row = rows.find((r) => r.record?.id === record.id)!;
    if (phases.at(-1) !== row.status.phase) phases.push(row.status.phase);
    onEach?.(row.status.phase);
    if (row.record?.final) return { phases, status: row.status, record: row.record };
    await sleep(500);
  }
  throw new Error(`job ${record.id} did not end: ${phases.join(' → ')}`);
}

describe('container build and serve jobs on a real Grid Engine cell (site profile gridengine)', () => {
  it('build.sh of the gridengine profile has no ABCI options: no group, an optional queue, the same qrsh for a run by hand', async () => {
    const folder = await imageFolder();
    const script = readFileSync(path.join(folder, 'build.sh'), 'utf8');
    assert.doesNotMatch(script, /-g |GROUP=/);
    assert.match(script, /^RESOURCE='' *$/m);
    assert.match(script, /^WALLTIME=0:10:00$/m);
    assert.match(script, /exec qrsh -now no \$\{RESOURCE:\+-q "\$RESOURCE"\} -l "h_rt=\$WALLTIME" -cwd -N mlwf-build \/bin\/bash build\.sh$/m);
    // In a batch job the script runs from the spool: it finds its folder through SGE_O_WORKDIR.
    assert.match(script, /\[ -f "\$here\/Singularity" \] \|\| here=\$\{SGE_O_WORKDIR:-\$PWD\}/);
  });

  it('Build Container submits build.sh with qsub as an argv in the folder; the job really runs on the cell and fails with the one clear line (no singularity here)', async () => {
    const folder = await imageFolder();
    const jobsRoot = path.join(work, 'jobs');
    calls.length = 0;
    const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.gridengine, job: { group: '', resource: '', walltime: '0:10:00' }, imageFolder: folder, kind: 'build', jobsRoot }, scheduler);
    const qsub = calls.find((c) => c.command === 'qsub')!;
    assert.deepEqual(qsub.args, ['-terse', '-l', 'h_rt=0:10:00', '-N', 'mlwf-build', '-cwd', '-j', 'y', '-o', path.join(folder, 'build.log'), '-S', '/bin/bash', 'build.sh']);
    assert.equal(qsub.cwd, folder, 'qsub runs in the image folder (its quotes and $() are a path, not shell)');
    assert.match(record.id, /^\d+$/);
    assert.equal(record.kind, 'build');
    assert.equal(record.runId, '');
    assert.equal(path.dirname(record.folder), jobsRoot);
    const seen = await watch(record);
    assert.equal(seen.status.phase, 'failed', `phases ${seen.phases.join(' → ')}`);
    assert.equal(seen.status.exitStatus, 127);
    const log = readFileSync(path.join(folder, 'build.log'), 'utf8');
    assert.match(log, NO_SINGULARITY);
    assert.doesNotMatch(log, /Building container\.sif/);
    assert.equal(existsSync(path.join(folder, 'container.sif')) || existsSync(path.join(folder, 'container.building.sif')), false);
    assert.equal(seen.record.final?.phase, 'failed', 'the final state is kept in job.json');
    assert.equal(existsSync(path.join(work, 'PWNED')) || existsSync(path.join(path.dirname(folder), 'PWNED')), false, '$() never ran');
  });

  it('Serve Model submits serve.sh with -v PORT and the queue; it runs on the cell and fails with the same clear line', async () => {
    const folder = await imageFolder();
    writeFileSync(path.join(folder, 'container.sif'), 'not a real image');
    calls.length = 0;
    const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.gridengine, job: { group: '', resource: 'all.q', walltime: '0:05:00' }, imageFolder: folder, kind: 'serve', port: 5123, jobsRoot: path.join(work, 'jobs') }, scheduler);
    assert.deepEqual(calls.find((c) => c.command === 'qsub')!.args, ['-terse', '-q', 'all.q', '-l', 'h_rt=0:05:00', '-N', 'mlwf-serve', '-cwd', '-j', 'y', '-o', path.join(folder, 'serve.log'), '-S', '/bin/bash', '-v', 'PORT=5123', 'serve.sh']);
    const seen = await watch(record);
    assert.equal(seen.status.phase, 'failed');
    assert.equal(seen.status.exitStatus, 127);
    assert.match(readFileSync(path.join(folder, 'serve.log'), 'utf8'), NO_SINGULARITY);
    assert.equal(existsSync(path.join(folder, 'serve.url')), false, 'no URL for a server that never started');
  });

  it('a queued build job is cancelled with qdel and ends cancelled', async () => {
    const folder = await imageFolder();
    execFileSync('qmod', ['-d', 'all.q']);
    try {
      const record = await submitContainerJob({ profile: JOB_PROFILE_TABLE.gridengine, job: { group: '', resource: '', walltime: '0:10:00' }, imageFolder: folder, kind: 'build', jobsRoot: path.join(work, 'jobs') }, scheduler);
      let cancelled = false;
      const seen = await watch(record, (phase) => {
        if (phase === 'queued' && !cancelled) {
          cancelled = true;
          execFileSync('qdel', [record.id]);
          writeRecord({ ...readRecord(record.folder)!, cancelled: true });
        }
      });
      assert.equal(seen.phases[0], 'queued');
      assert.equal(seen.status.phase, 'cancelled');
      assert.doesNotMatch(readFileSync(path.join(folder, 'build.log'), 'utf8'), /singularity/, 'it never ran');
    } finally {
      execFileSync('qmod', ['-e', 'all.q']);
    }
  });
});
