// A full disk, for real: the export folder is on a small tmpfs. Whether the disk fills while the
// files download or while model.tar.gz is written, the export ends with one sentence that says
// the disk is full, and the tmpfs is left as empty as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportModelVersion, ExportError } from '../../src/core/export';
import { startRig, type Rig } from '../servers/rig';
import { LLM, proxiedTree, rigClient } from './helpers/exportFixtures';

const root = mkdtempSync(path.join(tmpdir(), 'mlwf-export-full-'));

function mountTmpfs(dir: string, bytes: number): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

const probe = path.join(root, 'probe');
const canMount = (() => {
  try {
    spawnSync('mkdir', ['-p', probe]);
    const ok = mountTmpfs(probe, 1 << 20);
    if (ok) spawnSync('umount', [probe]);
    return ok;
  } catch {
    return false;
  }
})();

describe('export onto a full disk', { skip: canMount ? false : 'mounting a tmpfs needs root (mount -t tmpfs), so the full-disk test is skipped' }, () => {
  let rig: Rig;
  let modelBytes = 0;
  before(async () => {
    rig = await startRig();
    modelBytes = [...(await proxiedTree(rig, `${LLM.experiment}/${LLM.run}/artifacts/model`)).values()].reduce((s, b) => s + b.length, 0);
  });
  after(async () => {
    await rig.stop();
    rmSync(root, { recursive: true, force: true });
  });

  for (const [when, size] of [
    ['while the files download', () => Math.floor(modelBytes / 2)],
    ['while model.tar.gz is written', () => modelBytes + 256 * 1024],
  ] as const) {
    it(`fills ${when}: one clear sentence, nothing left`, async () => {
      const disk = path.join(root, `disk-${size()}`);
      await fs.mkdir(disk);
      assert.ok(mountTmpfs(disk, size()), 'tmpfs mounted');
      try {
        let error: unknown;
        const phases = new Set<string>();
        await exportModelVersion({ client: rigClient(rig), name: LLM.name, version: LLM.version, outputDir: disk, onProgress: (p) => phases.add(p.phase) }).catch((e: unknown) => (error = e));
        assert.ok(error instanceof ExportError, String(error));
        assert.equal(error.kind, 'diskFull');
        assert.equal(error.userMessage, `The disk holding ${disk} is full, so the export stopped and nothing was left behind.`);
        assert.equal(phases.has('archiving'), when.includes('tar.gz'), [...phases].join(','));
        assert.deepEqual(await fs.readdir(disk), []);
      } finally {
        // A busy mount (a file still closing) refuses a plain umount for a moment: retry, then detach it.
        let unmounted = false;
        for (let i = 0; i < 20 && !unmounted; i++) {
          unmounted = spawnSync('umount', [disk]).status === 0;
          if (!unmounted) await new Promise((r) => setTimeout(r, 100));
        }
        if (!unmounted) {
          const { readdirSync, readlinkSync } = await import('node:fs');
          const open = readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } }).filter((l) => l.startsWith(disk));
          console.log('open on the disk:', open);
          spawnSync('umount', ['-l', disk]);
        }
        assert.ok(unmounted, 'nothing kept the full disk busy after the export failed');
      }
    });
  }
});
