// Upload of a model.tar.gz (default 1 GiB; MLWF_BENCH_UPLOAD_MIB) to the S3-compatible test
// server (moto) on 127.0.0.1, side by side with what a user does by hand on the same server:
//   - MLWF: src/core/upload (lib-storage multipart, 8 MiB parts, 4 at a time, like aws-cli);
//   - `aws s3 cp` (aws-cli's defaults: 8 MiB parts, 10 threads) and `s3cmd put` when installed;
//   - one plain Node HTTP PUT of the whole file (streamed, unsigned: moto accepts it): the
//     loopback limit of this server.
// Prints medians of wall time, ratios, and MLWF's peak RSS, which is bounded by part size ×
// parallelism (plus the runtime), not by the file size. MLWF_BENCH_UPLOAD_ROUNDS (default 3),
// MLWF_BENCH_UPLOAD_QUEUE (parts at a time, default 4 as mlwf.s3.parallelism).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
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
const ROUNDS = Number(process.env.MLWF_BENCH_UPLOAD_ROUNDS ?? 3);
const PART_MIB = 8;
const QUEUE = Number(process.env.MLWF_BENCH_UPLOAD_QUEUE ?? 4);
const BUCKET = 'bench-upload';

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve({ ms, stderr });
      else reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-500)}`));
    });
  });
}

function plainPut(port: number, key: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/${BUCKET}/${key}`, headers: { 'content-length': statSync(file).size } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`PUT ${res.statusCode}`))));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

async function main(): Promise<void> {
  const moto = findMotoServer();
  if (!moto) {
    console.log('moto_server is not installed: upload benchmark skipped');
    return;
  }
  mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, `model-${SIZE_MIB}.tar.gz`);
  // Random bytes: a gzip archive does not compress further, and nothing on the way can shortcut them.
  const chunk = randomBytes(16 * MiB);
  writeFileSync(file, Buffer.alloc(0));
  for (let i = 0; i < SIZE_MIB / 16; i++) writeFileSync(file, chunk, { flag: 'a' });
  const server = await startMoto(moto);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
  const s3cfg = path.join(WORK, 's3cfg');
  writeFileSync(s3cfg, `[default]\naccess_key = testing\nsecret_key = testing\nhost_base = 127.0.0.1:${server.port}\nhost_bucket = 127.0.0.1:${server.port}\nuse_https = False\nmultipart_chunk_size_mb = ${PART_MIB}\n`);
  try {
    const client = await createS3Client({ settings: resolveS3Settings({ endpoint: server.endpoint, region: 'us-east-1' }, {}), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createBucket(client, BUCKET, 'us-east-1');
    const { s3 } = await loadAwsSdk();
    // Each round's objects are deleted after it, so the server's store stays one file deep.
    const remove = (key: string) => client.send(new s3.DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const peers = { aws: has('aws'), s3cmd: has('s3cmd') };
    console.log(`Upload of ${SIZE_MIB} MiB to moto on 127.0.0.1, ${ROUNDS} rounds; MLWF parts ${PART_MIB} MiB × ${QUEUE}; aws-cli ${peers.aws ? 'yes' : 'not installed'}, s3cmd ${peers.s3cmd ? 'yes' : 'not installed'}`);
    const r = { mlwf: [] as number[], rss: [] as number[], aws: [] as number[], s3cmd: [] as number[], put: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const m = await timed(process.execPath, ['--require', path.join(__dirname, 'maxRss.cjs'), '--import', 'tsx', path.join(__dirname, 'uploadOnce.ts'), server.endpoint, BUCKET, `mlwf/${i}.tar.gz`, file, String(PART_MIB), String(QUEUE)], env);
      r.mlwf.push(m.ms);
      r.rss.push(Number(/MAXRSS_KIB (\d+)/.exec(m.stderr)?.[1]) / 1024);
      if (peers.aws) r.aws.push((await timed('aws', ['--endpoint-url', server.endpoint, 's3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/aws/${i}.tar.gz`], env)).ms);
      if (peers.s3cmd) r.s3cmd.push((await timed('s3cmd', ['-c', s3cfg, '--no-progress', 'put', file, `s3://${BUCKET}/s3cmd/${i}.tar.gz`], env)).ms);
      r.put.push(await plainPut(server.port, `put/${i}.tar.gz`, file));
      for (const key of [`mlwf/${i}.tar.gz`, `aws/${i}.tar.gz`, `s3cmd/${i}.tar.gz`, `put/${i}.tar.gz`]) await remove(key);
      console.log(`  round ${i + 1}/${ROUNDS}: MLWF ${(r.mlwf[i]! / 1000).toFixed(1)} s (RSS ${r.rss[i]!.toFixed(0)} MiB)${peers.aws ? `, aws s3 cp ${(r.aws[i]! / 1000).toFixed(1)} s` : ''}${peers.s3cmd ? `, s3cmd ${(r.s3cmd[i]! / 1000).toFixed(1)} s` : ''}, plain PUT ${(r.put[i]! / 1000).toFixed(1)} s`);
    }
    const mlwf = median(r.mlwf);
    const w = [34, 14, 14, 16];
    console.log(row(['', 'median s', 'MiB/s', 'MLWF ÷ this'], w));
    const line = (name: string, ms: number) => console.log(row([name, (ms / 1000).toFixed(2), (SIZE_MIB / (ms / 1000)).toFixed(0), (mlwf / ms).toFixed(2)], w));
    line(`MLWF (lib-storage, ${PART_MIB} MiB × ${QUEUE})`, mlwf);
    if (peers.aws) line('aws s3 cp', median(r.aws));
    if (peers.s3cmd) line('s3cmd put', median(r.s3cmd));
    line('plain Node PUT (loopback limit)', median(r.put));
    console.log(`MLWF peak RSS: median ${median(r.rss).toFixed(0)} MiB for a ${SIZE_MIB} MiB file; parts in memory at most ${PART_MIB} MiB × ${QUEUE} = ${PART_MIB * QUEUE} MiB plus the runtime`);
    client.destroy();
  } finally {
    await server.stop();
    rmSync(file, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
