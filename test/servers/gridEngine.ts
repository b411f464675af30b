// The real one-node Grid Engine cell of scripts/gridengine.sh, for the Jobs suites. Under npm test
// the cell is started once (MLWF_GRIDENGINE / MLWF_GRIDENGINE_SKIP); a suite run alone starts it
// here (idempotent) and leaves it running for the next run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'gridengine.sh');

let cached: string | false | undefined;

/** Why the cell is not there (the suite skips with this line), or false when it runs. Throws when it should run but did not start. */
export function gridEngineSkipReason(): string | false {
  if (cached !== undefined) return cached;
  if (process.env.MLWF_GRIDENGINE_SKIP) return (cached = process.env.MLWF_GRIDENGINE_SKIP);
  if (process.env.MLWF_GRIDENGINE) return (cached = false);
  const r = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status === 3) return (cached = r.stdout.replace(/^skipped: /, '').trim() || 'Grid Engine cannot run here');
  if (r.status !== 0) throw new Error(`scripts/gridengine.sh start failed (${String(r.status)}):\n${r.stdout}${r.stderr}`);
  return (cached = false);
}
