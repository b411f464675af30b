// ABCI 2.0's container jobs through the Jobs view, in a real VS Code extension host (code-server),
// on the REAL Grid Engine cell: Build Container and Serve Model of an abci2 folder submit
// build.sh / serve.sh as batch jobs (`qsub -g GROUP -l rt_TYPE=1 …`, as training jobs), listed as
// "Build MM-DD hh:mm" / "Serve …" (the folder's timestamp) from their submission, followed and
// cancelled there. The cell is plain Grid Engine: test/servers/abci2Qsub stands in front of its qsub for ABCI's -g and rt_*
// (recorded, required, dropped) and hands the job the container rig's stand-in module and
// singularity. Skips with one line when no cell is running.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { JobItem } from '../../src/features/jobs/jobsTreeProvider';
import { api, labelOf, setSetting, waitFor, gridEngineSkipReason } from './inHost';
import { containerJobLabel, jobDescriptionRe } from '../e2e/jobRows';

const REPO = path.resolve(__dirname, '../../..');
const SHIM_BIN = path.join(REPO, 'test/servers/abci2Qsub/bin');
const SITE_BIN = path.join(REPO, 'test/fixtures/container/bin');
const JOB = { group: 'gaa50000', resource: 'rt_C.small', walltime: '0:10:00' };

describe('Jobs: ABCI 2.0 container jobs are batch jobs of the Jobs view (real Grid Engine cell behind ABCI\'s qsub options)', function () {
  this.timeout(180_000);
  let a: MlwfExtensionApi;
  let work: string;
  const saved = { PATH: process.env.PATH, ABCI2_QSUB_LOG: process.env.ABCI2_QSUB_LOG, ABCI2_QSUB_JOB_ENV: process.env.ABCI2_QSUB_JOB_ENV };
  const items = () => (a.jobs.provider.getChildren() as vscode.TreeItem[]).filter((i): i is JobItem => String(i.contextValue).startsWith('mlwf.job.'));
  const itemOf = (id: string) => items().find((i) => i.row.status.id === id);
  const shimCalls = (): Array<{ argv: string[]; cwd: string }> => (fs.existsSync(path.join(work, 'qsub.jsonl')) ? fs.readFileSync(path.join(work, 'qsub.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const generate = async () => {
    const made = await a.container.generate(path.join(REPO, 'test/fixtures/container/sklearn-wine'), { outputDir: fs.mkdtempSync(path.join(work, `out it's $(x) `)), job: JOB, baseImage: 'docker://python:3.11-slim' });
    assert.ok(made, 'generated');
    assert.match(fs.readFileSync(path.join(made.folder, 'build.sh'), 'utf8'), /site profile abci2/);
    return made.folder;
  };

  before(async function () {
    const why = gridEngineSkipReason();
    if (why) {
      console.log(`SKIP ABCI 2.0 container jobs in-host: ${why}`);
      this.skip();
    }
    a = await api();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwf-abci2-host-'));
    fs.mkdirSync(path.join(work, 'local'));
    // MLWF's qsub/qstat/qdel run in the extension host: ABCI's qsub goes first on its PATH.
    Object.assign(process.env, {
      PATH: `${SHIM_BIN}:${saved.PATH}`,
      ABCI2_QSUB_LOG: path.join(work, 'qsub.jsonl'),
      ABCI2_QSUB_JOB_ENV: `PATH=${SITE_BIN}:${path.dirname(process.execPath)}:/usr/bin:/bin,SGE_LOCALDIR=${path.join(work, 'local')},MLWF_STANDIN_LOG=${path.join(work, 'standin.jsonl')},MLWF_STANDIN_BUILD_SECONDS=3`,
    });
    await setSetting('siteProfile', 'abci2');
    await setSetting('jobs.folder', path.join(work, 'jobs'));
    await setSetting('jobs.refreshSeconds', 1);
  });

  after(async () => {
    if (!a) return;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const key of ['siteProfile', 'jobs.folder', 'jobs.refreshSeconds']) await setSetting(key, undefined);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('Build Container of an abci2 folder runs qsub -g GROUP -l rt_C.small=1 from MLWF; the row "Build …" is listed from the submission, running, then finished with the image', async () => {
    const folder = await generate();
    const building = a.container.build(vscode.Uri.file(folder));
    const call = await waitFor('ABCI\'s qsub', () => shimCalls().find((c) => c.argv.at(-1) === 'build.sh'));
    assert.deepStrictEqual(call.argv, ['-terse', '-g', 'gaa50000', '-l', 'rt_C.small=1', '-l', 'h_rt=0:10:00', '-N', 'mlwf-build', '-cwd', '-j', 'y', '-o', path.join(folder, 'build.log'), '-S', '/bin/bash', 'build.sh']);
    const listed = await waitFor('the build job as MLWF\'s row', () => items().find((i) => labelOf(i) === containerJobLabel('build', folder)));
    const id = listed.row.status.id;
    assert.match(id, /^\d+$/);
    assert.strictEqual(listed.row.record?.profile, 'abci2');
    await waitFor('the build job running', () => jobDescriptionRe({ state: 'running' }).test(String(itemOf(id)?.description)));
    const outcome = await building;
    assert.strictEqual(outcome?.jobId, id);
    assert.strictEqual(outcome.exitCode, 0);
    assert.strictEqual(outcome.imageSize, 3 * 1024 * 1024);
    const done = await waitFor('the row finished', () => itemOf(id)?.contextValue === 'mlwf.job.ended.container' && itemOf(id));
    assert.match(String(done.description), jobDescriptionRe({ state: 'finished', id }));
    assert.match(fs.readFileSync(path.join(folder, 'build.log'), 'utf8'), /Built container\.sif/);
  });

  it('Serve Model of an abci2 folder runs serve.sh as a job with -v PORT, tells its URL once the server runs, and Cancel in the view stops it', async () => {
    const folder = await generate();
    fs.writeFileSync(path.join(folder, 'container.sif'), 'stand-in image');
    const served = await a.container.serve(vscode.Uri.file(folder));
    assert.ok(served?.jobId && served.url, `served: ${JSON.stringify(served)}`);
    assert.strictEqual(served.terminal, undefined, 'no terminal: a job of the view');
    assert.match(served.url, new RegExp(`^http://[^:]+:${served.port}$`));
    const call = shimCalls().find((c) => c.argv.at(-1) === 'serve.sh')!;
    assert.deepStrictEqual(call.argv.slice(-3), ['-v', `PORT=${served.port}`, 'serve.sh']);
    const item = await waitFor('the serve row running', () => itemOf(served.jobId!)?.contextValue === 'mlwf.job.active.container' && itemOf(served.jobId!));
    assert.strictEqual(labelOf(item), containerJobLabel('serve', folder));
    // serve.url is written just before the server starts listening on the node.
    const ask = (body: string) => fetch(`http://127.0.0.1:${served.port}/invocations`, { method: 'POST', body });
    const answer = await waitFor('the server to answer', () => ask(JSON.stringify({ dataframe_split: { columns: ['a'], data: [[10]] } })).then((r) => r.json() as Promise<unknown>, () => undefined));
    assert.deepStrictEqual(answer, { predictions: [1] });
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.jobs.cancel', served.jobId, true), true);
    await waitFor('the row cancelled', () => itemOf(served.jobId!)?.contextValue === 'mlwf.job.ended.container' && jobDescriptionRe({ state: 'cancelled' }).test(String(itemOf(served.jobId!)?.description)));
    await waitFor('the server to stop', () => ask('{}').then(() => false, () => true));
  });
  it('Cancel of a running abci2 build in the Jobs view ends its job on the cell; the row turns cancelled and Build Container ends without an image', async () => {
    process.env.ABCI2_QSUB_JOB_ENV = process.env.ABCI2_QSUB_JOB_ENV!.replace('MLWF_STANDIN_BUILD_SECONDS=3', 'MLWF_STANDIN_BUILD_SECONDS=120');
    const folder = await generate();
    const building = a.container.build(vscode.Uri.file(folder));
    const row = await waitFor('the build running', () => items().find((i) => labelOf(i) === containerJobLabel('build', folder) && jobDescriptionRe({ state: 'running' }).test(String(i.description))));
    const id = row.row.status.id;
    await waitFor('the build itself to start', () => /Building container\.sif/.test(fs.readFileSync(path.join(folder, 'build.log'), 'utf8')));
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.jobs.cancel', id, true), true);
    const outcome = await building;
    assert.strictEqual(outcome?.jobId, id);
    assert.strictEqual(outcome.imageSize, undefined);
    assert.match(String(itemOf(id)?.description), jobDescriptionRe({ state: 'cancelled', id }));
    assert.ok(!fs.existsSync(path.join(folder, 'container.sif')));
  });
});
