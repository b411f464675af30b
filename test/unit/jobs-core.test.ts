// The scheduler core without a scheduler: qstat -xml / qacct / qstat -f -F json as the real tools
// print them (fixtures recorded from the real Grid Engine cell; PBS from its documented format),
// the qsub argv per site profile, and job.sh run for real by bash with hostile values (quotes,
// $(), newlines in the script path, the experiment name and the setup lines) that must stay inert.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildJobScript } from '../../src/core/scheduler/jobScript';
import { createScheduler } from '../../src/core/scheduler/scheduler';
import { parsePbsQstatJson, parsePbsQsub, queueAtHost } from '../../src/core/scheduler/pbsParse';
import { formatDuration, JOB_PROFILE_TABLE, jobSettingsProblem, parseDuration } from '../../src/core/scheduler/profiles';
import { removeStaleSecrets, writeSecretFile } from '../../src/core/scheduler/secretFile';
import { parseSgeQacct, parseSgeQstatXml, parseSgeQsub } from '../../src/core/scheduler/sgeParse';
import { jobNameFor, qsubArgs } from '../../src/core/scheduler/submitArgs';
import { schedulerEnvironment } from '../../src/core/scheduler/commandRunner';

const FIX = path.resolve(__dirname, '..', 'fixtures', 'scheduler');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const tmp = mkdtempSync(path.join(tmpdir(), 'mlwf-jobcore-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('Grid Engine output', () => {
  it('qstat -xml: running jobs from queue_info, pending ones from job_info, entities decoded', () => {
    const jobs = parseSgeQstatXml(read('sge-qstat.xml'), new Date('2026-12-03T14:15:00'));
    assert.deepEqual(jobs.map((j) => [j.id, j.phase, j.rawState]), [['41', 'running', 'r'], ['42', 'queued', 'qw'], ['43', 'failed', 'Eqw']]);
    assert.equal(jobs[0].queue, 'all.q@vm');
    assert.equal(jobs[0].elapsedSeconds, 90);
    assert.deepEqual(jobs[0].requested, { slots: 1 });
    assert.equal(jobs[1].name, "it's <$(x)> & co");
    assert.equal(jobs[1].submitted?.getTime(), new Date('2026-12-03T14:20:00').getTime());
    assert.deepEqual(parseSgeQstatXml(read('sge-qstat-empty.xml')), []);
  });

  it('qacct -j: exit status, times and wall clock; a qdel is a cancellation, not a failure', () => {
    const done = parseSgeQacct(read('sge-qacct-exit3.txt'))!;
    assert.equal(done.phase, 'failed');
    assert.equal(done.exitStatus, 3);
    assert.equal(done.elapsedSeconds, 20);
    assert.equal(done.started?.getTime(), new Date('2026-12-03T14:13:30').getTime());
    const killed = parseSgeQacct(read('sge-qacct-qdel.txt'))!;
    assert.equal(killed.phase, 'cancelled');
    assert.equal(killed.exitStatus, 137);
    assert.equal(parseSgeQacct('error: job id 99 not found\n'), undefined);
  });

  it('qsub -terse answers the id (array jobs too)', () => {
    assert.equal(parseSgeQsub('17\n'), '17');
    assert.equal(parseSgeQsub('18.1-10:1\n'), '18');
    assert.equal(parseSgeQsub('Unable to run job: denied\n'), undefined);
  });
});

describe('PBS Professional output', () => {
  it('qstat -f -F json -x: states, wall time used and requested, exit status; qdel (271) is a cancellation', () => {
    const jobs = parsePbsQstatJson(read('pbs-qstat-fx.json'));
    assert.deepEqual(jobs.map((j) => [j.id, j.phase, j.exitStatus]), [['1001.pbs1', 'running', undefined], ['1002.pbs1', 'queued', undefined], ['1003.pbs1', 'finished', 0], ['1004.pbs1', 'cancelled', 271], ['1005.pbs1', 'failed', 2]]);
    assert.equal(jobs[0].elapsedSeconds, 102);
    assert.equal(jobs[0].walltimeSeconds, 3600);
    assert.equal(jobs[0].owner, 'alice');
    assert.deepEqual(jobs[0].requested, { nodes: 1, tasks: 96, memory: undefined }, 'Resource_List: nodect, ncpus');
    assert.equal(jobs[0].queue, 'rt_HF@hnode001', 'a running job shows the node it runs on, as queue@host');
    assert.equal(jobs[1].queue, 'rt_HG', 'a queued job has no host yet');
    assert.equal(queueAtHost('rt_HF', 'hnode001/0*96+hnode002/0*96+hnode001/1*8'), 'rt_HF@hnode001+1');
    assert.equal(jobs[2].ended?.getTime(), new Date('Thu Dec 3 09:10:10 2026').getTime());
  });

  it('a refused qsub is one sentence: qsub, its exit status and its own words (not "qsub -P failed")', async () => {
    const refuse = async () => ({ code: 2, stdout: '', stderr: 'qsub: Unknown queue\n' });
    await assert.rejects(createScheduler('pbs', refuse).submit('/w', ['-P', 'gaa50000', '-q', 'rt_XX', 'job.sh'], '/w/o'), { message: 'qsub failed (exit 2): qsub: Unknown queue' });
    await assert.rejects(createScheduler('sge', refuse).submit('/w', ['-terse', '-l', 'h_rt=0:10:00', 'job.sh'], '/w/o'), { message: 'qsub failed (exit 2): qsub: Unknown queue' });
  });

  it('qsub answers "1234.server"', () => {
    assert.equal(parsePbsQsub('1234.pbs1\n'), '1234.pbs1');
    assert.equal(parsePbsQsub('qsub: Unknown queue\n'), undefined);
  });
});

describe('qsub command lines', () => {
  const job = { group: 'gaa50000', resource: 'rt_HF', walltime: '2:00:00' };
  it('ABCI 3.0 (PBS): -P group, -q resource type, select and walltime, output kept where it is written', () => {
    assert.deepEqual(qsubArgs(JOB_PROFILE_TABLE.abci3, job, 'mlwf-train', '/w/out.log'), ['-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=2:00:00', '-N', 'mlwf-train', '-j', 'oe', '-k', 'oed', '-o', '/w/out.log', 'job.sh']);
  });
  it('ABCI 2.0 (Grid Engine): -g group, -l rt_X=1, h_rt', () => {
    assert.deepEqual(qsubArgs(JOB_PROFILE_TABLE.abci2, { ...job, resource: 'rt_C.small' }, 'mlwf-train', '/w/o'), ['-terse', '-g', 'gaa50000', '-l', 'rt_C.small=1', '-l', 'h_rt=2:00:00', '-N', 'mlwf-train', '-cwd', '-j', 'y', '-o', '/w/o', '-S', '/bin/bash', 'job.sh']);
  });
  it('plain Grid Engine: no group; the resource is a queue', () => {
    assert.deepEqual(qsubArgs(JOB_PROFILE_TABLE.gridengine, { group: '', resource: '', walltime: '0:10:00' }, 'n', '/o').slice(0, 4), ['-terse', '-l', 'h_rt=0:10:00', '-N']);
    assert.deepEqual(qsubArgs(JOB_PROFILE_TABLE.gridengine, { group: '', resource: 'gpu.q', walltime: '0:10:00' }, 'n', '/o').slice(0, 3), ['-terse', '-q', 'gpu.q']);
  });
  it('job names are safe words; settings with shell characters are refused before qsub', () => {
    assert.equal(jobNameFor("/x/it's $(rm -rf ~).py"), 'mlwf-it_s_rm_-r');
    assert.match(jobNameFor('/x/train.py'), /^mlwf-train$/);
    assert.ok(jobSettingsProblem(JOB_PROFILE_TABLE.abci3, { ...job, group: 'g;rm -rf ~' }));
    assert.ok(jobSettingsProblem(JOB_PROFILE_TABLE.abci2, { ...job, resource: 'rt_F\n#$ -V' }));
    assert.ok(jobSettingsProblem(JOB_PROFILE_TABLE.gridengine, { ...job, walltime: '1h' }));
    assert.equal(jobSettingsProblem(JOB_PROFILE_TABLE.gridengine, { group: '', resource: '', walltime: '0:10:00' }), undefined);
  });
  it('durations', () => {
    assert.equal(parseDuration('01:02:03'), 3723);
    assert.equal(parseDuration('x'), undefined);
    assert.equal(formatDuration(3723), '1:02:03');
  });
  it('the scheduler commands never inherit the MLflow password or token', () => {
    const env = schedulerEnvironment({ PATH: '/bin', MLFLOW_TRACKING_PASSWORD: 's3cret', MLFLOW_TRACKING_TOKEN: 't', MLFLOW_TRACKING_USERNAME: 'alice' });
    assert.deepEqual(env, { PATH: '/bin', MLFLOW_TRACKING_USERNAME: 'alice' });
  });
});

describe('job.sh with hostile values, run by bash', () => {
  const HOSTILE = `it's "$(touch PWNED)" \`touch PWNED2\`\nnext line; touch PWNED3`;
  const PASSWORD = `pa'ss"$(touch PWNED4)\nword`;

  function scriptFor(dir: string, extra: Partial<Parameters<typeof buildJobScript>[0]> = {}) {
    const scriptPath = path.join(dir, `${HOSTILE}.sh`);
    writeFileSync(scriptPath, 'echo "user script ran with run $MLFLOW_RUN_ID in $PWD"\necho "password length ${#MLFLOW_TRACKING_PASSWORD}"\nexit "${EXIT_WITH:-0}"\n');
    const passwordFile = writeSecretFile(path.join(dir, 'secrets'), PASSWORD);
    return {
      passwordFile,
      text: buildJobScript({
        profile: JOB_PROFILE_TABLE.gridengine,
        scriptPath,
        workdir: dir,
        interpreter: 'bash',
        python: '/nonexistent/python',
        setupLines: [`export EXIT_WITH=0 # ${HOSTILE}`],
        trackingUri: `http://h/mlflow/?x='$(touch PWNED5)`,
        username: HOSTILE,
        experimentId: '7',
        experimentName: HOSTILE,
        runId: 'r1',
        passwordFile,
        statusFile: path.join(dir, 'exit-status'),
        submitCommand: `qsub ${HOSTILE}`,
        ...extra,
      }),
    };
  }

  it('runs the user script with the MLflow environment; nothing hostile runs; the password is only in the job\'s memory and its file is removed', () => {
    const dir = path.join(tmp, `work ${HOSTILE}`);
    mkdirSync(dir, { recursive: true });
    const { text, passwordFile } = scriptFor(dir);
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(passwordFile)).mode & 0o777, 0o700);
    assert.equal(text.includes(PASSWORD), false, 'no password in job.sh');
    assert.equal(text.split('\n').filter((l) => l.startsWith('#')).every((l) => !l.includes('\n')), true);
    writeFileSync(path.join(dir, 'job.sh'), text);
    const r = spawnSync('bash', ['job.sh'], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /user script ran with run r1 in /);
    assert.match(r.stdout, new RegExp(`password length ${PASSWORD.length}`));
    for (const n of ['PWNED', 'PWNED2', 'PWNED3', 'PWNED4', 'PWNED5']) assert.equal(existsSync(path.join(dir, n)) || existsSync(path.join(tmp, n)), false, `${n} never created`);
    assert.equal(existsSync(passwordFile), false, 'password file removed when the job ends');
    assert.equal(readFileSync(path.join(dir, 'exit-status'), 'utf8').trim(), '0');
    const ok = spawnSync('bash', ['-n', 'job.sh'], { cwd: dir });
    assert.equal(ok.status, 0);
  });

  it('a failing script: its exit status is the job\'s, written for MLWF; a TERM (qdel) ends it with 143', () => {
    const dir = mkdtempSync(path.join(tmp, 'fail-'));
    const { text } = scriptFor(dir, { setupLines: ['export EXIT_WITH=5'] });
    writeFileSync(path.join(dir, 'job.sh'), text);
    const r = spawnSync('bash', ['job.sh'], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(r.status, 5);
    assert.equal(readFileSync(path.join(dir, 'exit-status'), 'utf8').trim(), '5');
    const longDir = mkdtempSync(path.join(tmp, 'term-'));
    const long = scriptFor(longDir, { setupLines: ['sleep 30 & wait'] });
    writeFileSync(path.join(longDir, 'job.sh'), long.text);
    const t = spawnSync('bash', ['-c', 'bash job.sh & pid=$!; sleep 0.5; kill -TERM $pid; wait $pid'], { cwd: longDir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(t.status, 143);
    assert.equal(readFileSync(path.join(longDir, 'exit-status'), 'utf8').trim(), '143');
    assert.equal(existsSync(long.passwordFile), false);
  });

  it('stale password files (jobs killed too hard to clean up) are removed after a day', () => {
    const dir = path.join(tmp, 'stale');
    const f = writeSecretFile(dir, 'x');
    assert.equal(removeStaleSecrets(dir, 24 * 3600_000), 0);
    assert.equal(removeStaleSecrets(dir, 24 * 3600_000, Date.now() + 25 * 3600_000), 1);
    assert.equal(existsSync(f), false);
  });
});
