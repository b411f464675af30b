// Builds every bundle the extension ships or tests with:
//  - the extension host: one CommonJS bundle for Node, `vscode` external;
//  - one browser bundle per webview panel (webview/src/panels/<name>/main.ts);
//  - the in-host test suite and the test-electron launcher (not shipped; see .vscodeignore).
// `--production` minifies and drops source maps and tests; `--watch` rebuilds on change.
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

// On a fresh clone the npm packages are not there yet: say what to run instead of Node's
// "Cannot find package 'esbuild'".
const esbuild = await import('esbuild').catch(() => {
  console.error("esbuild is not installed: run 'npm ci' first (a fresh clone has no node_modules/).");
  process.exit(1);
});

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const filesIn = (dir, suffix) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)) : [];

const common = { bundle: true, logLevel: 'warning', sourcemap: !production, minify: production, legalComments: 'none' };

// undici (the TLS options' fetch) and the AWS SDK (Cloud Storage) are most of the host's code and
// most sessions never need them: the host bundle requires each from a file of its own, loaded only
// on first use (src/core/mlflow/transport.ts, src/core/s3/awsSdk.ts import them dynamically), so
// activation reads neither. bench/activation.bench.ts measures what activation loads.
const vendorApart = (dir) => ({
  name: 'vendor-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: `${dir}/undici.js`, external: true }));
    build.onResolve({ filter: /^@aws-sdk\/(client-s3|credential-providers|lib-storage)$/ }, () => ({ path: `${dir}/aws-sdk.js`, external: true }));
    // The SDK's ~/.aws file reader (the profile picker) ships in the same lazily loaded file.
    build.onResolve({ filter: /^@smithy\/core\/config$/ }, () => ({ path: `${dir}/aws-sdk.js`, external: true }));
  },
});

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    plugins: [vendorApart('./vendor')],
  },
  // mlwf-export, the export pipeline's command-line twin (a `bin` of the package).
  {
    ...common,
    entryPoints: { 'mlwf-export': 'src/cli/mlwfExport.ts' },
    outdir: 'dist/cli',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [vendorApart('../vendor')],
  },
  {
    ...common,
    entryPoints: { undici: 'node_modules/undici/index.js', 'aws-sdk': 'src/vendor/awsSdk.ts' },
    outdir: 'dist/vendor',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
  },
];

const panelsDir = 'webview/src/panels';
const panels = existsSync(panelsDir) ? readdirSync(panelsDir).filter((d) => existsSync(path.join(panelsDir, d, 'main.ts'))) : [];
if (panels.length > 0) {
  builds.push({
    ...common,
    entryPoints: Object.fromEntries(panels.map((p) => [p, path.join(panelsDir, p, 'main.ts')])),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Minified in every build (source maps kept outside production): the page's script is what
    // a new panel waits for, and in a remote window (code-server, Remote-SSH) it travels from
    // the remote host. The compare bundle is 2.7 MB as written and 1.0 MB minified.
    minify: true,
  });
}

if (!production) {
  builds.push({
    ...common,
    entryPoints: [...filesIn('test/suite', '.ts'), ...filesIn('test/electron', '.ts')],
    outdir: 'dist/test',
    outbase: 'test',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Test code loads mocha, glob and the test launcher from node_modules at run time.
    packages: 'external',
    external: ['vscode'],
  });
}

rmSync('dist', { recursive: true, force: true });
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli/mlwf-export.js', 0o755); // runnable as ./dist/cli/mlwf-export.js too
  console.log(`esbuild: ${builds.length} bundle group(s) in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
