#!/usr/bin/env node
// ABCI 2.0's qsub in front of the test machine's real Grid Engine cell. ABCI 2.0 runs (Univa) Grid
// Engine with two local additions a plain cell rejects: `-g GROUP` (the group charged, required)
// and its resource types as `-l rt_TYPE=N`. This wrapper records the argv MLWF ran (and its cwd)
// to $ABCI2_QSUB_LOG, refuses a submission without them as ABCI does, drops just those words and
// hands the rest to the real qsub, whose answer (the -terse id) and exit status are passed back.
// $ABCI2_QSUB_JOB_ENV (NAME=VALUE,…), when set, is added as one `-v`: tests give the job the
// container rig's stand-in `module` and `singularity`, which the cell's nodes do not have.
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (process.env.ABCI2_QSUB_LOG) appendFileSync(process.env.ABCI2_QSUB_LOG, `${JSON.stringify({ tool: 'qsub', argv: args, cwd: process.cwd() })}\n`);

const kept = [];
let group;
let resourceType;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-g') group = args[++i];
  else if (a === '-l' && /^rt_[A-Za-z.]+=\d+$/.test(args[i + 1] ?? '')) resourceType = args[++i];
  else kept.push(a);
}
if (!group) {
  process.stderr.write('qsub: the ABCI group is required (-g GROUP)\n');
  process.exit(1);
}
if (!resourceType) {
  process.stderr.write('qsub: a resource type is required (-l rt_TYPE=N)\n');
  process.exit(1);
}
const extra = process.env.ABCI2_QSUB_JOB_ENV ? ['-v', process.env.ABCI2_QSUB_JOB_ENV] : [];
// The real qsub: the first one on PATH that is not this wrapper.
const here = path.dirname(fileURLToPath(import.meta.url));
const searchPath = (process.env.PATH ?? '').split(':').filter((d) => d && path.resolve(d) !== path.join(here, 'bin')).join(':');
const r = spawnSync('qsub', [...extra, ...kept], { stdio: 'inherit', env: { ...process.env, PATH: searchPath } });
process.exit(r.status ?? 1);
