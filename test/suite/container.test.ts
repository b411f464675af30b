// The container tasks for real in a VS Code extension host (code-server): the recipe generated
// from an export folder, build.sh run as a Task in a terminal and serve.sh in another, with the
// rig's stand-in qsub/qrsh/module/singularity/apptainer first on PATH (test/fixtures/container/bin,
// put there by test/e2e/run-in-code-server.sh) recording their argv and environment to
// $TMPDIR/mlwf-standin.jsonl. The sample request goes to the stand-in's scoring server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlwfExtensionApi } from '../../src/extension';
import type { JobItem } from '../../src/features/jobs/jobsTreeProvider';
import { api, labelOf, setSetting, waitFor } from './inHost';
import { containerJobLabel, jobDescriptionRe } from '../e2e/jobRows';
import { pickBaseImage } from '../../src/features/container/baseImagePicker';
import { CUDA_BASE_IMAGE } from '../../src/core/container/baseImage';

const REPO = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test/fixtures/container');
const CALLS = path.join(os.tmpdir(), 'mlwf-standin.jsonl');
const JOB = { group: 'gaa50000', resource: 'rt_HF', walltime: '0:30:00' };
// As hostile as `x'; rm -rf ~; '` (tested with a sandboxed HOME in test/unit/container-jobs), but
// harmless here if quoting ever broke: it would delete the folder's model/ and leave a marker.
const HOSTILE = "x'; touch mlwf-pwned; rm -rf ./model; '";

interface Call { tool: string; argv: string[]; cwd: string; env: Record<string, string>; body?: string }
const calls = (): Call[] => (fs.existsSync(CALLS) ? fs.readFileSync(CALLS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []);

describe('Container: recipe, build task, serve terminal and sample request (stand-in site tools)', function () {
  this.timeout(90_000);
  let a: MlwfExtensionApi;
  let out: string;

  before(async () => {
    a = await api();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(ws, 'a workspace folder is open');
    out = fs.mkdtempSync(path.join(ws, 'container-test-'));
    // abci3 builds list their job in the Jobs view: its records go with the test's folder.
    await setSetting('jobs.folder', path.join(out, 'jobs'));
    // Task and terminal shells get their environment from the server's resolved shell environment
    // (a login shell resets PATH), so the stand-ins go first through the terminal setting.
    await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', { PATH: `${path.join(FIXTURES, 'bin')}:\${env:PATH}` }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await setSetting('siteProfile', undefined);
    await setSetting('jobs.folder', undefined);
    await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(out, { recursive: true, force: true });
  });
  beforeEach(() => fs.rmSync(CALLS, { force: true }));

  async function generate(profile: 'abci3' | 'generic', source = path.join(FIXTURES, 'sklearn-wine')) {
    await setSetting('siteProfile', profile);
    const job = profile === 'generic' ? { group: '', resource: '', walltime: '' } : JOB;
    const made = await a.container.generate(source, { outputDir: out, job, baseImage: 'docker://python:3.11-slim' });
    assert.ok(made, 'generated');
    return made;
  }

  it('generates MLWFCreateImage_* from an export folder, with the recipe opening as Singularity', async () => {
    const made = await generate('abci3');
    assert.match(path.basename(made.folder), /^MLWFCreateImage_\d{14}$/);
    assert.deepStrictEqual(fs.readdirSync(made.folder).sort(), ['Dockerfile', 'Singularity', 'build.sh', 'model', 'serve.sh']);
    assert.ok(fs.readFileSync(path.join(made.folder, 'model/MLmodel')).equals(fs.readFileSync(path.join(FIXTURES, 'sklearn-wine/artifacts/MLmodel'))));
    const doc = await vscode.workspace.openTextDocument(path.join(made.folder, 'Singularity'));
    assert.strictEqual(doc.languageId, 'singularity');
    assert.match(doc.getText(), /^From: python:3\.11-slim$/m);
  });

  it('abci3: Build Container runs a blocking PBS job in a task terminal and builds on node-local storage', async () => {
    const made = await generate('abci3');
    const outcome = await a.container.build(vscode.Uri.file(made.folder));
    assert.strictEqual(outcome?.exitCode, 0);
    assert.strictEqual(outcome.imageSize, 3 * 1024 * 1024);
    const [qsub, singularity] = [calls().find((c) => c.tool === 'qsub'), calls().find((c) => c.tool === 'singularity')];
    assert.deepStrictEqual(qsub?.argv, ['-W', 'block=true', '-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=0:30:00', '-N', 'mlwf-build', '-j', 'oe', '-k', 'oed', '-o', 'build.log', 'build.sh']);
    assert.strictEqual(qsub.cwd, made.folder);
    assert.deepStrictEqual(singularity?.argv, ['build', '--fakeroot', 'container.building.sif', 'Singularity']);
    assert.ok(singularity.env.PBS_LOCALDIR && singularity.env.SINGULARITY_TMPDIR === singularity.env.PBS_LOCALDIR, JSON.stringify(singularity.env));
    assert.ok(!calls().some((c) => c.tool === 'module'));
  });

  /** The Jobs view's row of this folder's job, once its description matches (other jobs may be listed). */
  const jobRow = (label: string, description: RegExp) =>
    waitFor(`the row ${label} ${String(description)}`, async () => {
      await a.jobs.provider.refresh();
      return (a.jobs.provider.getChildren() as vscode.TreeItem[]).find((i): i is JobItem => labelOf(i) === label && description.test(String(i.description)));
    });

  it('generic: builds on this machine with SINGULARITY_TMPDIR under TMPDIR, listed in the Jobs view as a local job that finished, its output in build.log', async () => {
    const made = await generate('generic');
    const outcome = await a.container.build(vscode.Uri.file(made.folder));
    assert.strictEqual(outcome?.exitCode, 0);
    assert.deepStrictEqual(calls().map((c) => c.tool), ['singularity']);
    assert.strictEqual(calls()[0]!.env.SINGULARITY_TMPDIR, os.tmpdir());
    const row = await jobRow(containerJobLabel('build', made.folder), jobDescriptionRe({ state: 'finished' }));
    assert.match(row.row.status.id, /^local-\d+$/);
    assert.strictEqual(row.contextValue, 'mlwf.job.ended.container');
    assert.strictEqual(row.row.record?.outputFile, path.join(made.folder, 'build.log'));
    assert.match(fs.readFileSync(path.join(made.folder, 'build.log'), 'utf8'), /Build complete: container\.building\.sif/);
  });

  it('generic: Cancel of a running local build in the Jobs view ends its process group; the row turns cancelled and no image is left', async () => {
    await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', { PATH: `${path.join(FIXTURES, 'bin')}:\${env:PATH}`, MLWF_STANDIN_BUILD_SECONDS: '60' }, vscode.ConfigurationTarget.Global);
    try {
      const made = await generate('generic');
      const building = a.container.build(vscode.Uri.file(made.folder));
      const label = containerJobLabel('build', made.folder);
      const row = await jobRow(label, jobDescriptionRe({ state: 'running' }));
      await waitFor('the build itself to start', () => calls().some((c) => c.tool === 'singularity'));
      assert.strictEqual(await vscode.commands.executeCommand('mlwf.jobs.cancel', row.row.status.id, true), true);
      const outcome = await building;
      assert.strictEqual(outcome?.jobId, row.row.status.id);
      assert.strictEqual(outcome.imageSize, undefined);
      await jobRow(label, jobDescriptionRe({ state: 'cancelled' }));
      const pid = Number(row.row.status.id.replace('local-', ''));
      assert.throws(() => process.kill(pid, 0), 'the build\'s process is gone');
      assert.ok(!fs.existsSync(path.join(made.folder, 'container.sif')));
    } finally {
      await vscode.workspace.getConfiguration('terminal.integrated').update('env.linux', { PATH: `${path.join(FIXTURES, 'bin')}:\${env:PATH}` }, vscode.ConfigurationTarget.Global);
    }
  });

  it('a failing build is reported as a failure and leaves no container.sif', async () => {
    const made = await generate('abci3');
    const recipe = path.join(made.folder, 'Singularity');
    fs.writeFileSync(recipe, fs.readFileSync(recipe, 'utf8').replace('%post\n', '%post\n    echo MLWF_STANDIN_FAIL; exit 1\n'));
    const outcome = await a.container.build(vscode.Uri.file(made.folder));
    assert.ok(outcome && outcome.exitCode !== 0 && outcome.exitCode !== undefined, `exit code ${String(outcome?.exitCode)}`);
    assert.strictEqual(outcome.imageSize, undefined);
    assert.ok(!fs.existsSync(path.join(made.folder, 'container.sif')));
    assert.match(fs.readFileSync(path.join(made.folder, 'build.log'), 'utf8'), /FATAL/);
  });

  it('a hostile model name reaches the job only as a quoted string', async () => {
    const src = fs.mkdtempSync(path.join(out, 'hostile-src-'));
    fs.cpSync(path.join(FIXTURES, 'sklearn-wine/artifacts'), path.join(src, 'artifacts'), { recursive: true });
    fs.writeFileSync(path.join(src, 'info.yaml'), `Name: ${JSON.stringify(HOSTILE)}\nVersion: "1"\n`);
    for (const profile of ['abci3', 'generic'] as const) {
      const made = await generate(profile, src);
      assert.strictEqual(made.spec.name, HOSTILE);
      const outcome = await a.container.build(vscode.Uri.file(made.folder));
      assert.strictEqual(outcome?.exitCode, 0, profile);
      assert.ok(!fs.existsSync(path.join(made.folder, 'mlwf-pwned')), `${profile}: nothing ran`);
      assert.ok(fs.existsSync(path.join(made.folder, 'model/MLmodel')), `${profile}: model/ is intact`);
      if (profile === 'abci3') assert.ok(fs.readFileSync(path.join(made.folder, 'build.log'), 'utf8').includes(`Building container.sif for ${HOSTILE} with singularity`));
    }
  });

  it('Serve Model runs serve.sh in a terminal; Send Sample Request posts the (edited) example and shows the predictions; a stopped server is a clear error', async () => {
    const made = await generate('generic');
    assert.strictEqual((await a.container.build(vscode.Uri.file(made.folder)))?.exitCode, 0);
    const served = await a.container.serve(vscode.Uri.file(made.folder));
    assert.ok(served);
    const url = await waitFor('serve.url', () => (fs.existsSync(path.join(made.folder, 'serve.url')) ? fs.readFileSync(path.join(made.folder, 'serve.url'), 'utf8').trim() : undefined));
    assert.strictEqual(url, `http://127.0.0.1:${served.port}`);
    assert.strictEqual(a.container.requests.defaultUrl(vscode.Uri.file(made.folder)), url);
    const run = await waitFor('the stand-in server', () => calls().find((c) => c.tool === 'singularity' && c.argv[0] === 'run'));
    assert.deepStrictEqual(run.argv, ['run', 'container.sif']);
    assert.strictEqual(run.env.PORT, String(served.port));

    const doc = await a.container.requests.open(vscode.Uri.file(made.folder));
    const example = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sklearn-wine/artifacts/input_example.json'), 'utf8'));
    assert.deepStrictEqual(JSON.parse(doc.getText()), { dataframe_split: example });
    const sent = await waitFor('an answer', () => a.container.requests.sendDocument(doc, url).catch(() => undefined));
    assert.deepStrictEqual(sent.result.predictions, [6.954, 11.805]);
    assert.deepStrictEqual(JSON.parse(sent.resultDocument.getText()), { predictions: [6.954, 11.805] });
    assert.deepStrictEqual(JSON.parse(calls().filter((c) => c.tool === 'scoring').pop()!.body!), { dataframe_split: example });

    // The user edits the request first: only one row is sent.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify({ dataframe_split: { ...example, data: [example.data[1]] } }));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepStrictEqual((await a.container.requests.sendDocument(doc, url))!.result.predictions, [11.805]);

    // The server is a local job of the Jobs view while it runs; closing its terminal ends it.
    const serveLabel = containerJobLabel('serve', made.folder);
    assert.match((await jobRow(serveLabel, jobDescriptionRe({ state: 'running' }))).row.status.id, /^local-\d+$/);
    served.terminal!.dispose();
    await jobRow(serveLabel, jobDescriptionRe({ state: 'cancelled' }));
    // While it stops, a request can meet a reset connection (its own clear sentence); once it has
    // stopped, nothing is listening.
    await waitFor('the server to stop', () => a.container.requests.sendDocument(doc, url).then(() => undefined, (e: Error) => (/Nothing is listening/.test(e.message) ? e.message : undefined)));
    await assert.rejects(a.container.requests.sendDocument(doc, url), /Nothing is listening at 127\.0\.0\.1:\d+: is the model being served/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('abci3: Serve Model submits serve.sh with the port and removes the job when the terminal closes', async () => {
    const made = await generate('abci3');
    assert.strictEqual((await a.container.build(vscode.Uri.file(made.folder)))?.exitCode, 0);
    fs.rmSync(CALLS, { force: true });
    const served = await a.container.serve(vscode.Uri.file(made.folder));
    assert.ok(served);
    const qsub = await waitFor('qsub', () => calls().find((c) => c.tool === 'qsub'));
    assert.deepStrictEqual(qsub.argv, ['-W', 'block=true', '-P', 'gaa50000', '-q', 'rt_HF', '-l', 'select=1', '-l', 'walltime=0:30:00', '-N', 'mlwf-serve', '-j', 'oe', '-k', 'oed', '-o', 'serve.log', '-v', `PORT=${served.port}`, 'serve.sh']);
    await waitFor('the server on the node', () => calls().find((c) => c.tool === 'singularity'));
    assert.deepStrictEqual(calls().find((c) => c.tool === 'singularity')!.argv, ['run', 'container.sif']);
    served.terminal!.dispose();
    const qdel = await waitFor('qdel', () => calls().find((c) => c.tool === 'qdel'));
    assert.match(qdel.argv[0]!, /^\d+\.pbs1$/);
    // qdel ended the job: its server stops answering.
    const port = served.port;
    await waitFor('the job to end', () => fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', body: '{}' }).then(() => undefined, () => true));
  });
});

describe('Container: the base image pick remembers the user\'s own choices', function () {
  this.timeout(30_000);

  /** A Memento of our own, so the test neither reads nor changes the extension's real history. */
  function memento(): vscode.Memento {
    const store = new Map<string, unknown>();
    return {
      keys: () => [...store.keys()],
      get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback) as T,
      update: async (key: string, value: unknown) => void store.set(key, value),
    };
  }

  /** Answers the open quick pick like a user with the keyboard: Down `downs` times, then Enter. */
  async function answer(downs: number): Promise<void> {
    await new Promise((r) => setTimeout(r, 300)); // the pick is on screen
    for (let i = 0; i < downs; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }

  it('offers an image chosen before right after the model\'s default, and takes it', async () => {
    const history = memento();
    const cpu = 'docker://python:3.11-slim';
    const first = pickBaseImage(history, cpu, false);
    await answer(0);
    assert.strictEqual(await first, cpu, 'the default is first');
    // A GPU model next: CUDA is its default, and the CPU image used before comes second.
    const second = pickBaseImage(history, CUDA_BASE_IMAGE, true);
    await answer(1);
    assert.strictEqual(await second, cpu, 'the image used before is the second entry');
    assert.deepStrictEqual(history.get('mlwf.container.baseImageHistory'), [cpu]);
  });
});
