// npm run bench: runs every *.bench.ts in this folder, one after another (never in parallel: the
// machine has two cores and the figures would disturb each other).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

// The benchmarks' peers (pigz, aws-cli, s3cmd) are Debian packages the tests do not need.
const deps = spawnSync('bash', [path.join(__dirname, '..', 'scripts', 'install-system-deps.sh'), '--bench'], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(1);

let failed = 0;
for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort()) {
  console.log(`\n### ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
