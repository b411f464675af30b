// Shared by the export tests: the expected bytes of a model (read straight from the server's
// REST API with plain fetch, not through the code under test), trees on disk, unpacking an
// archive with GNU tar, Python's tarfile and npm tar, and seeding S3.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { MlflowClient } from '../../../src/core/mlflow';
import type { Rig } from '../../servers/rig';

export type Tree = Map<string, Buffer>;

export const WINE = { name: 'ElasticnetWineModel', version: '1', run: 'fdc0413dbe594808a9e7f4ac1b68800c', experiment: '1' };
export const LLM = { name: 'Cerebras-GPT-590M', version: '2', run: 'dcc3e2fd33314388a51eb3cfadb16bd5', experiment: '2' };

export function rigClient(rig: Rig, trackingUri = rig.trackingUri): MlflowClient {
  return new MlflowClient({
    trackingUri,
    auth: { kind: 'basic', username: rig.username, password: rig.password },
    timeoutMs: 10_000,
    retry: { limit: 3, backoff: { initialDelayMs: 10, maxDelayMs: 50 } },
  });
}

/** Every file under `mlflow-artifacts:/<root>`, fetched with plain HTTP. */
export async function proxiedTree(rig: Rig, root: string): Promise<Tree> {
  const auth = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
  const base = `${rig.trackingUri}api/2.0/mlflow-artifacts/artifacts`;
  const out: Tree = new Map();
  const walk = async (rel: string): Promise<void> => {
    const res = await fetch(`${base}?path=${encodeURIComponent([root, rel].filter(Boolean).join('/'))}`, { headers: { authorization: auth } });
    const { files = [] } = (await res.json()) as { files?: Array<{ path: string; is_dir: boolean }> };
    for (const f of files) {
      const child = rel ? `${rel}/${f.path}` : f.path;
      if (f.is_dir) await walk(child);
      else {
        const file = await fetch(`${base}/${[root, child].join('/')}`, { headers: { authorization: auth } });
        out.set(child, Buffer.from(await file.arrayBuffer()));
      }
    }
  };
  await walk('');
  return out;
}

export async function readTree(dir: string): Promise<Tree> {
  const out: Tree = new Map();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out.set(child, await fs.readFile(path.join(dir, child)));
    }
  };
  await walk('');
  return out;
}

export async function writeTree(dir: string, tree: Tree): Promise<void> {
  for (const [rel, bytes] of tree) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), bytes);
  }
}

export function assertSameTree(actual: Tree, expected: Tree, what: string): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${what}: same file list`);
  for (const [rel, bytes] of expected) assert.ok(actual.get(rel)!.equals(bytes), `${what}: ${rel} has the same bytes`);
}

/** The archive unpacked three ways; each tree is what was under `artifacts/`. */
export async function unpackThreeWays(archive: string): Promise<{ gnu: Tree; python: Tree; npm: Tree; entries: string[] }> {
  const work = mkdtempSync(path.join(tmpdir(), 'mlwf-unpack-'));
  try {
    const dirs = { gnu: path.join(work, 'gnu'), python: path.join(work, 'python'), npm: path.join(work, 'npm') };
    for (const d of Object.values(dirs)) await fs.mkdir(d);
    const gnu = spawnSync('tar', ['-xzf', archive, '-C', dirs.gnu], { encoding: 'utf8' });
    assert.equal(gnu.status, 0, `GNU tar: ${gnu.stderr}`);
    const py = spawnSync(
      'python3',
      ['-c', 'import sys, tarfile\nwith tarfile.open(sys.argv[1], "r:gz") as t:\n  t.extractall(sys.argv[2], filter="data") if hasattr(tarfile, "data_filter") else t.extractall(sys.argv[2])', archive, dirs.python],
      { encoding: 'utf8' },
    );
    assert.equal(py.status, 0, `Python tarfile: ${py.stderr}`);
    await tar.x({ file: archive, cwd: dirs.npm });
    const list = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    return {
      gnu: await readTree(path.join(dirs.gnu, 'artifacts')),
      python: await readTree(path.join(dirs.python, 'artifacts')),
      npm: await readTree(path.join(dirs.npm, 'artifacts')),
      entries: list.stdout.trim().split('\n'),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

export async function seedS3(endpoint: string, bucket: string, prefix: string, tree: Tree): Promise<void> {
  const s3 = s3ClientFor(endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  for (const [rel, bytes] of tree) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${rel}`, Body: bytes }));
  s3.destroy();
}

/**
 * Entry names (`tar -t` style, folders ending in `/`) in the order a sorted walk gives: each
 * folder, then its contents, names compared segment by segment. Written here independently of
 * the code under test, to check the archive's order against.
 */
export function archiveOrderOf(entries: readonly string[]): string[] {
  const key = (e: string) => e.replace(/\/$/, '').split('/');
  return [...entries].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  });
}

/** Names in `dir` (a clean output folder must end empty after a failed export). */
export async function entriesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}
