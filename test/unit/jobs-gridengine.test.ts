// Jobs against the REAL Grid Engine cell (scripts/gridengine.sh) and the REAL MLflow servers
// (2.14.3 and 3.6 behind nginx with Basic auth): a training script submitted through the core
// really runs as a job, logs into the run created at submission (MLFLOW_RUN_ID), is seen queued →
// running → finished, its output is followed while it runs, a cancelled job's run is KILLED and
// one that fails before logging is FAILED. The password is looked for everywhere a job leaves a
// trace: job.sh, output.log, job.json, every command line MLWF ran, every process's argv and
// environment-free listing (`ps`), `qstat -j`, the cell's spool — and must be in none of them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it as nodeIt } from 'node:test';
import { MlflowClient } from '../../src/core/mlflow';
import { execRunner, type CommandRunner } from '../../src/core/scheduler/commandRunner';
import { followFile } from '../../src/core/scheduler/followFile';
import { JOB_TAGS } from '../../src/core/scheduler/jobRun';
import { writeRecord, type JobRecord } from '../../src/core/scheduler/jobRecord';
import { pollJobs } from '../../src/core/scheduler/jobWatcher';
import type { JobPhase } from '../../src/core/scheduler/jobStatus';
import { JOB_PROFILE_TABLE } from '../../src/core/scheduler/profiles';
import { createScheduler } from '../../src/core/scheduler/scheduler';
import { submitJob } from '../../src/core/scheduler/submitJob';
import { shellQuote } from '../../src/core/container/shellQuote';
import { gridEngineSkipReason } from '../servers/gridEngine';
import { realMlflowServers, realMlflowSkipReason, releaseRealMlflowServers, type RealServer } from '../servers/realMlflow';

const skip = gridEngineSkipReason() || realMlflowSkipReason();
if (skip) process.stdout.write(`${skip}\n`);
const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 240_000 }, fn);

const work = mkdtempSync(path.join(tmpdir(), 'mlwf-ge-'));
const USER = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every command MLWF ran, as argv, for the password grep. */
const commandLines: string[] = [];
const baseRunner = execRunner();
const runner: CommandRunner = (cmd, args, opts) => {
  commandLines.push([cmd, ...args].join(' '));
  return baseRunner(cmd, args, opts);
};
const scheduler = createScheduler('sge', runner);
/** What `ps` showed and `qstat -j` said while jobs ran. */
const observed: string[] = [];

function clientFor(server: RealServer): MlflowClient {
  return new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password }, timeoutMs: 30_000 });
}

// A training script in a folder whose name a shell would love to run: quotes, $(), spaces.
const hostileDir = path.join(work, `it's $(touch PWNED) "dir"`);
mkdirSync(hostileDir, { recursive: true });
writeFileSync(
  path.join(hostileDir, 'train.py'),
  [
    'import os, sys, time',
    'import mlflow',
    'print("training starts", flush=True)',
    'if os.path.exists("fail-before-logging"):',
    '    raise SystemExit("no data: failing before any logging")',
    'expected = os.environ["MLFLOW_RUN_ID"]  # start_run() consumes it',
    'with mlflow.start_run() as run:',
    '    assert run.info.run_id == expected, "not the pre-created run"',
    '    mlflow.log_param("workdir", os.getcwd())',
    '    for step in range(int(os.environ.get("STEPS", "6"))):',
    '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)',
    '        print(f"step {step}", flush=True)',
    '        time.sleep(float(os.environ.get("STEP_SECONDS", "1.5")))',
    'print("training done", flush=True)',
    '',
  ].join('\n'),
);

function submit(server: RealServer, jobsRoot: string, env: Record<string, string>): Promise<JobRecord> {
  const setup = [...Object.entries({ ...server.clientEnv, ...env }).map(([k, v]) => `export ${k}=${shellQuote(v)}`)];
  return submitJob(
    {
      profile: JOB_PROFILE_TABLE.gridengine,
      job: { group: '', resource: '', walltime: '0:10:00' },
      scriptPath: path.join(hostileDir, 'train.py'),
      workdir: hostileDir,
      jobsRoot,
      secretsDir: path.join(work, 'home', '.mlwf', 'job-secrets'),
      interpreter: '/usr/bin/python3',
      python: '/usr/bin/python3',
      setupLines: setup,
      jobTrackingUri: server.trackingUri,
      username: server.username,
      password: server.password,
      experimentId: server.scenario.experiment_id,
      experimentName: `exp 'quoted' $(touch PWNED2)`,
    },
    clientFor(server),
    scheduler,
  );
}

/** Polls until the job ends; returns the phases seen in order (deduplicated) and the last rows. */
async function watch(server: RealServer, record: JobRecord, onEach?: (phase: JobPhase) => Promise<void> | void) {
  const phases: JobPhase[] = [];
  const client = clientFor(server);
  let current = record;
  for (let i = 0; i < 400; i++) {
    const { rows } = await pollJobs(scheduler, [current], USER, client, () => undefined);
    const row = rows.find((r) => r.record?.id === record.id)!;
    current = row.record!;
    if (phases.at(-1) !== row.status.phase) phases.push(row.status.phase);
    observed.push(spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout);
    await onEach?.(row.status.phase);
    if (current.final && current.runClosed !== undefined) return { phases, record: current, status: row.status };
    if (current.final && row.status.phase !== 'unknown' && i > 0) return { phases, record: current, status: row.status };
    await sleep(500);
  }
  throw new Error(`job ${record.id} did not end; phases ${phases.join(' → ')}`);
}

let servers: RealServer[] = [];
before(async () => {
  if (skip) return;
  const s = await realMlflowServers();
  if (!Array.isArray(s)) throw new Error(s.skipped);
  servers = s;
});
after(async () => {
  await releaseRealMlflowServers();
  if (!process.env.MLWF_KEEP_WORK) rmSync(work, { recursive: true, force: true });
});

for (const kit of ['2.14.3', '3.6'] as const) {
  describe(`[real MLflow ${kit}] jobs on a real Grid Engine cell`, () => {
    const server = () => servers.find((s) => s.kit === kit)!;
    const label = `[real MLflow ${kit}]`;

    it(`${label} a training job runs on the cell, logs into the pre-created run, and is seen queued → running → finished with its output followed live`, async () => {
      const jobsRoot = path.join(work, `jobs-${kit}`);
      // A busy cluster, for a moment: the queue takes no job until the view has seen it queued.
      execFileSync('qmod', ['-d', 'all.q']);
      let record: JobRecord;
      try {
        record = await submit(server(), jobsRoot, { STEPS: '6', STEP_SECONDS: '1.5' });
      } catch (e) {
        execFileSync('qmod', ['-e', 'all.q']);
        throw e;
      }
      assert.match(record.id, /^\d+$/);
      const before = await clientFor(server()).getRun(record.runId);
      assert.equal(before.info.status, 'SCHEDULED');
      assert.equal(before.data.tags.find((t) => t.key === JOB_TAGS.id)?.value, record.id);
      assert.equal(before.data.tags.find((t) => t.key === JOB_TAGS.scheduler)?.value, 'sge');

      const chunks: Array<{ text: string; phase: JobPhase }> = [];
      let phase: JobPhase = 'queued';
      const stop = new AbortController();
      const following = followFile(record.outputFile, (text) => chunks.push({ text, phase }), { signal: stop.signal, intervalMs: 300 });
      const qstatJ: string[] = [];
      const seen = await watch(server(), record, async (p) => {
        phase = p;
        if (p === 'queued') execFileSync('qmod', ['-e', 'all.q']);
        if (p === 'running') qstatJ.push((await runner('qstat', ['-j', record.id])).stdout);
      });
      execFileSync('qmod', ['-e', 'all.q']);
      await sleep(700);
      stop.abort();
      await following;
      observed.push(...qstatJ);

      assert.deepEqual(seen.phases.filter((p) => p !== 'unknown'), ['queued', 'running', 'finished'], `phases: ${seen.phases.join(' → ')}`);
      assert.equal(seen.status.exitStatus, 0);
      const whileRunning = chunks.filter((c) => c.phase === 'running').map((c) => c.text).join('');
      assert.match(whileRunning, /step 1/, 'Show Output had the job\'s lines while it ran');
      assert.match(chunks.map((c) => c.text).join(''), /training done/);
      assert.match(readFileSync(record.outputFile, 'utf8'), new RegExp(`MLWF: job ${record.id} on `));

      const run = await clientFor(server()).getRun(record.runId);
      assert.equal(run.info.status, 'FINISHED');
      assert.equal(run.data.metrics.find((m) => m.key === 'loss')?.value, 1 / 6);
      assert.equal(run.data.params.find((p) => p.key === 'workdir')?.value, hostileDir, 'the hostile folder name arrived as one string');
      assert.equal(existsSync(path.join(work, 'PWNED')) || existsSync(path.join(hostileDir, 'PWNED')) || existsSync(path.join(jobsRoot, 'PWNED')), false, '$() never ran');
      assert.equal(record.passwordFile !== undefined, true);
      assert.equal(existsSync(record.passwordFile!), false, 'the password file is removed when the job ends');
    });

    it(`${label} Cancel ends a running job and its run is marked KILLED`, async () => {
      const record = await submit(server(), path.join(work, `jobs-cancel-${kit}`), { STEPS: '200', STEP_SECONDS: '1' });
      let current = record;
      const seen = await watch(server(), record, async (p) => {
        if (p === 'running' && !current.cancelled) {
          // Wait until it has logged (a real training), then cancel as the view does: qdel, then mark.
          for (let i = 0; i < 40 && !/step 1/.test(readFileSync(record.outputFile, 'utf8')); i++) await sleep(500);
          await scheduler.cancel(record.id);
          current = { ...record, cancelled: true };
          writeRecord(current);
        }
      });
      assert.equal(seen.phases.includes('running'), true);
      assert.equal(seen.status.phase, 'cancelled');
      const run = await clientFor(server()).getRun(record.runId);
      assert.equal(run.info.status, 'KILLED');
      assert.ok((run.data.metrics.find((m) => m.key === 'loss')?.value ?? 0) > 0, 'it had logged before it was cancelled');
      assert.equal(existsSync(record.passwordFile!), false, 'a killed job leaves no password file behind');
    });

    it(`${label} a job that fails before logging marks its run FAILED`, async () => {
      writeFileSync(path.join(hostileDir, 'fail-before-logging'), '');
      try {
        const record = await submit(server(), path.join(work, `jobs-fail-${kit}`), {});
        const seen = await watch(server(), record);
        assert.equal(seen.status.phase, 'failed');
        assert.equal(seen.status.exitStatus, 1);
        const run = await clientFor(server()).getRun(record.runId);
        assert.equal(run.info.status, 'FAILED');
        assert.equal(run.data.metrics.length, 0);
        assert.match(readFileSync(record.outputFile, 'utf8'), /failing before any logging/);
      } finally {
        rmSync(path.join(hostileDir, 'fail-before-logging'), { force: true });
      }
    });

    it(`${label} the password is in no job script, job record, output, command line, process list, qstat -j or spool file`, async () => {
      const password = server().password;
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.isFile() && statSync(p).size < 10_000_000) files.push(p);
        }
      };
      for (const root of readdirSync(work).filter((n) => n.startsWith('jobs-') && n.endsWith(kit))) walk(path.join(work, root));
      for (const spool of ['/var/spool/gridengine', '/var/lib/gridengine/default/common']) if (existsSync(spool)) walk(spool);
      assert.ok(files.some((f) => f.endsWith('job.sh')) && files.some((f) => f.endsWith('output.log')) && files.some((f) => f.endsWith('job.json')));
      assert.ok(commandLines.some((c) => c.startsWith('qsub ')) && observed.length > 3);
      const leaks = [
        ...files.filter((f) => readFileSync(f).includes(password)),
        ...commandLines.filter((c) => c.includes(password)).map((c) => `command: ${c}`),
        ...observed.filter((o) => o.includes(password)).map((o) => `observed: ${o.slice(0, 200)}`),
      ];
      assert.deepEqual(leaks, []);
      // ... while the job did have it: the run was written through nginx's Basic auth.
      assert.ok(readFileSync(server().accessLog, 'utf8').includes('runs/log-'), 'the job logged through the authenticating proxy');
    });
  });
}
