// What installing MLWF costs every window before the user does anything: the size of what ships,
// and the time Node takes to load (read, compile, evaluate) the host bundle cold, in a fresh
// process each sample, as the extension host does once per window. Side by side: an empty module
// (the floor of any extension) and the heavy libraries that must NOT be in that bundle, loaded
// the same way, to show what lazy loading saves. Run `npm run build -- --production` first for
// the figures users get (the bench says which build it measured).
import { existsSync, readdirSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOnce } from './bundleLoader';
import { median, row } from './stats';

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

async function loadMedian(target: string): Promise<{ ms: number; files: string[] }> {
  const samples: number[] = [];
  let files: string[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const r = await loadOnce(target);
    if (i > 0) samples.push(r.ms); // the first warms the OS file cache, as a second window would find it
    files = r.files;
  }
  return { ms: median(samples), files };
}

function kib(file: string): string {
  return `${(statSync(file).size / 1024).toFixed(0)} KiB`;
}

async function main(): Promise<void> {
  const host = path.join(DIST, 'extension.js');
  if (!existsSync(host)) throw new Error('dist/extension.js is missing: run npm run build first');
  const production = !existsSync(`${host}.map`);
  console.log(`\nWhat ships (${production ? 'production build' : 'development build: run `npm run build -- --production` for shipped figures'})`);
  const widths = [44, 12];
  console.log(row(['file', 'size'], widths));
  const shipped = [host, ...['vendor', 'webview'].flatMap((d) => (existsSync(path.join(DIST, d)) ? readdirSync(path.join(DIST, d)).filter((f) => f.endsWith('.js')).map((f) => path.join(DIST, d, f)) : []))];
  for (const f of shipped) console.log(row([path.relative(ROOT, f), kib(f)], widths));
  const vsix = path.join(ROOT, 'dist-vsix', 'mlwf.vsix');
  if (existsSync(vsix)) console.log(row(['dist-vsix/mlwf.vsix (everything, zipped)', kib(vsix)], widths));

  const empty = mkdtempSync(path.join(os.tmpdir(), 'mlwf-bench-'));
  const emptyModule = path.join(empty, 'empty.js');
  writeFileSync(emptyModule, 'module.exports = {};\n');
  try {
    const ours = await loadMedian(host);
    const floor = await loadMedian(emptyModule);
    const out = [row(['cold load in a fresh Node (median)', 'ms', 'vs empty module'], [44, 12, 16])];
    out.push(row(['dist/extension.js (what activation loads)', ours.ms.toFixed(1), `+${(ours.ms - floor.ms).toFixed(1)} ms`], [44, 12, 16]));
    out.push(row(['an empty module (the floor)', floor.ms.toFixed(1), '—'], [44, 12, 16]));
    for (const heavy of ['@aws-sdk/client-s3', 'echarts']) {
      let resolved: string | undefined;
      try {
        resolved = require.resolve(heavy, { paths: [ROOT] });
      } catch {
        continue; // not a dependency (yet)
      }
      const r = await loadMedian(resolved);
      out.push(row([`${heavy} alone (kept out of activation)`, r.ms.toFixed(1), `+${(r.ms - floor.ms).toFixed(1)} ms`], [44, 12, 16]));
    }
    console.log(`\nLoading the host bundle (${RUNS} fresh processes each)`);
    console.log(out.join('\n'));
    const extra = ours.files.filter((f) => f !== host);
    console.log(`files loaded with the bundle: ${extra.length === 0 ? 'none besides it (vendor code and webviews load on first use)' : extra.map((f) => path.relative(ROOT, f)).join(', ')}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
