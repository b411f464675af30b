// The Jobs view's jobs that ended: the user's other jobs that ended today (Grid Engine's
// `qacct -j '*' -o USER -E -b MIDNIGHT`, recorded from the real cell), asked for at most once per
// refresh and kept, and a job cancelled before its accounting exists keeping the host and start
// time seen while it ran. Scheduler commands are answered by a recording fake runner.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandResult, CommandRunner } from '../../src/core/scheduler/commandRunner';
import { EndedJobsCache, startOfDay } from '../../src/core/scheduler/endedJobs';
import { readRecord, writeRecord, type JobRecord } from '../../src/core/scheduler/jobRecord';
import type { JobStatus } from '../../src/core/scheduler/jobStatus';
import { pollJobs } from '../../src/core/scheduler/jobWatcher';
import { createScheduler, qacctTime } from '../../src/core/scheduler/scheduler';
import { parseSgeQacctAll } from '../../src/core/scheduler/sgeParse';

const FIX = path.resolve(__dirname, '..', 'fixtures', 'scheduler');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const tmp = mkdtempSync(path.join(tmpdir(), 'mlwf-jobs-ended-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The recorded qacct answer with its dates moved to today (same times), as a cell would print them today. */
function qacctToday(): string {
  const day = new Date().toString().replace(/^(\w+) (\w+) (\d+) (\d+).*$/, (_m, w: string, mo: string, d: string, y: string) => `${w} ${mo} ${d.replace(/^0/, ' ').padStart(2, ' ')} TIME ${y}`);
  return read('sge-qacct-today.txt').replace(/\w{3} \w{3} [ \d]\d (\d\d:\d\d:\d\d) \d{4}/g, (_m, t: string) => day.replace('TIME', t));
}

const EMPTY_QSTAT = read('sge-qstat-empty.xml');

/** A fake Grid Engine: qstat answers `qstat()`, qacct -j '*' answers `history()`, every call recorded. */
function fakeCell(answers: { qstat: () => string; history?: () => CommandResult; qacctJob?: () => CommandResult }) {
  const calls: string[][] = [];
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args]);
    if (command === 'qstat') return { code: 0, stdout: answers.qstat(), stderr: '' };
    if (command === 'qacct' && args[1] === '*') return answers.history?.() ?? { code: 1, stdout: '', stderr: 'error: job name * not found\n' };
    if (command === 'qacct') return answers.qacctJob?.() ?? { code: 1, stdout: '', stderr: `error: job id ${args[1]} not found\n` };
    return { code: 2, stdout: '', stderr: `unexpected ${command}` };
  };
  return { calls, scheduler: createScheduler('sge', run) };
}

function recordFor(id: string, extra: Partial<JobRecord> = {}): JobRecord {
  const folder = mkdtempSync(path.join(tmp, 'job-'));
  const record: JobRecord = {
    id, scheduler: 'sge', profile: 'gridengine', name: 'mlwf-train', folder, scriptPath: path.join(tmp, 'train.py'), workdir: tmp, trackingUri: 'http://mlflow.invalid', experimentId: '1', experimentName: 'e', runId: '',
    submittedAt: Date.now(), resource: '', walltime: '0:10:00', group: '', outputFile: path.join(folder, 'output.log'), statusFile: path.join(folder, 'exit-status'), ...extra,
  };
  writeRecord(record);
  return record;
}

describe('qacct listing of the jobs that ended (recorded from the real cell)', () => {
  it('reads every record: exit 0 finished, exit 4 failed, a qdel cancelled; the host is part of the queue', () => {
    const jobs = parseSgeQacctAll(read('sge-qacct-today.txt'));
    assert.deepEqual(jobs.slice(0, 3).map((j) => [j.id, j.name, j.phase, j.exitStatus, j.queue, j.elapsedSeconds]), [
      ['2', 'probe-fail', 'failed', 4, 'all.q@vm', 0],
      ['1', 'probe-ok', 'finished', 0, 'all.q@vm', 2],
      ['3', 'probe-kill', 'cancelled', 137, 'all.q@vm', 7],
    ]);
    assert.equal(jobs.length, 5);
    assert.equal(jobs[2]!.ended?.getTime(), new Date('2026-12-04T01:10:13').getTime());
    assert.deepEqual(parseSgeQacctAll('error: job name * not found\n'), []);
  });

  it("asks qacct for the user's jobs that ended since local midnight (-E: by end time)", async () => {
    const { calls, scheduler } = fakeCell({ qstat: () => EMPTY_QSTAT, history: () => ({ code: 0, stdout: qacctToday(), stderr: '' }) });
    const midnight = startOfDay(new Date(2026, 11, 4, 15, 30));
    assert.equal(qacctTime(midnight), '202612040000.00');
    const jobs = await scheduler.endedJobs('alice', midnight, new Map());
    assert.deepEqual(calls, [['qacct', '-j', '*', '-o', 'alice', '-E', '-b', '202612040000.00']]);
    assert.equal(jobs.length, 5);
    // No accounting file yet, or no job of the user: nothing ended, not an error.
    const none = fakeCell({ qstat: () => EMPTY_QSTAT, history: () => ({ code: 1, stdout: '', stderr: 'accounting: No such file or directory\n' }) });
    assert.deepEqual(await none.scheduler.endedJobs('alice', midnight, new Map()), []);
  });
});

describe('the ended jobs in a poll: once per refresh, kept, not on every timer poll', () => {
  it("lists the user's other jobs that ended today next to the queued ones, leaving out MLWF's own", async () => {
    const cell = fakeCell({ qstat: () => EMPTY_QSTAT, history: () => ({ code: 0, stdout: qacctToday(), stderr: '' }), qacctJob: () => ({ code: 0, stdout: qacctToday().split(/^(?==+$)/m).filter((b) => /jobnumber\s+1\s/.test(b)).join(''), stderr: '' }) });
    const cache = new EndedJobsCache();
    // Job 1 is one of MLWF's: it is its record's row, not an "other" job.
    const ours = recordFor('1', { final: undefined });
    const first = await pollJobs(cell.scheduler, [ours], 'alice', undefined, () => undefined, undefined, { cache, requested: true });
    assert.deepEqual(first.rows.filter((r) => !r.record).map((r) => [r.status.id, r.status.phase]).sort(), [['2', 'failed'], ['3', 'cancelled'], ['4', 'failed'], ['5', 'failed']]);
    assert.equal(first.rows.filter((r) => r.status.id === '1').length, 1);
    assert.equal(first.active, false, 'ended jobs keep nothing polling');
    assert.equal(cell.calls.filter((c) => c[0] === 'qacct' && c[2] === '*').length, 1);

    // The view's timer with nothing newly ended: qstat only, the ended jobs from the cache.
    const timer = await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: false });
    assert.equal(cell.calls.filter((c) => c[0] === 'qacct' && c[2] === '*').length, 1, 'not asked again on a timer poll');
    assert.ok(timer.rows.some((r) => r.status.id === '3' && r.status.phase === 'cancelled'));
    // Refresh (asked for): asked again, once.
    await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: true });
    assert.equal(cell.calls.filter((c) => c[0] === 'qacct' && c[2] === '*').length, 2);
  });

  it('a timer poll asks again when one of the user\'s jobs has left the queue, until the accounting has it (at most three times)', async () => {
    let listed = read('sge-qstat.xml');
    let history = '';
    const cell = fakeCell({ qstat: () => listed, history: () => ({ code: history ? 0 : 1, stdout: history, stderr: '' }) });
    const asked = () => cell.calls.filter((c) => c[0] === 'qacct' && c[2] === '*').length;
    const cache = new EndedJobsCache();
    await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: true });
    assert.equal(asked(), 1);
    await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: false });
    assert.equal(asked(), 1, 'nothing left the queue');
    listed = EMPTY_QSTAT; // 41, 42, 43 are gone; the accounting lags
    for (let i = 0; i < 5; i++) await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: false });
    assert.equal(asked(), 4, 'asked on the poll that saw them go and twice more, then left to the next refresh');
    history = qacctToday().replace(/jobnumber\s+1\s/, 'jobnumber    41 ');
    const later = await pollJobs(cell.scheduler, [], 'alice', undefined, () => undefined, undefined, { cache, requested: true });
    assert.ok(later.rows.some((r) => r.status.id === '41' && r.status.phase === 'finished'));
  });

  it('keeps only the jobs that ended today, and forgets them the next day', () => {
    const cache = new EndedJobsCache();
    const job = (id: string, ended: Date): JobStatus => ({ id, name: id, phase: 'finished', rawState: 'exit 0', ended });
    const day = new Date(2026, 11, 4, 12, 0);
    assert.equal(cache.shouldAsk([], false, day), true, 'the first poll of a day asks');
    cache.store([job('a', new Date(2026, 11, 4, 9)), job('b', new Date(2026, 11, 3, 23))]);
    assert.deepEqual(cache.endedSince(startOfDay(day), new Set()).map((j) => j.id), ['a']);
    assert.equal(cache.shouldAsk([], false, new Date(2026, 11, 4, 13)), false);
    assert.equal(cache.shouldAsk([], false, new Date(2026, 11, 5, 0, 1)), true, 'a new day asks again');
    assert.equal(cache.known.size, 0);
  });
});

describe('a job cancelled before its accounting exists keeps where and how long it ran', () => {
  it('the host and start time seen while it ran are kept in job.json; the cancelled row has them and the elapsed time', async () => {
    let listed = read('sge-qstat.xml'); // job 41 runs on all.q@vm since 14:13:30
    const cell = fakeCell({ qstat: () => listed });
    const record = recordFor('41');
    const running = await pollJobs(cell.scheduler, [record], 'alice', undefined, () => undefined);
    assert.equal(running.rows[0]!.status.phase, 'running');
    const saved = readRecord(record.folder)!;
    assert.deepEqual(saved.seen, { queue: 'all.q@vm', started: new Date('2026-12-03T14:13:30').toISOString() });
    // Cancelled 95 s after it started, killed before it could write its exit status; qacct has nothing yet.
    writeRecord({ ...saved, cancelled: true, cancelledAt: new Date('2026-12-03T14:15:05').getTime() });
    listed = EMPTY_QSTAT;
    const ended = await pollJobs(cell.scheduler, [readRecord(record.folder)!], 'alice', undefined, () => undefined);
    const status = ended.rows[0]!.status;
    assert.equal(status.phase, 'cancelled');
    assert.equal(status.queue, 'all.q@vm');
    assert.equal(status.elapsedSeconds, 95);
    assert.equal(readRecord(record.folder)!.final?.queue, 'all.q@vm', 'the final state keeps them');
  });
});
