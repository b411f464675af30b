// What a Jobs view row says, exactly: at the side bar's default width a row shows its label and
// the start of its description, so the state (with a failed job's exit code) and the time used
// come first and the job id last; the tooltip keeps everything. Also the user's other PBS jobs
// as `qstat -u USER -w` lists them, the Japanese words, and that the test helper the in-host and
// UI suites match rows with (test/e2e/jobRows.ts) agrees with the rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import type { JobRecord } from '../../src/core/scheduler/jobRecord';
import { imageFolderShortName, jobDescription, jobLabel, jobTooltipLines } from '../../src/core/scheduler/jobRowText';
import type { JobStatus } from '../../src/core/scheduler/jobStatus';
import type { JobRow } from '../../src/core/scheduler/jobWatcher';
import { parsePbsQstatUser } from '../../src/core/scheduler/pbsParse';
import { containerJobLabel, jobDescriptionRe, jobRowRe } from '../e2e/jobRows';

const root = path.resolve(__dirname, '../..');

const record = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: '4242', kind: 'training', scheduler: 'sge', profile: 'gridengine', name: 'mlwf-train', folder: '/home/u/mlwf-jobs/20261204-101500-train', scriptPath: '/home/u/project/train.py', workdir: '/home/u/project',
  trackingUri: 'http://mlflow.example/mlflow/', experimentId: '7', experimentName: 'wine', runId: 'a'.repeat(32), submittedAt: 0, resource: '', walltime: '0:10:00', group: '',
  outputFile: '/home/u/mlwf-jobs/20261204-101500-train/output.log', statusFile: '/home/u/mlwf-jobs/20261204-101500-train/exit-status', ...over,
});
const status = (over: Partial<JobStatus> = {}): JobStatus => ({ id: '4242', name: 'mlwf-train', phase: 'running', rawState: 'r', queue: 'all.q@node7', elapsedSeconds: 65, walltimeSeconds: 600, ...over });
const row = (s: Partial<JobStatus>, r?: Partial<JobRecord> | null): JobRow => ({ status: status(s), record: r === null ? undefined : record(r) });

describe('Jobs view rows', () => {
  it('a training job: the script, then state · time used / wall time · where · #id', () => {
    const running = row({});
    assert.equal(jobLabel(running), 'train.py');
    assert.equal(jobDescription(running), 'running · 0:01:05 / 0:10:00 · all.q@node7 · #4242');
    assert.equal(jobDescription(row({ phase: 'queued', rawState: 'qw', queue: undefined, elapsedSeconds: undefined })), 'queued · – / 0:10:00 · #4242');
    // The resource the user chose (ABCI's resource type) stands for where it runs.
    assert.equal(jobDescription(row({ queue: 'gpu@g0001' }, { resource: 'rt_G.small' })), 'running · 0:01:05 / 0:10:00 · rt_G.small · #4242');
  });

  it('the exit code only where it says more than the state: a failed job\'s, not a finished (0) or cancelled (the signal) one\'s', () => {
    assert.equal(jobDescription(row({ phase: 'failed', rawState: 'exit 127', exitStatus: 127, elapsedSeconds: 3 })), 'failed · exit 127 · 0:00:03 / 0:10:00 · all.q@node7 · #4242');
    assert.equal(jobDescription(row({ phase: 'finished', rawState: 'exit 0', exitStatus: 0 })), 'finished · 0:01:05 / 0:10:00 · all.q@node7 · #4242');
    assert.equal(jobDescription(row({ phase: 'cancelled', rawState: 'F', exitStatus: 271 })), 'cancelled · 0:01:05 / 0:10:00 · all.q@node7 · #4242');
    assert.ok(jobTooltipLines(row({ phase: 'finished', rawState: 'exit 0', exitStatus: 0 })).includes('Exit status: 0'));
    assert.ok(jobTooltipLines(row({ phase: 'cancelled', rawState: 'F', exitStatus: 271 })).includes('Exit status: 271'));
  });

  it('the tooltip keeps everything the row leaves out', () => {
    const started = new Date(2026, 11, 4, 10, 15, 30);
    const lines = jobTooltipLines(row({ started, submitted: started }, { resource: 'rt_HF' }));
    assert.deepEqual(lines, [
      'Job 4242 — running (r)',
      'Name: mlwf-train',
      'Script: /home/u/project/train.py',
      'Experiment: wine',
      `Run: ${'a'.repeat(32)}`,
      'Folder: /home/u/mlwf-jobs/20261204-101500-train',
      'Resource: rt_HF',
      'Queue: all.q@node7',
      'Elapsed: 0:01:05',
      'Wall time: 0:10:00',
      `Submitted: ${started.toLocaleString()}`,
      `Started: ${started.toLocaleString()}`,
    ]);
  });

  it('container jobs: "Build MM-DD hh:mm" / "Serve …" from the MLWFCreateImage_ folder\'s timestamp; the tooltip names the folder and its log', () => {
    const folder = '/home/u/out/MLWFCreateImage_20261204183000';
    const build = row({ name: 'mlwf-build', phase: 'failed', exitStatus: 127, rawState: 'exit 127' }, { kind: 'build', runId: '', workdir: folder, scriptPath: `${folder}/build.sh`, outputFile: `${folder}/build.log` });
    assert.equal(jobLabel(build), 'Build 12-04 18:30');
    assert.equal(jobLabel(row({}, { kind: 'serve', runId: '', workdir: `${folder}_2` })), 'Serve 12-04 18:30_2', 'a second folder of the same second');
    assert.equal(jobLabel(row({}, { kind: 'build', runId: '', workdir: '/home/u/out/my-image' })), 'Build my-image', 'a folder renamed by hand keeps its name');
    assert.equal(imageFolderShortName('/o/MLWFCreateImage_'), 'MLWFCreateImage_');
    assert.equal(imageFolderShortName('/o/MLWFCreateImage_x'), 'MLWFCreateImage_x', 'not a timestamp: the name as it is');
    assert.ok(jobTooltipLines(build).includes(`Folder: ${folder}`));
    assert.ok(jobTooltipLines(build).includes(`Output: ${folder}/build.log`));
  });

  it('the user\'s other PBS jobs show what qstat -u USER -w lists: name, state, time used / wall time, queue (×nodes), resources in the tooltip', () => {
    const text = [
      'Job ID                         Username        Queue           Jobname         SessID   NDS  TSK   Memory Time  S Time',
      '------------------------------ --------------- --------------- --------------- -------- ---- ----- ------ ----- - -----',
      '1235.pbs1                      aaa10000aa      rt_HG           prep                 --     1    24    --  168:00 Q   -- ',
      '1236.pbs1                      aaa10000aa      rt_HF           ddp-train       3456790     2   192  64gb  01:00 R 00:12',
    ].join('\n');
    const [queued, wide] = parsePbsQstatUser(text).map((s): JobRow => ({ status: s }));
    assert.equal(jobLabel(queued!), 'prep');
    assert.equal(jobDescription(queued!), 'queued · – / 168:00:00 · rt_HG · #1235.pbs1');
    assert.equal(jobLabel(wide!), 'ddp-train');
    assert.equal(jobDescription(wide!), 'running · 0:12:00 / 1:00:00 · rt_HF ×2 · #1236.pbs1');
    assert.deepEqual(jobTooltipLines(wide!), ['Job 1236.pbs1 — running (R)', 'Name: ddp-train', 'Queue: rt_HF', 'Nodes: 2', 'CPUs: 192', 'Memory: 64gb', 'Elapsed: 0:12:00', 'Wall time: 1:00:00']);
    assert.ok(!jobTooltipLines(queued!).some((l) => l.startsWith('Memory')), '"--" is no memory request');
  });

  it('in Japanese, from the bundle the extension host hands over', () => {
    const contents = JSON.parse(readFileSync(path.join(root, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
    l10n.config({ contents });
    try {
      assert.equal(jobDescription(row({})), '実行中 · 0:01:05 / 0:10:00 · all.q@node7 · #4242');
      assert.equal(jobDescription(row({ phase: 'failed', exitStatus: 127, rawState: 'exit 127' })), '失敗 · 終了コード 127 · 0:01:05 / 0:10:00 · all.q@node7 · #4242');
      assert.equal(jobLabel(row({}, { kind: 'build', runId: '', workdir: '/o/MLWFCreateImage_20261204183000' })), '12-04 18:30 をビルド');
      assert.equal(jobTooltipLines(row({}))[0], 'ジョブ 4242 — 実行中 (r)');
      assert.ok(jobDescriptionRe({ state: '失敗', exit: '127', id: '4242' }).test(jobDescription(row({ phase: 'failed', exitStatus: 127 }))));
    } finally {
      l10n.config({ contents: {} });
    }
  });

  it('the rows match the test helper of the in-host and UI suites, and only when they should', () => {
    const running = row({});
    assert.ok(jobDescriptionRe({ state: 'running', id: '4242' }).test(jobDescription(running)));
    assert.ok(jobDescriptionRe({ state: 'running', time: '0:\\d\\d:\\d\\d / 0:10:00', resource: 'all\\.q@\\S+', id: '4242', exact: true }).test(jobDescription(running)));
    assert.ok(!jobDescriptionRe({ state: 'running', id: '424' }).test(jobDescription(running)), 'another id');
    assert.ok(!jobDescriptionRe({ state: 'queued', id: '4242' }).test(jobDescription(running)), 'another state');
    assert.ok(!jobDescriptionRe({ state: 'running', time: '0:\\d\\d:\\d\\d / 0:10:00', id: '4242', exact: true }).test(jobDescription(running)), 'exact: no part left out');
    assert.ok(jobDescriptionRe({ state: 'failed', exit: '127' }).test(jobDescription(row({ phase: 'failed', exitStatus: 127 }))));
    assert.ok(jobRowRe('train.py', { state: 'queued', time: '– / 0:10:00', id: '4242', exact: true }).test(`train.py${jobDescription(row({ phase: 'queued', queue: undefined, elapsedSeconds: undefined }))}`));
    const folder = '/home/u/out/MLWFCreateImage_20261204183000';
    assert.equal(containerJobLabel('build', folder), jobLabel(row({}, { kind: 'build', runId: '', workdir: folder })));
    assert.equal(containerJobLabel('serve', folder), jobLabel(row({}, { kind: 'serve', runId: '', workdir: folder })));
  });
});
