// The Jobs view for real in a VS Code extension host (code-server): "Run on a Compute Node…"
// submits a training script to the REAL Grid Engine cell (scripts/gridengine.sh) with the
// connection to the REAL MLflow 2.14.3 server (behind nginx, Basic auth); the view shows the job
// queued → running → finished with its description, Show Job Output follows its lines while it runs,
// Cancel ends another one and its run is KILLED, and once nothing is active the view stops asking
// the scheduler. Skips with one line when npm test started no real servers or no cell.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import { jobPickItem, type JobItem } from '../../src/features/jobs/jobsTreeProvider';
import { migrateJobsSiteProfile, readJobsConfig } from '../../src/features/jobs/jobSettings';
import { api, labelOf, setSetting, tooltipTextOf, waitFor, gridEngineSkipReason } from './inHost';
import { containerJobLabel, jobDescriptionRe } from '../e2e/jobRows';
import { realServersInHost, type RealServer } from './realServers';

function skipReason(): string | undefined {
  const cell = gridEngineSkipReason();
  if (cell) return cell;
  const servers = realServersInHost();
  return Array.isArray(servers) ? undefined : servers.skipped;
}

describe('Jobs: Run on a Compute Node and the Jobs view (real Grid Engine cell, real MLflow 2.14.3)', function () {
  this.timeout(180_000);
  let a: MlwfExtensionApi;
  let server: RealServer;
  let work: string;
  let script: vscode.Uri;
  // The view's own items (this bundle has its own copy of the JobItem class: no instanceof).
  const items = () => (a.jobs.provider.getChildren() as vscode.TreeItem[]).filter((i): i is JobItem => String(i.contextValue).startsWith('mlwf.job.'));
  const itemOf = (id: string) => items().find((i) => i.row.status.id === id);

  before(async function () {
    const why = skipReason();
    if (why) {
      console.log(`SKIP Jobs in-host suite: ${why}`);
      this.skip();
    }
    server = (realServersInHost() as RealServer[]).find((s) => s.kit === '2.14.3')!;
    a = await api();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwf-jobs-host-'));
    fs.writeFileSync(
      path.join(work, 'train.py'),
      ['import os, time', 'import mlflow', 'with mlflow.start_run():', '    for step in range(int(os.environ.get("STEPS", "8"))):', '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)', '        print(f"step {step}", flush=True)', '        time.sleep(1)', 'print("training done", flush=True)', ''].join('\n'),
    );
    script = vscode.Uri.file(path.join(work, 'train.py'));
    await a.credentials.set(server.trackingUri, { kind: 'basic', username: server.username, password: server.password });
    await setSetting('trackingUri', server.trackingUri);
    assert.strictEqual((await a.connection.refresh()).kind, 'connected');
    await setSetting('siteProfile', 'gridengine');
    await setSetting('jobs.folder', path.join(work, 'jobs'));
    await setSetting('jobs.python', '/usr/bin/python3');
    await setSetting('jobs.refreshSeconds', 2);
    await vscode.commands.executeCommand('mlwf.jobs.focus');
  });

  after(async () => {
    if (!a) return;
    spawnSync('qmod', ['-e', 'all.q']);
    for (const key of ['siteProfile', 'jobs.folder', 'jobs.python', 'jobs.refreshSeconds', 'jobs.setupCommands', 'trackingUri']) await setSetting(key, undefined);
  });

  const submit = async (steps: number) => {
    const env = { ...server.clientEnv, STEPS: String(steps) };
    await setSetting('jobs.setupCommands', Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`));
    const record = await a.jobs.submit(script, { experimentId: server.scenario.experiment_id, experimentName: 'host test', job: { group: '', resource: '', walltime: '0:10:00' } });
    assert.ok(record, 'submitted');
    return record;
  };

  it('shows the job queued → running → finished, Show Job Output follows its lines while it runs, the run is FINISHED', async () => {
    execFileSync('qmod', ['-d', 'all.q']); // a busy cluster for a moment, so "queued" is seen
    const record = await submit(6);
    const queued = await waitFor('the job queued in the view', () => itemOf(record.id)?.row.status.phase === 'queued' && itemOf(record.id));
    assert.strictEqual(labelOf(queued), 'train.py');
    assert.match(String(queued.description), jobDescriptionRe({ state: 'queued', time: '– / 0:10:00', id: record.id }));
    assert.strictEqual(queued.contextValue, 'mlwf.job.active.ours');
    execFileSync('qmod', ['-e', 'all.q']);
    const running = await waitFor('the job running', () => itemOf(record.id)?.row.status.phase === 'running' && itemOf(record.id));
    assert.match(String(running.description), jobDescriptionRe({ state: 'running', time: '0:\\d\\d:\\d\\d / 0:10:00', resource: 'all\\.q@\\S+', id: record.id }));
    // Everything the row leaves out at the side bar's width is in the tooltip.
    for (const line of [`Job ${record.id} — running (r)`, 'Script: ' + script.fsPath, `Run: ${record.runId}`, 'Queue: all.q@', 'Wall time: 0:10:00', 'Started: ']) assert.ok(tooltipTextOf(running).includes(line), `tooltip has "${line}": ${tooltipTextOf(running)}`);
    await vscode.commands.executeCommand('mlwf.jobs.showOutput', running);
    await waitFor('output lines while the job runs', () => /step 1/.test(a.jobs.outputs.textOf(record.id) ?? '') && itemOf(record.id)?.row.status.phase === 'running');
    const done = await waitFor('the job finished', () => itemOf(record.id)?.row.status.phase === 'finished' && itemOf(record.id), 90_000);
    assert.match(String(done.description), jobDescriptionRe({ state: 'finished', resource: 'all\\.q@\\S+', id: record.id }));
    assert.doesNotMatch(String(done.description), /exit/, 'a finished job exited 0: the state says so');
    assert.ok(tooltipTextOf(done).includes('Exit status: 0'), tooltipTextOf(done));
    assert.strictEqual(done.contextValue, 'mlwf.job.ended.ours');
    await waitFor('the whole output', () => /training done/.test(a.jobs.outputs.textOf(record.id) ?? ''));
    const run = await a.connection.client!.getRun(record.runId);
    assert.strictEqual(run.info.status, 'FINISHED');
    assert.strictEqual(run.data.metrics.find((m) => m.key === 'loss')?.value, 1 / 6);
  });

  it('Cancel ends a running job; the view shows it cancelled and its run is KILLED', async () => {
    const record = await submit(300);
    await waitFor('the job running', () => itemOf(record.id)?.row.status.phase === 'running' && /step 0/.test(fs.readFileSync(record.outputFile, 'utf8')), 90_000);
    const cancelled = await vscode.commands.executeCommand<boolean>('mlwf.jobs.cancel', itemOf(record.id), true);
    assert.strictEqual(cancelled, true);
    const item = await waitFor('the job cancelled', () => itemOf(record.id)?.row.status.phase === 'cancelled' && itemOf(record.id), 60_000);
    assert.match(String(item.description), jobDescriptionRe({ state: 'cancelled', id: record.id }));
    await waitFor('the run KILLED', async () => (await a.connection.client!.getRun(record.runId)).info.status === 'KILLED', 30_000);
  });

  it('Show Job\'s Run reveals the job\'s run, Compare Job\'s Run with… opens it beside another run, Resubmit Job submits the same script again with a new run', async () => {
    const done = items().find((i) => i.row.status.phase === 'finished' && i.row.record);
    assert.ok(done, 'a finished job from the first test');
    const record = done.row.record!;
    await vscode.commands.executeCommand('mlwf.jobs.showRun', done);
    await waitFor('the run selected in the Experiments view', () => (a.experimentsView.selection[0] as { runId?: string } | undefined)?.runId === record.runId, 20_000);
    const other = server.scenario.runs[Object.keys(server.scenario.runs)[0]!]!.run_id;
    const panel = await a.commandResult<{ runIds?: readonly string[] } | undefined>('mlwf.jobs.compareWith', done, other);
    assert.ok(panel, 'a comparison opened');
    await waitFor('the comparison with both runs', () => a.compare.panels.length > 0);
    await setSetting('jobs.setupCommands', Object.entries({ ...server.clientEnv, STEPS: '3' }).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`));
    const again = await a.commandResult<{ id: string; runId: string; scriptPath: string; experimentId: string } | undefined>('mlwf.jobs.resubmit', done);
    assert.ok(again);
    assert.notStrictEqual(again.id, record.id);
    assert.notStrictEqual(again.runId, record.runId);
    assert.strictEqual(again.scriptPath, record.scriptPath);
    assert.strictEqual(again.experimentId, record.experimentId);
    await waitFor('the resubmitted job in the view', () => itemOf(again.id));
    await waitFor('the resubmitted job ended', () => { const p = itemOf(again.id)?.row.status.phase; return p === 'finished' || p === 'failed'; }, 90_000);
    assert.strictEqual(itemOf(again.id)?.row.status.phase, 'finished');
  });

  it('Build Container of a gridengine folder runs as a job of the cell, is listed as a container job, and fails with the clear line where singularity is missing', async () => {
    const fixtures = path.resolve(__dirname, '../../../test/fixtures/container');
    const made = await a.container.generate(path.join(fixtures, 'sklearn-wine'), { outputDir: fs.mkdtempSync(path.join(work, `out it's $(x) `)), job: { group: '', resource: '', walltime: '0:10:00' }, baseImage: 'docker://python:3.11-slim' });
    assert.ok(made, 'generated');
    assert.match(fs.readFileSync(path.join(made.folder, 'build.sh'), 'utf8'), /site profile gridengine/);
    const outcome = await a.container.build(vscode.Uri.file(made.folder));
    assert.ok(outcome?.jobId, 'the build ran as a job');
    assert.strictEqual(outcome.exitCode, 127);
    assert.strictEqual(outcome.imageSize, undefined);
    const item = await waitFor('the build job in the view', () => itemOf(outcome.jobId!));
    assert.strictEqual(labelOf(item), containerJobLabel('build', made.folder));
    assert.strictEqual(item.contextValue, 'mlwf.job.ended.container');
    assert.match(String(item.description), jobDescriptionRe({ state: 'failed', exit: '127', id: outcome.jobId }));
    await waitFor('the output channel with the reason', () => /MLWF: neither singularity nor apptainer is on PATH/.test(a.jobs.outputs.textOf(outcome.jobId!) ?? ''));
  });

  it('asks the scheduler nothing once no job is active', async () => {
    await waitFor('polling to stop', () => !a.jobs.provider.polling, 30_000);
    const before = a.jobs.provider.polls;
    await new Promise((r) => setTimeout(r, 5_000));
    assert.strictEqual(a.jobs.provider.polls, before, 'no scheduler call while idle');
  });

  it('a palette command with no row selected offers the jobs as their rows read (label, then state, time, where and id), the script path below', () => {
    const scriptPath = path.join(work, 'a', 'rather', 'deep', 'folder', 'train.py');
    const row = { status: { id: '4242', name: 'mlwf-train', phase: 'running' as const, rawState: 'r', queue: 'all.q@node7', elapsedSeconds: 65, walltimeSeconds: 600 }, record: { id: '4242', kind: 'train', scriptPath, workdir: path.dirname(scriptPath), runId: 'r1', resource: '' } } as unknown as Parameters<typeof jobPickItem>[0];
    const item = jobPickItem(row);
    assert.deepStrictEqual([item.label, item.description, item.detail], ['train.py', 'running · 0:01:05 / 0:10:00 · all.q@node7 · #4242', scriptPath]);
  });

  it('with no qstat on PATH, the view says so in one row whose click opens the site profile setting', async () => {
    const savedPath = process.env.PATH;
    // The scheduler commands run with this process's PATH: a machine with no Grid Engine.
    process.env.PATH = path.join(work, 'no-such-bin');
    try {
      await a.jobs.provider.refresh();
      const rows = a.jobs.provider.getChildren() as vscode.TreeItem[];
      const warning = rows.find((i) => !String(i.contextValue ?? '').startsWith('mlwf.job.'));
      assert.ok(warning, 'a row about the scheduler');
      assert.strictEqual(labelOf(warning), 'qstat is not available on this machine (site profile gridengine).');
      assert.deepStrictEqual([warning.command?.command, warning.command?.arguments], ['workbench.action.openSettings', ['mlwf.siteProfile']]);
      assert.match(String((warning.tooltip as vscode.MarkdownString | string | undefined) ?? ''), /choose the site profile of this machine/);
    } finally {
      process.env.PATH = savedPath;
    }
    await a.jobs.provider.refresh();
    assert.strictEqual((a.jobs.provider.getChildren() as vscode.TreeItem[]).some((i) => !String(i.contextValue ?? '').startsWith('mlwf.job.')), false, 'the row goes once qstat is back');
  });
});

describe('Jobs: one site profile for jobs and containers (the deprecated mlwf.jobs.siteProfile moves into mlwf.siteProfile)', () => {
  const get = (key: string) => vscode.workspace.getConfiguration('mlwf').inspect<string>(key);
  afterEach(async () => {
    for (const key of ['siteProfile', 'jobs.siteProfile']) await vscode.workspace.getConfiguration('mlwf').update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('moves it where mlwf.siteProfile is not set, keeps it where both are set (it still decides for jobs), and drops an empty one', async () => {
    const c = () => vscode.workspace.getConfiguration('mlwf');
    await c().update('jobs.siteProfile', 'gridengine', vscode.ConfigurationTarget.Global);
    assert.strictEqual(readJobsConfig().profile.id, 'gridengine', 'read while it is still there');
    assert.deepStrictEqual(await migrateJobsSiteProfile(), ['user']);
    assert.strictEqual(get('siteProfile')?.globalValue, 'gridengine');
    assert.strictEqual(get('jobs.siteProfile')?.globalValue, undefined);
    assert.strictEqual(readJobsConfig().profile.id, 'gridengine');

    await c().update('siteProfile', 'abci2', vscode.ConfigurationTarget.Global);
    await c().update('jobs.siteProfile', 'gridengine', vscode.ConfigurationTarget.Global);
    assert.deepStrictEqual(await migrateJobsSiteProfile(), [], 'both set, differently: nothing moves');
    assert.strictEqual(get('siteProfile')?.globalValue, 'abci2');
    assert.strictEqual(readJobsConfig().profile.id, 'gridengine', 'the old setting still decides for jobs');

    await c().update('jobs.siteProfile', '', vscode.ConfigurationTarget.Global);
    assert.deepStrictEqual(await migrateJobsSiteProfile(), ['user']);
    assert.strictEqual(get('siteProfile')?.globalValue, 'abci2', 'an empty one ("the same as mlwf.siteProfile") changes nothing');
    assert.strictEqual(get('jobs.siteProfile')?.globalValue, undefined);
    assert.strictEqual(readJobsConfig().profile.id, 'abci2');
  });
});
