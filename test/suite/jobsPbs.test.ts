// ABCI 3.0's container jobs in the Jobs view, in a real VS Code extension host (code-server),
// against the PBS Professional stand-in (test/servers/pbsStandin: PBS has no package). The
// folder's build.sh / serve.sh submit themselves from a terminal (`qsub -W block=true`, as on
// ABCI 3.0) and write the id qsub prints into the folder at once: the view lists the job as
// MLWF's own "Build …" / "Serve …" row from its submission on, queued, running and
// finished, and its Cancel runs `qdel` with that id. The stand-in site tools of the container
// rig (module, singularity) do the node's work.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { JobItem } from '../../src/features/jobs/jobsTreeProvider';
import { api, labelOf, setSetting, waitFor } from './inHost';
import { containerJobLabel, jobDescriptionRe } from '../e2e/jobRows';

const REPO = path.resolve(__dirname, '../../..');
const PBS_BIN = path.join(REPO, 'test/servers/pbsStandin/bin');
const SITE_BIN = path.join(REPO, 'test/fixtures/container/bin');

describe('Jobs: ABCI 3.0 container jobs submitted by their own script are listed as MLWF\'s (PBS stand-in)', function () {
  this.timeout(90_000);
  let a: MlwfExtensionApi;
  let work: string;
  let state: string;
  const saved = { PATH: process.env.PATH, PBS_STANDIN_STATE: process.env.PBS_STANDIN_STATE, PBS_STANDIN_QUEUE_SECONDS: process.env.PBS_STANDIN_QUEUE_SECONDS };
  const items = () => (a.jobs.provider.getChildren() as vscode.TreeItem[]).filter((i): i is JobItem => String(i.contextValue).startsWith('mlwf.job.'));
  const calls = (): Array<{ tool: string; argv: string[]; cwd: string }> => (fs.existsSync(path.join(state, 'calls.jsonl')) ? fs.readFileSync(path.join(state, 'calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  /** The terminal's environment: the stand-ins first on PATH, their state, and how long a job queues / builds. */
  const terminalEnv = (more: Record<string, string>) =>
    vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', { PATH: `${PBS_BIN}:${SITE_BIN}:\${env:PATH}`, PBS_STANDIN_STATE: state, ...more }, vscode.ConfigurationTarget.Global);
  const generate = async () => {
    const made = await a.container.generate(path.join(REPO, 'test/fixtures/container/sklearn-wine'), { outputDir: work, job: { group: 'gaa50000', resource: 'rt_HF', walltime: '0:30:00' }, baseImage: 'docker://python:3.11-slim' });
    assert.ok(made, 'generated');
    return made.folder;
  };
  /** The row of this folder's build job (other suites' jobs may be listed too). */
  const buildRow = (folder: string, phase: RegExp) => items().find((i) => labelOf(i) === containerJobLabel('build', folder) && phase.test(String(i.description)));

  before(async () => {
    a = await api();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwf-jobs-pbs-host-'));
    state = path.join(work, 'pbs-state');
    // The view's qstat/qdel run in the extension host; the script's qsub in the terminal: both get the stand-in.
    Object.assign(process.env, { PATH: `${PBS_BIN}:${SITE_BIN}:${saved.PATH}`, PBS_STANDIN_STATE: state, PBS_STANDIN_QUEUE_SECONDS: '0' });
    await terminalEnv({ PBS_STANDIN_QUEUE_SECONDS: '0' });
    await setSetting('siteProfile', 'abci3');
    await setSetting('jobs.folder', path.join(work, 'jobs'));
    await setSetting('jobs.refreshSeconds', 1);
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', undefined, vscode.ConfigurationTarget.Global);
    for (const key of ['siteProfile', 'jobs.folder', 'jobs.refreshSeconds']) await setSetting(key, undefined);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('Serve Model of an abci3 folder: the job its qsub -W block=true submitted is the row "Serve …" (the folder\'s timestamp), running, and Cancel runs qdel with its id', async () => {
    await terminalEnv({ PBS_STANDIN_QUEUE_SECONDS: '0' });
    const made = await a.container.generate(path.join(REPO, 'test/fixtures/container/sklearn-wine'), { outputDir: work, job: { group: 'gaa50000', resource: 'rt_HF', walltime: '0:30:00' }, baseImage: 'docker://python:3.11-slim' });
    assert.ok(made, 'generated');
    fs.writeFileSync(path.join(made.folder, 'container.sif'), 'stand-in image');
    const served = await a.container.serve(vscode.Uri.file(made.folder));
    assert.ok(served?.terminal, 'serve.sh runs in a terminal');
    const qsub = await waitFor('the script\'s qsub', () => calls().find((c) => c.tool === 'qsub'));
    assert.deepStrictEqual(qsub.argv.slice(0, 2), ['-W', 'block=true']);
    const item = await waitFor('the serve job as a container job of the view', () => items().find((i) => i.contextValue === 'mlwf.job.active.container' && jobDescriptionRe({ state: 'running' }).test(String(i.description))));
    const id = item.row.status.id;
    assert.match(id, /^\d+\.standin$/);
    assert.strictEqual(labelOf(item), containerJobLabel('serve', made.folder));
    assert.strictEqual(item.row.record?.outputFile, path.join(made.folder, 'serve.log'));
    assert.strictEqual(item.row.record?.kind, 'serve');
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.jobs.cancel', id, true), true);
    assert.deepStrictEqual(calls().filter((c) => c.tool === 'qdel').map((c) => c.argv), [[id]]);
    const ended = await waitFor('the row cancelled', () => items().find((i) => i.row.status.id === id && i.contextValue === 'mlwf.job.ended.container'));
    assert.match(String(ended.description), jobDescriptionRe({ state: 'cancelled', id }));
    // qdel ended the job, so the script's blocking qsub returned and the terminal's process ended.
    await waitFor('the terminal to end', () => served.terminal!.exitStatus !== undefined);
    served.terminal!.dispose();
  });
  it('Build Container of an abci3 folder: the row "Build …" is there from the submission, queued with the id qsub printed, then running, then finished with the image', async () => {
    await terminalEnv({ PBS_STANDIN_QUEUE_SECONDS: '3', MLWF_STANDIN_BUILD_SECONDS: '3' });
    const folder = await generate();
    const seen = calls().length;
    const building = a.container.build(vscode.Uri.file(folder));
    const qsub = await waitFor('the script\'s qsub', () => calls().slice(seen).find((c) => c.tool === 'qsub'));
    assert.deepStrictEqual(qsub.argv, ['-W', 'block=true', '-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=0:30:00', '-N', 'mlwf-build', '-j', 'oe', '-k', 'oed', '-o', 'build.log', 'build.sh']);
    const queued = await waitFor('the build job queued, as MLWF\'s row', () => buildRow(folder, jobDescriptionRe({ state: 'queued' })));
    const id = queued.row.status.id;
    assert.match(id, /^\d+\.standin$/);
    assert.strictEqual(fs.readFileSync(path.join(folder, '.mlwf-build.jobid'), 'utf8'), `${id}\n`, 'the id qsub printed');
    assert.strictEqual(queued.contextValue, 'mlwf.job.active.container');
    assert.strictEqual(queued.row.record?.kind, 'build');
    assert.strictEqual(queued.row.record?.outputFile, path.join(folder, 'build.log'));
    await waitFor('the build job running', () => buildRow(folder, jobDescriptionRe({ state: 'running', id })));
    const outcome = await building;
    assert.strictEqual(outcome?.exitCode, 0);
    assert.strictEqual(outcome.imageSize, 3 * 1024 * 1024);
    const done = await waitFor('the build job finished', () => buildRow(folder, jobDescriptionRe({ state: 'finished', id })));
    assert.strictEqual(done.contextValue, 'mlwf.job.ended.container');
    assert.match(fs.readFileSync(path.join(folder, 'build.log'), 'utf8'), /Built container\.sif/);
  });

  it('Cancel of an abci3 build job that is still queued runs qdel with its id; the row turns cancelled and the build ends without an image', async () => {
    await terminalEnv({ PBS_STANDIN_QUEUE_SECONDS: '30' });
    const folder = await generate();
    const building = a.container.build(vscode.Uri.file(folder));
    const queued = await waitFor('the build job queued', () => buildRow(folder, jobDescriptionRe({ state: 'queued' })));
    const id = queued.row.status.id;
    assert.strictEqual(await vscode.commands.executeCommand('mlwf.jobs.cancel', id, true), true);
    assert.deepStrictEqual(calls().filter((c) => c.tool === 'qdel').map((c) => c.argv).filter((argv) => argv[0] === id), [[id]]);
    await waitFor('the row cancelled', () => buildRow(folder, jobDescriptionRe({ state: 'cancelled', id })));
    // The deleted job never ran: the script's blocking qsub returned, with no image.
    const outcome = await building;
    assert.strictEqual(outcome?.imageSize, undefined);
    assert.ok(!fs.existsSync(path.join(folder, 'container.sif')));
  });
});
