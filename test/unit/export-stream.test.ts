// The export's one streaming pass: model.tar.gz is compressed from each file while it downloads.
// Against the test server behind nginx and a fault proxy: the archive has already taken in what
// arrived of a file that then stalls, and ends with the server's bytes after the resume. On real
// folders (LocalSource): a fixed archive order whatever order the listing gives, the same
// entries as the archive of the finished folder, files without a listed size, and the unhappy
// ends — the archive failing stops the downloads, a download failing its check stops the archive,
// and either way nothing stays open.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { archiveOrder, downloadOrder } from '../../src/core/export/archiveOrder';
import { downloadAndArchive } from '../../src/core/export/downloadAndArchive';
import { ExportError } from '../../src/core/export/exportErrors';
import type { FileSource, RemoteFile } from '../../src/core/export/fileSource';
import { LocalSource } from '../../src/core/export/localSource';
import { ProxiedArtifactSource } from '../../src/core/export/mlflowSources';
import { writeArchive } from '../../src/core/export/writeArchive';
import { startFaultProxy, type FaultProxy } from '../servers/faultProxy';
import { startRig, type Rig } from '../servers/rig';
import { archiveOrderOf, assertSameTree, LLM, proxiedTree, rigClient, unpackThreeWays, writeTree, type Tree } from './helpers/exportFixtures';

const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-stream-'));
const MiB = 1024 * 1024;

/** Files this process still has open under `dir` (a finished or failed export must have none). */
function openUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((l) => l.startsWith(dir));
}

const TREE: Tree = new Map([
  ['MLmodel', Buffer.from('artifact_path: model\nflavors: {}\n')],
  ['zeta.bin', randomBytes(2 * MiB + 17)],
  ['artifacts/weights/shard-2.bin', randomBytes(3 * MiB + 5)],
  ['artifacts/weights/shard-1.bin', randomBytes(MiB)],
  ['artifacts/config.json', Buffer.from('{"n_layer": 18}')],
  ['a', Buffer.from('a file named like a folder prefix')],
  ['a.txt', Buffer.from('after the folder a/ in byte order')],
  ['b/a/c.txt', Buffer.from('nested')],
  ['empty.txt', Buffer.alloc(0)],
  ['日本語/設定.json', Buffer.from('{}')],
]);

async function exportFolder(source: FileSource, files: RemoteFile[], name: string): Promise<{ work: string; archive: string }> {
  const work = path.join(root, name);
  await fs.mkdir(path.join(work, 'artifacts'), { recursive: true });
  const archive = path.join(work, 'model.tar.gz');
  await downloadAndArchive(source, files, { cwd: work, folder: 'artifacts', archive }, { concurrency: 3, threads: 2, blockSize: 256 * 1024 });
  return { work, archive };
}

describe('export: download and compression in one pass', () => {
  let rig: Rig;
  let proxy: FaultProxy;
  let modelDir: string;
  before(async () => {
    rig = await startRig();
    proxy = await startFaultProxy(Number(new URL(rig.trackingUri).port));
    modelDir = path.join(root, 'model');
    await writeTree(modelDir, TREE);
  });
  after(async () => {
    await proxy.stop();
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the archive takes in a file while it arrives: at a mid-file stall it already holds what came, and after the resume the server’s bytes', async () => {
    const modelRoot = `${LLM.experiment}/${LLM.run}/artifacts/model`;
    const expected = await proxiedTree(rig, modelRoot);
    const weights = /GET .*mlflow-artifacts\/artifacts\/.*\/weights\/adapter_model\.bin/;
    const cutAfter = 2 * MiB;
    proxy.setRules([{ mode: 'stall', match: weights, limit: 1, cutAfter }]);
    const source = new ProxiedArtifactSource(rigClient(rig, `${proxy.url}/mlflow/`), modelRoot);
    const files = await source.list();
    assert.equal(files.find((f) => f.path.endsWith('adapter_model.bin'))?.size, 3 * MiB, 'the scenario’s 3 MiB weights');
    const work = path.join(root, 'stall');
    await fs.mkdir(path.join(work, 'artifacts'), { recursive: true });
    const archive = path.join(work, 'model.tar.gz');
    let archived = 0;
    let archivedAtStall: number | undefined;
    let compressedAtStall = 0;
    await downloadAndArchive(source, files, { cwd: work, folder: 'artifacts', archive }, {
      concurrency: 4,
      threads: 2,
      blockSize: 256 * 1024,
      idleTimeoutMs: 1500,
      retryDelayMs: 10,
      onArchiveBytes: (d) => (archived += d),
      log: (line) => {
        if (/^Retrying artifacts\/weights\/adapter_model\.bin from byte 2097152/.test(line) && archivedAtStall === undefined) {
          archivedAtStall = archived;
          compressedAtStall = existsSync(archive) ? statSync(archive).size : 0;
        }
      },
    });
    assert.ok(archivedAtStall !== undefined, 'the weights stalled at 2 MiB and were resumed from there');
    // Before the stall ends, the archive has read the 2 MiB that arrived (less at most the gzip's
    // blocks being filled) and written compressed output for them: compression ran meanwhile.
    assert.ok(archivedAtStall >= cutAfter - 512 * 1024, `tar bytes compressed at the stall: ${archivedAtStall}`);
    assert.ok(archivedAtStall < archived - MiB, `…and not the whole archive (${archived})`);
    assert.ok(compressedAtStall > MiB, `model.tar.gz had ${compressedAtStall} bytes at the stall`);
    const unpacked = await unpackThreeWays(archive);
    assertSameTree(unpacked.gnu, expected, 'GNU tar after the stall');
    assertSameTree(unpacked.python, expected, 'Python tarfile after the stall');
    assert.deepEqual(openUnder(work), []);
  });

  it('the same files in any listing order give the same archive order: folders first, then their contents, names sorted', async () => {
    const files = await new LocalSource(modelDir).list();
    const names = (entries: ReturnType<typeof archiveOrder>) => entries.map((e) => (e.kind === 'folder' ? `${e.name}/` : e.name));
    const first = names(archiveOrder(files, 'artifacts'));
    for (let i = 0; i < 5; i++) {
      const shuffled = [...files].sort(() => Math.random() - 0.5);
      assert.deepEqual(names(archiveOrder(shuffled, 'artifacts')), first);
    }
    assert.deepEqual(first, archiveOrderOf(first));
    assert.equal(first.length, TREE.size + 6, 'every file and the folders artifacts/, artifacts/artifacts/, …/weights/, b/, b/a/, 日本語/');
    // The biggest file is fetched first, the rest in archive order.
    const order = downloadOrder(archiveOrder(files, 'artifacts')).map((f) => f.path);
    assert.equal(order[0], 'artifacts/weights/shard-2.bin');
    assert.deepEqual(order.slice(1), first.filter((n) => !n.endsWith('/') && n !== 'artifacts/artifacts/weights/shard-2.bin').map((n) => n.slice('artifacts/'.length)));
  });

  it('streams the same entries, in the same order, as the archive of the finished folder, and the same bytes', async () => {
    const source = new LocalSource(modelDir);
    const { work, archive } = await exportFolder(source, await source.list(), 'same');
    const streamed = await unpackThreeWays(archive);
    const fromDisk = path.join(root, 'from-disk.tar.gz');
    await writeArchive(work, 'artifacts', fromDisk, { threads: 2 });
    assert.deepEqual(streamed.entries, (await unpackThreeWays(fromDisk)).entries);
    for (const way of ['gnu', 'python', 'npm'] as const) assertSameTree(streamed[way], TREE, way);
    assert.deepEqual(openUnder(work), []);
  });

  it('files the listing gives no size for are archived once they are complete', async () => {
    const local = new LocalSource(modelDir);
    const unsized: FileSource = { route: 'local', location: modelDir, list: async () => (await local.list()).map((f) => ({ path: f.path })), open: (f, start) => local.open(f, start) };
    const { archive } = await exportFolder(unsized, await unsized.list(), 'unsized');
    const unpacked = await unpackThreeWays(archive);
    assertSameTree(unpacked.gnu, TREE, 'GNU tar');
    assertSameTree(unpacked.npm, TREE, 'npm tar');
  });

  it('a download that fails its checksum stops the archive: the integrity error is thrown and nothing stays open', async () => {
    const local = new LocalSource(modelDir);
    const files = (await local.list()).map((f) => (f.path === 'zeta.bin' ? { ...f, md5: createHash('md5').update('other bytes').digest('hex') } : f));
    const work = path.join(root, 'integrity');
    await assert.rejects(exportFolder(local, files, 'integrity'), (e: unknown) => e instanceof ExportError && e.kind === 'integrity' && /zeta\.bin does not match the checksum/.test(e.userMessage));
    assert.deepEqual(openUnder(work), []);
  });

  it('an archive that cannot be written stops the downloads at once: its own error, not an abort, and nothing stays open', async () => {
    const local = new LocalSource(modelDir);
    let opened = 0;
    // Each file is slow to start, so the downloads are surely under way when the archive fails.
    const slow: FileSource = { ...local, route: 'local', location: modelDir, list: () => local.list(), open: async (f, start) => (opened++, await new Promise((r) => setTimeout(r, 200)), local.open(f, start)) };
    const work = path.join(root, 'no-archive');
    await fs.mkdir(path.join(work, 'artifacts'), { recursive: true });
    const started = Date.now();
    await assert.rejects(
      downloadAndArchive(slow, await slow.list(), { cwd: work, folder: 'artifacts', archive: path.join(work, 'missing-folder', 'model.tar.gz') }, { concurrency: 2, threads: 2 }),
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
    );
    assert.ok(Date.now() - started < 1000, `stopped at once (${Date.now() - started} ms)`);
    assert.ok(opened < TREE.size, `not every file was fetched (${opened} of ${TREE.size})`);
    assert.deepEqual(openUnder(work), []);
  });
});
