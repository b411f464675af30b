// Unpacking a model package never writes outside its folder: crafted archives with `..`, absolute
// paths, symbolic and hard links or devices are refused whole, and nothing is left behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { createImageFolder, IMAGE_FOLDER_PREFIX } from '../../src/core/container/createImageFolder';
import { placeModel } from '../../src/core/container/modelSource';
import { UnsafeArchiveError, safeUnpack } from '../../src/core/container/safeUnpack';
import { PROFILES } from '../../src/core/container/siteProfiles';
import { FIXTURES } from './container-helpers';

type Entry = { path: string; type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice'; body?: string; linkpath?: string };

/** A tar.gz written header by header, so it can hold what no well-behaved tar would write. */
function craftArchive(file: string, entries: Entry[]): void {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const header = new tar.Header({ path: e.path, type: e.type ?? 'File', size: e.type && e.type !== 'File' ? 0 : body.length, mode: 0o644, mtime: new Date(0), linkpath: e.linkpath ?? '', uid: 0, gid: 0 });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (!e.type || e.type === 'File') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  writeFileSync(file, gzipSync(Buffer.concat(blocks)));
}

describe('safe unpacking of model packages', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(tmpdir(), 'mlwf-unpack-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const ok: Entry[] = [{ path: 'MLmodel', body: 'flavors: {}\n' }];
  // An absolute target that would exist only if the archive escaped (computed, not a fixed path).
  const absoluteTarget = path.join(tmpdir(), `mlwf-escaped-${process.pid}.txt`);
  const cases: [string, Entry[], RegExp][] = [
    ['a ../ traversal', [...ok, { path: '../escaped.txt', body: 'x' }], /climbs out/],
    ['a nested traversal', [...ok, { path: 'artifacts/../../escaped.txt', body: 'x' }], /climbs out/],
    ['an absolute path', [...ok, { path: absoluteTarget, body: 'x' }], /is absolute/],
    ['a symbolic link', [...ok, { path: 'weights', type: 'SymbolicLink', linkpath: '/etc' }], /SymbolicLink entry/],
    ['a link then a file through it', [{ path: 'dir', type: 'SymbolicLink', linkpath: '..' }, { path: 'dir/escaped.txt', body: 'x' }], /SymbolicLink entry/],
    ['a hard link', [...ok, { path: 'passwd', type: 'Link', linkpath: '/etc/passwd' }], /Link entry/],
    ['a device', [...ok, { path: 'dev', type: 'CharacterDevice' }], /CharacterDevice entry/],
  ];
  for (const [what, entries, reason] of cases) {
    it(`refuses ${what} and writes nothing`, async () => {
      const archive = path.join(tmp, `${what.replace(/\W+/g, '-')}.tar.gz`);
      craftArchive(archive, entries);
      const target = path.join(tmp, `out-${what.replace(/\W+/g, '-')}`, 'model');
      await assert.rejects(safeUnpack(archive, target), (e: unknown) => e instanceof UnsafeArchiveError && reason.test(e.message));
      assert.equal(existsSync(target), false, 'no model folder was created');
      assert.equal(existsSync(path.join(tmp, 'escaped.txt')), false);
      assert.equal(existsSync(absoluteTarget), false);
    });
  }

  it('refuses what is not a tar archive', async () => {
    const bogus = path.join(tmp, 'bogus.tar.gz');
    writeFileSync(bogus, gzipSync(Buffer.from('not a tar archive at all, just text that is long enough '.repeat(20))));
    await assert.rejects(safeUnpack(bogus, path.join(tmp, 'bogus-out')), UnsafeArchiveError);
  });

  it('unpacks a model.tar.gz (entries relative to artifacts/) to the same bytes, nested weights included', async () => {
    const src = path.join(FIXTURES, 'llm-lora', 'artifacts');
    const archive = path.join(tmp, 'model.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: src, portable: true }, readdirSync(src));
    const target = path.join(tmp, 'llm-model');
    await placeModel(archive, target);
    for (const rel of ['MLmodel', 'artifacts/weights/lora/adapter_model.safetensors', 'artifacts/tokenizer/tokenizer.json', 'metadata/requirements.txt']) {
      assert.ok(readFileSync(path.join(target, rel)).equals(readFileSync(path.join(src, rel))), rel);
    }
  });

  it('finds the model inside a single top folder of an archive', async () => {
    const archive = path.join(tmp, 'wrapped.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: path.join(FIXTURES, 'sklearn-wine'), portable: true }, ['artifacts']);
    const target = path.join(tmp, 'wrapped-model');
    await placeModel(archive, target);
    assert.ok(existsSync(path.join(target, 'MLmodel')));
  });

  it('refuses a model folder holding a symbolic link', async () => {
    const dir = path.join(tmp, 'linked');
    cpSync(path.join(FIXTURES, 'sklearn-wine', 'artifacts'), dir, { recursive: true });
    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    await assert.rejects(placeModel(dir, path.join(tmp, 'linked-out')), (e: unknown) => e instanceof UnsafeArchiveError && /symbolic link/.test(e.message));
  });

  it('leaves no MLWFCreateImage_ folder behind when the package is refused or the user cancels', async () => {
    const out = mkdtempSync(path.join(tmp, 'out-'));
    const bad = path.join(tmp, 'bad.tar.gz');
    craftArchive(bad, [...ok, { path: '../x', body: 'x' }]);
    const common = { outputDir: out, profile: PROFILES.generic, job: { group: '', resource: '', walltime: '' } };
    await assert.rejects(createImageFolder({ ...common, source: bad, chooseBaseImage: async (_s, d) => d }), UnsafeArchiveError);
    await assert.rejects(createImageFolder({ ...common, source: path.join(FIXTURES, 'sklearn-wine'), chooseBaseImage: async () => undefined }), /Cancelled/);
    assert.deepEqual(readdirSync(out), []);
    const made = await createImageFolder({ ...common, source: path.join(FIXTURES, 'sklearn-wine'), chooseBaseImage: async (_s, d) => d, now: new Date(2026, 0, 2, 3, 4, 5) });
    assert.equal(path.basename(made.folder), `${IMAGE_FOLDER_PREFIX}20260102030405`);
    assert.deepEqual(readdirSync(made.folder).sort(), ['Dockerfile', 'Singularity', 'build.sh', 'model', 'serve.sh']);
    const again = await createImageFolder({ ...common, source: path.join(FIXTURES, 'sklearn-wine'), chooseBaseImage: async (_s, d) => d, now: new Date(2026, 0, 2, 3, 4, 5) });
    assert.equal(path.basename(again.folder), `${IMAGE_FOLDER_PREFIX}20260102030405_2`, 'never overwrites');
  });
});
