/**
 * Starts both real MLflow servers (2.14.3, 3.6) behind nginx, filled by the real client, for every
 * suite of one `npm test` run:
 *
 *   node --import tsx test/servers/startRealMlflow.ts --write FILE
 *
 * Writes FILE (JSON `{ servers: RealServer[] }`, mode 0600: it holds the test password) when both
 * are ready, prints one line per server, and runs until SIGTERM/SIGINT, then stops them. Without
 * the kit it prints the reason on a line starting with "skipped:" and exits 3.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findKit, REAL_KITS, startRealMlflow, type OwnRealServer } from './realMlflow';

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { write: { type: 'string' } } });
  if (!values.write) throw new Error('usage: startRealMlflow.ts --write FILE');
  const found = findKit();
  if ('missing' in found) {
    process.stdout.write(`skipped: ${found.missing}\n`);
    process.exit(3);
  }
  const t0 = Date.now();
  const servers: OwnRealServer[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(servers.map((s) => s.stop()));
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  try {
    // One after the other: both populate runs at once would fight for the 2 cores with no gain.
    for (const kit of REAL_KITS) servers.push(await startRealMlflow(kit, { populate: true }));
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    await stop(1);
    return;
  }
  const file = { servers: servers.map(({ stop: _stop, ...s }) => s) };
  writeFileSync(values.write, JSON.stringify(file, null, 1), { mode: 0o600 });
  for (const s of servers) {
    process.stdout.write(`real MLflow ${s.mlflowVersion} ready at ${s.trackingUri} (direct ${s.directUrl})\n`);
  }
  process.stdout.write(`both real MLflow servers started and populated in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
