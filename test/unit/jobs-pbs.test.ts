// The PBS Professional profile (ABCI 3.0) against the stand-in of test/servers/pbsStandin (PBS has
// no package to install; the stand-in follows the documented qsub / qstat -f -F json / qdel
// contract), and the generic profile (no scheduler, the job runs here), each with the REAL MLflow
// 2.14.3 server: the exact qsub argv, the job started from $HOME still working in its folder,
// output followed while it runs, queued → running → finished, Cancel → KILLED, and no password
// on any command line or in the environment of the scheduler commands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it as nodeIt } from 'node:test';
import { MlflowClient } from '../../src/core/mlflow';
import { shellQuote } from '../../src/core/container/shellQuote';
import { execRunner } from '../../src/core/scheduler/commandRunner';
import { readRecord, writeRecord, type JobRecord } from '../../src/core/scheduler/jobRecord';
import type { JobPhase } from '../../src/core/scheduler/jobStatus';
import { EndedJobsCache, startOfDay } from '../../src/core/scheduler/endedJobs';
import { pollJobs, type JobRow } from '../../src/core/scheduler/jobWatcher';
import { parsePbsQstatUser } from '../../src/core/scheduler/pbsParse';
import { JOB_PROFILE_TABLE, type JobProfileId } from '../../src/core/scheduler/profiles';
import { createScheduler } from '../../src/core/scheduler/scheduler';
import { submitJob } from '../../src/core/scheduler/submitJob';
import { realMlflowServers, realMlflowSkipReason, releaseRealMlflowServers, type RealServer } from '../servers/realMlflow';

const skip = realMlflowSkipReason();
if (skip) process.stdout.write(`${skip}\n`);
const it = (name: string, fn: () => Promise<void>) => nodeIt(name, { skip, timeout: 120_000 }, fn);
const STANDIN_BIN = path.resolve(__dirname, '..', 'servers', 'pbsStandin', 'bin');
const work = mkdtempSync(path.join(tmpdir(), 'mlwf-pbs-'));
const home = path.join(work, 'home');
mkdirSync(home);
const state = path.join(work, 'pbs-state');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = { ...process.env, PATH: `${STANDIN_BIN}:${process.env.PATH}`, PBS_STANDIN_STATE: state, HOME: home, PBS_STANDIN_QUEUE_SECONDS: '2', MLFLOW_TRACKING_PASSWORD: 'from-the-users-shell' };
let server: RealServer;

before(async () => {
  if (skip) return;
  const s = await realMlflowServers();
  if (!Array.isArray(s)) throw new Error(s.skipped);
  server = s.find((x) => x.kit === '2.14.3')!;
});
after(async () => {
  await releaseRealMlflowServers();
  rmSync(work, { recursive: true, force: true });
});

const client = () => new MlflowClient({ trackingUri: server.trackingUri, auth: { kind: 'basic', username: server.username, password: server.password } });
const train = path.join(work, 'proj dir', 'train.py');
mkdirSync(path.dirname(train), { recursive: true });
writeFileSync(train, ['import os, time', 'import mlflow', 'print("cwd", os.getcwd(), flush=True)', 'with mlflow.start_run():', '    for s in range(int(os.environ["STEPS"])):', '        mlflow.log_metric("acc", s / 10, step=s)', '        print(f"step {s}", flush=True)', '        time.sleep(0.7)', ''].join('\n'));

async function submit(profile: JobProfileId, steps: number) {
  const setup = Object.entries({ ...server.clientEnv, STEPS: String(steps) }).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return submitJob(
    {
      profile: JOB_PROFILE_TABLE[profile], job: { group: 'gaa50000', resource: 'rt_HF', walltime: '0:20:00' },
      scriptPath: train, workdir: path.dirname(train), jobsRoot: path.join(work, `jobs-${profile}`), secretsDir: path.join(home, '.mlwf', 'job-secrets'),
      interpreter: '/usr/bin/python3', python: '/usr/bin/python3', setupLines: setup, jobTrackingUri: server.trackingUri,
      username: server.username, password: server.password, experimentId: server.scenario.experiment_id, experimentName: 'pbs',
    },
    client(),
    createScheduler(JOB_PROFILE_TABLE[profile].scheduler, execRunner(env)),
  );
}

async function watch(profile: JobProfileId, record: JobRecord, onEach?: (p: JobPhase) => Promise<void> | void) {
  const scheduler = createScheduler(JOB_PROFILE_TABLE[profile].scheduler, execRunner(env));
  const phases: JobPhase[] = [];
  let runningQueue: string | undefined;
  let current = record;
  for (let i = 0; i < 200; i++) {
    // As the view does: job.json is read again each time (Cancel writes into it).
    current = readRecord(current.folder) ?? current;
    const { rows } = await pollJobs(scheduler, [current], 'user', client(), () => undefined);
    const row = rows[0]!;
    current = row.record!;
    if (phases.at(-1) !== row.status.phase) phases.push(row.status.phase);
    if (row.status.phase === 'running') runningQueue = row.status.queue;
    await onEach?.(row.status.phase);
    if (current.final) return { phases, status: row.status, record: current, runningQueue };
    await sleep(400);
  }
  throw new Error(`no end: ${phases.join(' → ')}`);
}

describe('[real MLflow 2.14.3] PBS Professional profile (ABCI 3.0) against the PBS stand-in', () => {
  it('[real MLflow 2.14.3] abci3: qsub -P -q -l select -l walltime -k oed; queued → running → finished; output while running; run FINISHED', async () => {
    const record = await submit('abci3', 5);
    assert.match(record.id, /^\d+\.standin$/);
    const calls = readFileSync(path.join(state, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; argv: string[]; cwd: string; envNames: string[] });
    const qsub = calls.find((c) => c.tool === 'qsub')!;
    assert.deepEqual(qsub.argv, ['-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=0:20:00', '-N', 'mlwf-train', '-j', 'oe', '-k', 'oed', '-o', record.outputFile, 'job.sh']);
    assert.equal(qsub.cwd, record.folder);
    assert.equal(qsub.envNames.includes('MLFLOW_TRACKING_PASSWORD'), false, 'qsub never sees the password, even one from the user\'s shell');
    let sawRunningOutput = false;
    const seen = await watch('abci3', record, (p) => {
      if (p === 'running' && /step 1/.test(readFileSync(record.outputFile, 'utf8'))) sawRunningOutput = true;
    });
    assert.deepEqual(seen.phases, ['queued', 'running', 'finished']);
    assert.equal(seen.runningQueue, `rt_HF@${hostname().split('.')[0]}`, 'a running row names its node (exec_host), as Grid Engine\'s queue@host');
    assert.equal(sawRunningOutput, true, '-k oed: the output is there while the job runs');
    assert.equal(seen.status.exitStatus, 0);
    assert.equal(seen.status.walltimeSeconds, 1200);
    assert.match(readFileSync(record.outputFile, 'utf8'), new RegExp(`cwd ${path.dirname(train).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'PBS starts in $HOME; job.sh moves to the folder');
    const run = await client().getRun(record.runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.data.tags.find((t) => t.key === 'mlwf.job.id')?.value, record.id);
    assert.equal(run.data.tags.find((t) => t.key === 'mlwf.job.scheduler')?.value, 'pbs');
    const allCalls = readFileSync(path.join(state, 'calls.jsonl'), 'utf8');
    assert.equal(allCalls.includes(server.password), false);
    assert.equal(readFileSync(path.join(record.folder, 'job.sh'), 'utf8').includes(server.password), false);
    assert.equal(existsSync(record.passwordFile!), false);
  });

  it('[real MLflow 2.14.3] abci3: qdel of a running job → cancelled, run KILLED', async () => {
    const record = await submit('abci3', 200);
    const scheduler = createScheduler('pbs', execRunner(env));
    let current = record;
    const seen = await watch('abci3', record, async (p) => {
      if (p === 'running' && !current.cancelled && /step 0/.test(readFileSync(record.outputFile, 'utf8'))) {
        await scheduler.cancel(record.id);
        current = { ...record, cancelled: true };
        writeRecord(current);
      }
    });
    assert.equal(seen.status.phase, 'cancelled');
    // job.sh traps the SIGTERM and exits 143; a job without the trap would show 271 (256 + 15).
    assert.ok([143, 271].includes(seen.status.exitStatus ?? -1), String(seen.status.exitStatus));
    assert.equal((await client().getRun(record.runId)).info.status, 'KILLED');
  });
});

describe('[real MLflow 2.14.3] generic profile: the job runs on this machine', () => {
  it('[real MLflow 2.14.3] generic: runs here, logs into the pre-created run, cancel → KILLED', async () => {
    const ok = await submit('generic', 3);
    assert.match(ok.id, /^local-\d+$/);
    const seen = await watch('generic', ok);
    assert.equal(seen.status.phase, 'finished');
    assert.equal((await client().getRun(ok.runId)).info.status, 'FINISHED');
    const long = await submit('generic', 200);
    let current = long;
    const killed = await watch('generic', long, async (p) => {
      if (p === 'running' && !current.cancelled && /step 0/.test(readFileSync(long.outputFile, 'utf8'))) {
        await createScheduler('none', execRunner(env)).cancel(long.id);
        current = { ...long, cancelled: true };
        writeRecord(current);
      }
    });
    assert.equal(killed.status.phase, 'cancelled');
    assert.equal((await client().getRun(long.runId)).info.status, 'KILLED');
  });
});

describe('PBS Professional: the user\'s own jobs, also those MLWF did not submit (qstat -u USER -w)', () => {
  nodeIt('lists a job submitted by hand (queued, then running) with its queue, wall time and elapsed time; MLWF\'s own stay linked to their records', async () => {
    const own = path.join(work, 'by-hand.sh');
    writeFileSync(own, 'sleep 4\n');
    const user = process.env.USER || 'user';
    const q = spawnSync('qsub', ['-P', 'gaa50000', '-q', 'rt_HG', '-l', 'select=1', '-l', 'walltime=2:30:00', '-N', 'my-own-job', own], { env, encoding: 'utf8', cwd: work });
    assert.equal(q.status, 0, q.stderr);
    const id = q.stdout.trim();
    const scheduler = createScheduler('pbs', execRunner(env));
    const seen: JobPhase[] = [];
    for (let i = 0; i < 40 && !seen.includes('running'); i++) {
      const { rows } = await pollJobs(scheduler, [], user, undefined, () => undefined);
      const row = rows.find((r) => r.status.id === id);
      assert.ok(row, `job ${id} listed`);
      assert.equal(row.record, undefined, 'not one of MLWF\'s');
      assert.equal(row.status.name, 'my-own-job');
      assert.equal(row.status.queue, 'rt_HG');
      assert.equal(row.status.walltimeSeconds, 2.5 * 3600);
      if (seen.at(-1) !== row.status.phase) seen.push(row.status.phase);
      await sleep(300);
    }
    assert.deepEqual(seen, ['queued', 'running']);
    const calls = readFileSync(path.join(state, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; argv: string[] });
    assert.deepEqual(calls.filter((c) => c.tool === 'qstat').at(-1)?.argv, ['-u', user, '-w']);
    // Once it has ended, it leaves the list (only MLWF's own jobs are remembered past their end).
    for (let i = 0; i < 40; i++) {
      const { rows } = await pollJobs(scheduler, [], user, undefined, () => undefined);
      if (!rows.some((r) => r.status.id === id)) return;
      await sleep(300);
    }
    assert.fail('the ended job is still listed');
  });

  nodeIt('a job submitted by hand that ended today is listed from the history (qstat -x -u USER -w, then qstat -f -F json -x once for its exit status), asked once per refresh', async () => {
    const own = path.join(work, 'by-hand-quick.sh');
    writeFileSync(own, 'exit 3\n');
    const user = process.env.USER || 'user';
    const q = spawnSync('qsub', ['-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=0:30:00', '-N', 'my-quick-job', own], { env, encoding: 'utf8', cwd: work });
    assert.equal(q.status, 0, q.stderr);
    const id = q.stdout.trim();
    const scheduler = createScheduler('pbs', execRunner(env));
    const cache = new EndedJobsCache();
    const calls = () => readFileSync(path.join(state, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; argv: string[] }).filter((c) => c.tool === 'qstat');
    let row: JobRow | undefined;
    for (let i = 0; i < 60 && !row; i++) {
      const { rows } = await pollJobs(scheduler, [], user, undefined, () => undefined, undefined, { cache, requested: true });
      row = rows.find((r) => r.status.id === id && r.status.phase !== 'queued' && r.status.phase !== 'running');
      if (!row) await sleep(300);
    }
    assert.ok(row, `job ${id} listed once it ended`);
    assert.equal(row.record, undefined);
    assert.equal(row.status.name, 'my-quick-job');
    assert.equal(row.status.phase, 'failed');
    assert.equal(row.status.exitStatus, 3);
    assert.ok(row.status.ended && row.status.ended.getTime() >= startOfDay().getTime(), 'ended today');
    const before = calls().length;
    assert.ok(calls().some((c) => c.argv.join(' ') === `-x -u ${user} -w`), 'the history asked for in the alternate display');
    // A timer poll: the active list only. A refresh: the history again, but the ended job is not described again.
    await pollJobs(scheduler, [], user, undefined, () => undefined, undefined, { cache, requested: false });
    assert.deepEqual(calls().slice(before).map((c) => c.argv), [['-u', user, '-w']]);
    const again = await pollJobs(scheduler, [], user, undefined, () => undefined, undefined, { cache, requested: true });
    assert.deepEqual(calls().slice(before + 1).map((c) => c.argv), [['-u', user, '-w'], ['-x', '-u', user, '-w']]);
    assert.equal(again.rows.find((r) => r.status.id === id)?.status.exitStatus, 3);
    assert.equal(calls().filter((c) => c.argv[0] === '-f' && c.argv.includes(id)).length, 1, 'an ended job is described in full once');
  });

  nodeIt('parses the documented alternate display: truncation-free -w columns, "--" for unknown values', () => {
    const text = [
      '',
      'pbs1: ',
      "                                                                                                   Req'd  Req'd   Elap",
      'Job ID                         Username        Queue           Jobname         SessID   NDS  TSK   Memory Time  S Time',
      '------------------------------ --------------- --------------- --------------- -------- ---- ----- ------ ----- - -----',
      '1234.pbs1                      aaa10000aa      rt_HF           mlwf-train      3456789     1    96    --  01:00 R 00:12',
      '1235.pbs1                      aaa10000aa      rt_HG           prep                 --     1    24    --  168:00 Q   -- ',
      '',
    ].join('\n');
    const jobs = parsePbsQstatUser(text);
    assert.deepEqual(jobs.map((j) => [j.id, j.owner, j.queue, j.name, j.phase, j.walltimeSeconds, j.elapsedSeconds]), [
      ['1234.pbs1', 'aaa10000aa', 'rt_HF', 'mlwf-train', 'running', 3600, 720],
      ['1235.pbs1', 'aaa10000aa', 'rt_HG', 'prep', 'queued', 168 * 3600, undefined],
    ]);
    assert.deepEqual(jobs.map((j) => j.requested), [{ nodes: 1, tasks: 96, memory: undefined }, { nodes: 1, tasks: 24, memory: undefined }], 'NDS and TSK; "--" is no memory request');
    assert.deepEqual(parsePbsQstatUser(''), [], 'no jobs: qstat prints nothing');
  });
});
