#!/usr/bin/env node
// A stand-in for PBS Professional's qsub, qstat and qdel (ABCI 3.0's scheduler has no package to
// install), following the documented command-line contract and output formats: `qsub -P GROUP
// -q QUEUE -l select=N -l walltime=H:MM:SS -N NAME -j oe -k oed -o PATH script` prints
// "ID.server"; the job runs from $HOME with PBS_JOBID, PBS_O_WORKDIR, PBS_JOBNAME; `-k oed` writes
// the output straight to PATH as the job goes, otherwise it is copied there at the end;
// `qstat -f -F json [-x] [ID…]` answers {"timestamp","pbs_version","pbs_server","Jobs":{…}};
// `qdel ID` deletes a queued job or sends SIGTERM to a running one (Exit_status 271 = 256 + 15).
// `-v NAME=VALUE[,…]` passes plain values to the job; `-W block=true` makes qsub print the id, wait
// for the job to end and exit with its exit status (the container scripts' own submission).
// Every call is appended to $PBS_STANDIN_STATE/calls.jsonl (argv, cwd, environment names).
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, openSync } from 'node:fs';
import { homedir, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setInterval, clearInterval } from 'node:timers';

// bin/qsub, bin/qstat and bin/qdel call this file with their own name first.
const tool = process.argv[2] ?? '';
const args = process.argv.slice(3);
const STATE = process.env.PBS_STANDIN_STATE || path.join(tmpdir(), 'pbs-standin');
const SERVER = 'standin';
// The execution host qstat names (exec_host, exec_vnode): this machine, where the job runs.
const EXEC_HOST = hostname().split('.')[0] || 'localhost';
mkdirSync(STATE, { recursive: true });
const jobFile = (id) => path.join(STATE, `${id}.json`);
const load = (id) => (existsSync(jobFile(id)) ? JSON.parse(readFileSync(jobFile(id), 'utf8')) : undefined);
const save = (job) => writeFileSync(jobFile(job.id), JSON.stringify(job));
const pbsDate = (d = new Date()) => d.toString().replace(/^(\w+) (\w+) (\d+) (\d+) ([\d:]+).*$/, (_m, w, mo, day, y, t) => `${w} ${mo} ${day.replace(/^0/, ' ').padStart(2, ' ')} ${t} ${y}`);
const hms = (s) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
const fail = (msg, code = 2) => { process.stderr.write(`${tool}: ${msg}\n`); process.exit(code); };

if (tool !== '__run') appendFileSync(path.join(STATE, 'calls.jsonl'), `${JSON.stringify({ tool, argv: args, cwd: process.cwd(), envNames: Object.keys(process.env).sort() })}\n`);

function qsub() {
  const o = { l: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) break;
    const v = args[++i];
    if (v === undefined) fail(`option requires an argument -- '${a.slice(1)}'`);
    if (a === '-l') o.l.push(v);
    else if (a === '-v') o.v = [...(o.v ?? []), ...v.split(',')];
    else if (['-P', '-q', '-N', '-j', '-k', '-o', '-W'].includes(a)) o[a.slice(1)] = v;
    else fail(`invalid option -- '${a.slice(1)}'\nusage: qsub [-P project] [-q queue] [-l resource_list] [-N name] [-j oe] [-k oed] [-o path] script`);
  }
  const script = args[i];
  if (!script || !existsSync(path.resolve(script))) fail(`script file:: No such file or directory`);
  if (!o.P) fail('Project name is required (-P)', 2); // ABCI 3.0 charges every job to a group
  if (!o.q) fail('Unknown queue', 2);
  const res = Object.fromEntries(o.l.map((x) => x.split('=')));
  if (!/^\d+$/.test(res.select ?? '')) fail('select is required, e.g. -l select=1');
  if (!/^\d{1,3}:\d{2}:\d{2}$/.test(res.walltime ?? '')) fail('illegal -l value: walltime');
  if (o.j && o.j !== 'oe') fail('illegal -j value');
  const n = readdirSync(STATE).filter((f) => f.endsWith('.json')).length + 1000;
  const id = `${n}.${SERVER}`;
  const cwd = process.cwd();
  const out = o.o ? path.resolve(cwd, o.o) : path.join(cwd, `${o.N || 'STDIN'}.o${n}`);
  const job = { id, name: o.N || path.basename(script), owner: process.env.USER || 'user', state: 'Q', queue: o.q, project: o.P, select: res.select, walltime: res.walltime, keep: o.k || '', out, script: path.resolve(cwd, script), workdir: cwd, qtime: pbsDate(), submitArgs: args.join(' '), vars: Object.fromEntries((o.v ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) };
  save(job);
  const runner = spawn(process.execPath, [process.argv[1], '__run', id], { detached: true, stdio: 'ignore', env: process.env });
  runner.unref();
  process.stdout.write(`${id}\n`);
  if (o.W === 'block=true') {
    const timer = setInterval(() => {
      const now = load(id);
      if (now.state !== 'F') return;
      clearInterval(timer);
      process.exit(now.exit ?? 0);
    }, 200);
  }
}

async function runJob(id) {
  await new Promise((r) => setTimeout(r, Number(process.env.PBS_STANDIN_QUEUE_SECONDS ?? '1') * 1000));
  let job = load(id);
  if (job.state !== 'Q') return; // deleted while queued
  const direct = job.keep.includes('d');
  const spoolOut = path.join(STATE, `${id}.out`);
  const fd = openSync(direct ? job.out : spoolOut, 'a');
  const env = { ...process.env, ...(job.vars ?? {}), PBS_JOBID: id, PBS_JOBNAME: job.name, PBS_O_WORKDIR: job.workdir, PBS_QUEUE: job.queue, PBS_LOCALDIR: tmpdir() };
  // PBS starts the job in the user's home directory, from a spool copy of the script.
  const spoolScript = path.join(STATE, `${id}.SC`);
  copyFileSync(job.script, spoolScript);
  const child = spawn('/bin/bash', [spoolScript], { cwd: process.env.HOME || homedir(), env, stdio: ['ignore', fd, fd], detached: true });
  job = { ...load(id), state: 'R', pid: child.pid, stime: pbsDate(), started: Date.now() };
  save(job);
  child.on('exit', (code, signal) => {
    const now = load(id);
    const exit = signal ? 256 + ({ SIGTERM: 15, SIGKILL: 9, SIGINT: 2 }[signal] ?? 15) : code;
    if (!direct) copyFileSync(spoolOut, now.out);
    save({ ...now, state: 'F', exit, obittime: pbsDate(), used: Math.round((Date.now() - now.started) / 1000) });
  });
}

function describe(job) {
  const used = job.state === 'R' ? Math.round((Date.now() - job.started) / 1000) : job.used;
  return {
    Job_Name: job.name, Job_Owner: `${job.owner}@${SERVER}`,
    ...(used !== undefined ? { resources_used: { cpupercent: 0, cput: '00:00:00', mem: '0kb', ncpus: 1, vmem: '0kb', walltime: hms(used) } } : {}),
    job_state: job.state, queue: job.queue, server: SERVER, Checkpoint: 'u', ctime: job.qtime,
    Error_Path: `${SERVER}:${job.out}`, Hold_Types: 'n', Join_Path: 'oe', Keep_Files: job.keep || 'n', Mail_Points: 'a', mtime: job.obittime ?? job.stime ?? job.qtime,
    Output_Path: `${SERVER}:${job.out}`, Priority: 0, qtime: job.qtime, Rerunable: 'True',
    Resource_List: { ncpus: 1, nodect: 1, place: 'free', select: job.select, walltime: job.walltime },
    ...(job.stime ? { stime: job.stime, exec_host: `${EXEC_HOST}/0*1`, exec_vnode: `(${EXEC_HOST}:ncpus=1)` } : {}), ...(job.obittime ? { obittime: job.obittime } : {}),
    Variable_List: { PBS_O_HOME: process.env.HOME, PBS_O_LOGNAME: job.owner, PBS_O_WORKDIR: job.workdir, PBS_O_SYSTEM: 'Linux', PBS_O_QUEUE: job.queue, PBS_O_HOST: SERVER },
    project: job.project, Submit_arguments: job.submitArgs,
    ...(job.exit !== undefined ? { Exit_status: job.exit } : {}),
  };
}

// `qstat -u USER [-w] [-x]`: the alternate display (Job ID, Username, Queue, Jobname, SessID, NDS,
// TSK, Req'd Memory, Req'd Time, S, Elap Time as HH:MM); -w keeps the columns whole.
function qstatUser(history) {
  const users = args[args.indexOf('-u') + 1].split(',');
  const wide = args.includes('-w');
  const widths = wide ? [30, 15, 15, 15, 8, 4, 5, 6, 5, 1, 5] : [15, 8, 8, 10, 6, 3, 3, 6, 5, 1, 5];
  const cut = (v, w) => (wide || v.length <= w ? v : `${v.slice(0, w - 1)}*`);
  const row = (cols) => cols.map((c, i) => (i >= 4 ? String(c).padStart(widths[i]) : cut(String(c), widths[i]).padEnd(widths[i]))).join(' ');
  const hm = (s) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  const all = readdirSync(STATE).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(STATE, f), 'utf8')));
  const mine = all.filter((j) => users.includes(j.owner) && (history || j.state !== 'F'));
  if (!mine.length) return;
  const out = [`\n${SERVER}: `, ' '.repeat(widths.slice(0, 7).reduce((a, w) => a + w + 1, 0)) + "Req'd  Req'd   Elap", row(['Job ID', 'Username', 'Queue', 'Jobname', 'SessID', 'NDS', 'TSK', 'Memory', 'Time', 'S', 'Time']), widths.map((w) => '-'.repeat(w)).join(' ')];
  for (const j of mine) {
    const used = j.state === 'R' ? Math.round((Date.now() - j.started) / 1000) : j.used;
    const [h, m] = j.walltime.split(':');
    out.push(row([j.id, j.owner, j.queue, j.name, j.pid ?? '--', j.select, j.select, '--', `${h.padStart(2, '0')}:${m}`, j.state, used === undefined ? '--' : hm(used)]));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function qstat() {
  const history = args.includes('-x');
  if (args.includes('-u')) return qstatUser(history);
  if (!(args.includes('-f') && args.includes('-F') && args[args.indexOf('-F') + 1] === 'json')) fail('the stand-in answers only qstat -f -F json [-x] [ID…] and qstat -u USER [-w] [-x]');
  const ids = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-F');
  const all = readdirSync(STATE).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(STATE, f), 'utf8')));
  let status = 0;
  const chosen = ids.length ? ids.flatMap((id) => { const j = all.find((x) => x.id === id); if (!j || (j.state === 'F' && !history)) { process.stderr.write(`qstat: ${id} Job has finished, use -x or -H to obtain historical job information\n`); status = 35; return []; } return [j]; }) : all.filter((j) => history || j.state !== 'F');
  process.stdout.write(`${JSON.stringify({ timestamp: Math.floor(Date.now() / 1000), pbs_version: '2022.1.1', pbs_server: SERVER, Jobs: Object.fromEntries(chosen.map((j) => [j.id, describe(j)])) }, null, 4)}\n`);
  process.exit(status);
}

function qdel() {
  for (const id of args) {
    const job = load(id);
    if (!job || job.state === 'F') fail(`Unknown Job Id ${id}`, 153);
    if (job.state === 'Q') save({ ...job, state: 'F', obittime: pbsDate() });
    else try { process.kill(-job.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
}

if (tool === 'qsub') qsub();
else if (tool === 'qstat') qstat();
else if (tool === 'qdel') qdel();
else if (tool === '__run') await runJob(args[0]);
else fail('run as qsub, qstat or qdel');
