// Export of a 2 GiB model version (one 1.6 GiB weights file + 200 files of 2 MiB) from the test
// server behind nginx, side by side with what a user does by hand on the same data:
//   - MLWF: the `mlwf-export` CLI (dist/cli, the same pipeline as the editor command);
//   - curl (4 downloads at once, like MLWF's default) + GNU `tar czf`;
//   - curl + `tar cf - | pigz` (every core: the limit of this machine).
// Prints medians of wall time, the ratios, and MLWF's peak RSS at this size and at 1/8 of it
// (it must not grow with the model). Weights are float32 values that compress like real ones
// (a few per cent). MLWF_BENCH_EXPORT_ROUNDS (default 3), MLWF_BENCH_EXPORT_SCALE (default 1).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, promises as fs, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { median, row } from './stats';
import { startRigProcess, type RigProcess } from './rigProcess';

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(REPO, '.cache', 'bench-export');
const ROUNDS = Number(process.env.MLWF_BENCH_EXPORT_ROUNDS ?? 3);
const SCALE = Number(process.env.MLWF_BENCH_EXPORT_SCALE ?? 1);
const MiB = 1024 * 1024;
const EXPERIMENT = '900';
const RUN = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';

/** float32 "weights": normal-ish values (sum of uniforms), which deflate shrinks by a few per cent like real fp32 weights. */
async function makeWeights(file: string, bytes: number): Promise<void> {
  if (existsSync(file) && statSync(file).size === bytes) return;
  const out = createWriteStream(file);
  let state = 0x12345678;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  const chunk = new Float32Array((16 * MiB) / 4);
  for (let written = 0; written < bytes; written += chunk.byteLength) {
    for (let i = 0; i < chunk.length; i++) chunk[i] = (next() + next() + next() - 1.5) * 0.05;
    const buf = Buffer.from(chunk.buffer, 0, Math.min(chunk.byteLength, bytes - written));
    if (!out.write(Buffer.from(buf))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function scenario(weightsFile: string, weightsBytes: number, smallFiles: number, smallBytes: number): object {
  const artifacts: Record<string, object> = {
    'model/MLmodel': { text: 'artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n    python_version: 3.11.2\nmlflow_version: 2.14.3\n' },
    'model/artifacts/weights/model.safetensors': { file: weightsFile },
  };
  for (let i = 0; i < smallFiles; i++) artifacts[`model/artifacts/tokenizer/part-${String(i).padStart(3, '0')}.bin`] = { generated: { size: smallBytes, seed: i + 1 } };
  return {
    experiments: [{ experiment_id: EXPERIMENT, name: 'bench', runs: [{ run_id: RUN, start_time: 1795345697894, artifacts }] }],
    registeredModels: [{ name: 'BigModel', creation_timestamp: 1795345697894, versions: [{ version: '1', creation_timestamp: 1795345697894, source: `mlflow-artifacts:/${EXPERIMENT}/${RUN}/artifacts/model`, run_id: RUN }] }],
    _weightsBytes: weightsBytes,
  };
}

/** Runs a command, resolves with wall milliseconds; stderr is returned for the RSS line. */
function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; shell?: boolean } = {}): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'], shell: opts.shell });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.stdin ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve({ ms, stderr });
      else reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-500)}`));
    });
  });
}

interface Listing {
  files: Array<{ path: string }>;
}

/** The curl peer: one curl, 4 transfers at once, credentials in a config on stdin (never on the command line). */
async function curlDownload(rig: RigProcess, paths: string[], dir: string): Promise<number> {
  const base = `${rig.trackingUri}api/2.0/mlflow-artifacts/artifacts/${EXPERIMENT}/${RUN}/artifacts/model`;
  const config = [`user = "${rig.username}:${rig.password}"`, 'create-dirs', ...paths.flatMap((p) => [`url = "${base}/${p}"`, `output = "${path.join(dir, p)}"`])].join('\n');
  return (await timed('curl', ['-sf', '--parallel', '--parallel-max', '4', '-K', '-'], { stdin: config })).ms;
}

async function listFiles(rig: RigProcess): Promise<string[]> {
  const auth = `Basic ${Buffer.from(`${rig.username}:${rig.password}`).toString('base64')}`;
  const out: string[] = [];
  const walk = async (rel: string) => {
    const res = await fetch(`${rig.trackingUri}api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${EXPERIMENT}/${RUN}/artifacts/model${rel ? `/${rel}` : ''}`)}`, { headers: { authorization: auth } });
    const body = (await res.json()) as Listing & { files: Array<{ path: string; is_dir: boolean }> };
    for (const f of body.files) {
      const child = rel ? `${rel}/${f.path}` : f.path;
      if (f.is_dir) await walk(child);
      else out.push(child);
    }
  };
  await walk('');
  return out;
}

async function mlwfExport(rig: RigProcess, outDir: string): Promise<{ ms: number; rssMiB: number }> {
  const cli = path.join(REPO, 'dist', 'cli', 'mlwf-export.js');
  const env = { ...process.env, MLFLOW_TRACKING_USERNAME: rig.username, MLFLOW_TRACKING_PASSWORD: rig.password };
  const { ms, stderr } = await timed(process.execPath, ['--require', path.join(__dirname, 'maxRss.cjs'), cli, '--model-registry-url', rig.trackingUri, '--model-name', 'BigModel', '--model-version', '1', '--output', outDir, '--quiet'], { env });
  const kib = Number(/MAXRSS_KIB (\d+)/.exec(stderr)?.[1]);
  return { ms, rssMiB: kib / 1024 };
}

async function measure(rig: RigProcess, rounds: number) {
  const paths = await listFiles(rig);
  const results = { mlwf: [] as number[], rss: [] as number[], czf: [] as number[], pigz: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const dir = path.join(WORK, `round-${r}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const m = await mlwfExport(rig, dir);
    results.mlwf.push(m.ms);
    results.rss.push(m.rssMiB);
    rmSync(dir, { recursive: true, force: true });
    for (const peer of ['czf', 'pigz'] as const) {
      mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
      const download = await curlDownload(rig, paths, path.join(dir, 'artifacts'));
      const pack = peer === 'czf' ? await timed('tar', ['czf', 'model.tar.gz', 'artifacts'], { cwd: dir }) : await timed('sh', ['-c', 'tar cf - artifacts | pigz > model.tar.gz'], { cwd: dir });
      results[peer].push(download + pack.ms);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`  round ${r + 1}/${rounds}: MLWF ${(results.mlwf[r]! / 1000).toFixed(1)} s (RSS ${results.rss[r]!.toFixed(0)} MiB), curl + tar czf ${(results.czf[r]! / 1000).toFixed(1)} s, curl + tar | pigz ${(results.pigz[r]! / 1000).toFixed(1)} s`);
  }
  return results;
}

async function withRig<T>(weightsBytes: number, smallFiles: number, smallBytes: number, body: (rig: RigProcess) => Promise<T>): Promise<T> {
  const weights = path.join(WORK, `weights-${weightsBytes}.bin`);
  await makeWeights(weights, weightsBytes);
  const file = path.join(WORK, `scenario-${weightsBytes}.json`);
  writeFileSync(file, JSON.stringify(scenario(weights, weightsBytes, smallFiles, smallBytes)));
  const rig = await startRigProcess({}, file);
  try {
    return await body(rig);
  } finally {
    await rig.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'mlwf-export.js'))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  for (const tool of ['curl', 'tar', 'pigz']) execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  mkdirSync(WORK, { recursive: true });
  const weightsBytes = Math.round(1638.4 * MiB * SCALE);
  const smallBytes = Math.round(2 * MiB * SCALE);
  const totalGiB = (weightsBytes + 200 * smallBytes) / 1024 ** 3;
  console.log(`Export of a ${totalGiB.toFixed(2)} GiB model version (weights ${(weightsBytes / MiB).toFixed(0)} MiB + 200 files), ${availableParallelism()} cores, ${ROUNDS} rounds`);

  const big = await withRig(weightsBytes, 200, smallBytes, (rig) => measure(rig, ROUNDS));
  console.log('RSS at 1/8 of the size:');
  const small = await withRig(Math.round(weightsBytes / 8), 200, Math.round(smallBytes / 8), (rig) => measure(rig, 1));

  const mlwf = median(big.mlwf);
  const czf = median(big.czf);
  const pigz = median(big.pigz);
  const w = [44, 12, 12];
  console.log(`\n${row(['work (medians)', 'seconds', 'MLWF ÷ it'], w)}`);
  console.log(row(['MLWF export (mlwf-export CLI)', mlwf / 1000, '1.00'], w));
  console.log(row(['curl + GNU tar czf (by hand)', czf / 1000, (mlwf / czf).toFixed(2)], w));
  console.log(row(['curl + tar cf - | pigz (every core, limit)', pigz / 1000, (mlwf / pigz).toFixed(2)], w));
  console.log(`MLWF peak RSS: ${median(big.rss).toFixed(0)} MiB at ${totalGiB.toFixed(2)} GiB, ${small.rss[0]!.toFixed(0)} MiB at ${(totalGiB / 8).toFixed(2)} GiB`);
  console.log(`goals: faster than curl + tar czf (${mlwf < czf ? 'met' : 'NOT met'}), within 1.3x of pigz (${mlwf <= 1.3 * pigz ? 'met' : 'NOT met'}), RSS under 200 MB (${median(big.rss) * 1.048576 < 200 ? 'met' : 'NOT met'})`);
  await fs.rm(path.join(WORK, 'round-0'), { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
