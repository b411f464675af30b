// Upload of a model.tar.gz (default 1 GiB; MLWF_BENCH_UPLOAD_MIB) to the S3-compatible test
// server (moto) on 127.0.0.1, side by side in the same run with what a user does by hand on the
// same server, each contender in a process of its own (wall time and peak RSS from wait4):
//   - MLWF: src/core/upload (multipart, 8 MiB parts, 4 at a time: mlwf.s3.* defaults);
//   - Debian's `aws s3 cp` (/usr/bin/aws, never another `aws` earlier on PATH) with MLWF's part
//     size and parallelism, and with its own defaults (8 MiB parts, 10 at a time);
//   - Debian's `s3cmd put` (/usr/bin/s3cmd; 8 MiB parts, which it sends one at a time);
//   - one plain Node HTTP PUT of the whole file (streamed, unsigned: moto accepts it): the
//     loopback limit of this server.
// Contenders take turns within each round, in a rotated order, so the shared machine's load
// falls on all of them alike. Prints medians, ratios, peak RSS, and checks MLWF's memory bound:
// its peak RSS at the full size stays that of a 64 MiB upload (the runtime plus a few parts)
// within part size × parallelism, not growing with the file; the part buffers it holds
// (ArrayBuffer memory, sampled after every part) are printed as a multiple of that product.
// MLWF_BENCH_UPLOAD_ROUNDS (default 5: the shared machine moves single runs by 2×), MLWF_BENCH_UPLOAD_QUEUE (default 4, as mlwf.s3.parallelism).
// Keys: moto's dummy test keys, through the environment and temporary config files only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAwsSdk } from '../src/core/s3/awsSdk';
import { createS3Client } from '../src/core/s3/s3Client';
import { resolveS3Settings } from '../src/core/s3/s3Settings';
import { createBucket } from '../src/core/upload';
import { findMotoServer, startMoto } from '../test/servers/moto';
import { median, row } from './stats';

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(REPO, '.cache', 'bench-upload');
const MiB = 1024 * 1024;
const SIZE_MIB = Number(process.env.MLWF_BENCH_UPLOAD_MIB ?? 1024);
const ROUNDS = Number(process.env.MLWF_BENCH_UPLOAD_ROUNDS ?? 5);
const PART_MIB = 8;
const QUEUE = Number(process.env.MLWF_BENCH_UPLOAD_QUEUE ?? 4);
const BUCKET = 'bench-upload';
const AWS = '/usr/bin/aws';
const S3CMD = '/usr/bin/s3cmd';

interface Run {
  ms: number;
  rssMiB: number;
  /** The contender's own CPU time, user + system: what it takes from the server on a 2-core machine. */
  cpuS: number;
  /** MLWF only: the most ArrayBuffer memory (its parts) seen after any part. */
  partsMiB?: number;
}

/** One contender's run under bench/peakRss.py: wall time (includes its start-up) and peak RSS. */
function measured(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('python3', [path.join(__dirname, 'peakRss.py'), cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = /MAXRSS_KIB (\d+)/.exec(stderr);
      const parts = /PARTS_PEAK_KIB (\d+)/.exec(stderr);
      const cpu = /CPU_S ([\d.]+)/.exec(stderr);
      if (code === 0 && rss && cpu) resolve({ ms, rssMiB: Number(rss[1]) / 1024, cpuS: Number(cpu[1]), partsMiB: parts ? Number(parts[1]) / 1024 : undefined });
      else reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-500)}`));
    });
  });
}

function version(cmd: string, env: NodeJS.ProcessEnv): string {
  const out = spawnSync(cmd, ['--version'], { env, encoding: 'utf8' });
  return `${out.stdout}${out.stderr}`.trim().split('\n')[0] ?? '?';
}

async function main(): Promise<void> {
  const moto = findMotoServer();
  if (!moto) {
    console.log('moto_server is not installed: upload benchmark skipped');
    return;
  }
  mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, `model-${SIZE_MIB}.tar.gz`);
  const small = path.join(WORK, 'small.tar.gz');
  const SMALL_MIB = 64;
  // Random bytes: a gzip archive does not compress further, and nothing on the way can shortcut them.
  const chunk = randomBytes(16 * MiB);
  writeFileSync(file, Buffer.alloc(0));
  for (let i = 0; i < SIZE_MIB / 16; i++) writeFileSync(file, chunk, { flag: 'a' });
  writeFileSync(small, Buffer.concat(Array.from({ length: SMALL_MIB / 16 }, () => chunk)));
  const conf = mkdtempSync(path.join(tmpdir(), 'mlwf-bench-upload-'));
  const server = await startMoto(moto);
  // aws-cli: keys from the environment; its s3 transfer settings from a config file per variant.
  const awsEnv = (name: string, s3: string): NodeJS.ProcessEnv => {
    const config = path.join(conf, `aws-${name}`);
    writeFileSync(config, `[default]\nregion = us-east-1\n${s3 ? `s3 =\n${s3}` : ''}`);
    return { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(conf, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
  };
  const s3cfg = path.join(conf, 's3cfg');
  // Path style on the moto port, plain http; s3cmd's defaults otherwise (its parts go one at a time).
  writeFileSync(s3cfg, `[default]\naccess_key = testing\nsecret_key = testing\nhost_base = 127.0.0.1:${server.port}\nhost_bucket = 127.0.0.1:${server.port}\nuse_https = False\nmultipart_chunk_size_mb = ${PART_MIB}\n`);
  const env = { ...process.env };
  try {
    const client = await createS3Client({ settings: resolveS3Settings({ endpoint: server.endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createBucket(client, BUCKET, 'us-east-1');
    const { s3 } = await loadAwsSdk();
    const remove = (key: string) => client.send(new s3.DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const mlwfArgs = (key: string, f: string) => ['--import', 'tsx', path.join(__dirname, 'uploadOnce.ts'), server.endpoint, BUCKET, key, f, String(PART_MIB), String(QUEUE)];
    const awsSame = awsEnv('same', `  multipart_chunksize = ${PART_MIB}MB\n  max_concurrent_requests = ${QUEUE}\n`);
    const awsDefaults = awsEnv('defaults', '');
    type Contender = { name: string; short: string; run: (key: string) => Promise<Run> };
    const contenders: Contender[] = [{ name: `MLWF (${PART_MIB} MiB × ${QUEUE})`, short: 'MLWF', run: (key) => measured(process.execPath, mlwfArgs(key, file), env) }];
    const peers = { aws: existsSync(AWS), s3cmd: existsSync(S3CMD) };
    if (peers.aws) {
      contenders.push({ name: `aws s3 cp (${PART_MIB} MiB × ${QUEUE})`, short: `aws×${QUEUE}`, run: (key) => measured(AWS, ['--endpoint-url', server.endpoint, 's3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${key}`], awsSame) });
      contenders.push({ name: 'aws s3 cp (defaults: 8 MiB × 10)', short: 'aws×10', run: (key) => measured(AWS, ['--endpoint-url', server.endpoint, 's3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${key}`], awsDefaults) });
    }
    if (peers.s3cmd) contenders.push({ name: `s3cmd put (${PART_MIB} MiB × 1)`, short: 's3cmd', run: (key) => measured(S3CMD, ['-c', s3cfg, '--no-progress', '--quiet', 'put', file, `s3://${BUCKET}/${key}`], env) });
    contenders.push({ name: 'plain Node PUT (loopback limit)', short: 'PUT', run: (key) => measured(process.execPath, [path.join(__dirname, 'plainPutOnce.mjs'), String(server.port), `/${BUCKET}/${key}`, file], env) });

    console.log(`Upload of ${SIZE_MIB} MiB (random bytes) to moto on 127.0.0.1, ${ROUNDS} rounds, each contender in its own process`);
    console.log(`  ${peers.aws ? `${AWS}: ${version(AWS, awsDefaults)}` : `${AWS} not installed (scripts/install-system-deps.sh)`}`);
    console.log(`  ${peers.s3cmd ? `${S3CMD}: ${version(S3CMD, env)}` : `${S3CMD} not installed (scripts/install-system-deps.sh)`}`);
    // The same upload of a 64 MiB file: MLWF's peak RSS should not grow from there with the file.
    const base: number[] = [];
    for (let i = 0; i < 3; i++) {
      base.push((await measured(process.execPath, mlwfArgs(`base/${i}`, small), env)).rssMiB);
      await remove(`base/${i}`);
    }
    const results = contenders.map(() => [] as Run[]);
    for (let i = 0; i < ROUNDS; i++) {
      const parts: string[] = [];
      for (let j = 0; j < contenders.length; j++) {
        const c = (i + j) % contenders.length;
        const key = `c${c}/${i}.tar.gz`;
        const r = await contenders[c]!.run(key);
        results[c]!.push(r);
        // Each object is deleted at once, so the server's store stays one file deep.
        await remove(key);
        parts.push(`${contenders[c]!.short} ${(r.ms / 1000).toFixed(1)} s`);
      }
      console.log(`  round ${i + 1}/${ROUNDS}: ${parts.join(', ')}`);
    }
    const ms = results.map((rs) => median(rs.map((r) => r.ms)));
    const rss = results.map((rs) => median(rs.map((r) => r.rssMiB)));
    const cpu = results.map((rs) => median(rs.map((r) => r.cpuS)));
    const mlwf = ms[0]!;
    const w = [36, 10, 8, 14, 14, 12, 12];
    console.log(row(['', 'median s', 'MiB/s', 'MLWF ÷ this', 'peak RSS MiB', 'RSS ratio', 'client CPU s'], w));
    contenders.forEach((c, i) => console.log(row([c.name, (ms[i]! / 1000).toFixed(2), (SIZE_MIB / (ms[i]! / 1000)).toFixed(0), (mlwf / ms[i]!).toFixed(2), rss[i]!.toFixed(0), (rss[0]! / rss[i]!).toFixed(2), cpu[i]!.toFixed(2)], w)));
    const peerIdx = contenders.map((_, i) => i).filter((i) => i > 0 && contenders[i]!.short !== 'PUT');
    if (peerIdx.length) {
      const fastest = peerIdx.reduce((a, b) => (ms[b]! < ms[a]! ? b : a));
      console.log(`Fastest peer: ${contenders[fastest]!.name}; MLWF ÷ it = ${(mlwf / ms[fastest]!).toFixed(2)} (goal ≤ 1: ${mlwf <= ms[fastest]! ? 'met' : 'not met'})`);
    }
    // lib-storage keeps `parallelism` parts in flight and gathers the next one from the file's
    // chunks (Buffer.concat), and parts sent wait for the garbage collector: the sampled
    // ArrayBuffer figure is a small multiple of part size × parallelism, never of the file.
    const partsMax = Math.max(...results[0]!.map((r) => r.partsMiB ?? Infinity));
    const bound = PART_MIB * QUEUE;
    console.log(`MLWF part buffers (ArrayBuffer memory, sampled after every part, garbage included): at most ${partsMax.toFixed(1)} MiB over ${ROUNDS} rounds = ${(partsMax / bound).toFixed(1)} × part size × parallelism (${PART_MIB} MiB × ${QUEUE} = ${bound} MiB)`);
    const worst = Math.max(...results[0]!.map((r) => r.rssMiB));
    const growth = worst - median(base);
    console.log(`MLWF peak RSS: median ${median(base).toFixed(0)} MiB at ${SMALL_MIB} MiB, highest ${worst.toFixed(0)} MiB at ${SIZE_MIB} MiB: ${growth.toFixed(0)} MiB more for ${(SIZE_MIB / SMALL_MIB).toFixed(0)}× the file (bound: within part size × parallelism = ${bound} MiB, i.e. not growing with the file: ${growth <= bound ? 'holds' : 'EXCEEDED'})`);
    client.destroy();
  } finally {
    await server.stop();
    rmSync(file, { force: true });
    rmSync(small, { force: true });
    rmSync(conf, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
