// Submit, watch and cancel jobs, one implementation per scheduler behind one face. Grid Engine:
// qsub -terse, qstat -xml, qacct -j, qdel. PBS Professional: qsub, qstat -f -F json -x, qdel.
// None ("generic"): job.sh runs here as a detached process.
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { SchedulerCommandError, type CommandRunner } from './commandRunner';
import { readStatusFile, deserializeStatus, type JobRecord } from './jobRecord';
import { isActive, phaseOfExit, type JobStatus } from './jobStatus';
import { parsePbsQstatJson, parsePbsQstatUser, parsePbsQsub } from './pbsParse';
import { parseDuration, type SchedulerKind } from './profiles';
import { parseSgeQacct, parseSgeQacctAll, parseSgeQstatXml, parseSgeQsub } from './sgeParse';
import { JOB_SCRIPT_FILE } from './submitArgs';

export interface Scheduler {
  readonly kind: SchedulerKind;
  /** Submits job.sh of `folder`; resolves with the job id. */
  submit(folder: string, qsubArgs: readonly string[], outputFile: string, signal?: AbortSignal): Promise<string>;
  /** The state of each record (by id), plus the user's other jobs the scheduler lists. */
  poll(records: readonly JobRecord[], user: string, signal?: AbortSignal): Promise<{ ours: Map<string, JobStatus>; others: JobStatus[] }>;
  cancel(id: string): Promise<void>;
  /**
   * The user's jobs that have ended (those MLWF did not submit among them), at least those that
   * ended since `since`: Grid Engine's accounting, PBS's job history. `known` are ended jobs asked
   * about before: an ended job does not change, so it is not described again.
   */
  endedJobs(user: string, since: Date, known: ReadonlyMap<string, JobStatus>, signal?: AbortSignal): Promise<JobStatus[]>;
}

export function createScheduler(kind: SchedulerKind, run: CommandRunner): Scheduler {
  if (kind === 'sge') return new GridEngine(run);
  if (kind === 'pbs') return new PbsPro(run);
  return new LocalProcess();
}

async function must(run: CommandRunner, command: string, args: readonly string[], options: { cwd?: string; signal?: AbortSignal } = {}) {
  const r = await run(command, args, options);
  // "qstat -xml failed", "qacct -j failed": the first argument tells the calls apart; qsub's is
  // only its first option ("qsub -P failed" would blame -P for a refused queue).
  const name = command === 'qsub' ? command : `${command} ${args[0] ?? ''}`.trim();
  if (r.code !== 0) throw new SchedulerCommandError(name, r);
  return r.stdout;
}

/**
 * A record whose job the scheduler no longer lists (and whose accounting is not there yet): its
 * final state from what the job wrote, with the host and start time MLWF saw while it ran, so a
 * job cancelled before qacct has its record still shows where it ran and for how long.
 */
function endedFromStatusFile(record: JobRecord): JobStatus | undefined {
  const exit = readStatusFile(record.statusFile);
  if (exit === undefined && !record.cancelled) return undefined;
  const started = record.seen?.started ? new Date(record.seen.started) : undefined;
  // The job wrote exit-status as it ended; a job killed too hard to write it ended when cancelled.
  const endedAt = exit !== undefined ? mtimeOf(record.statusFile) : record.cancelledAt;
  const ended = endedAt !== undefined ? new Date(endedAt) : undefined;
  const elapsedSeconds = started && ended ? Math.max(0, Math.round((ended.getTime() - started.getTime()) / 1000)) : undefined;
  return { id: record.id, name: record.name, phase: phaseOfExit(exit, record.cancelled === true), rawState: exit === undefined ? 'deleted' : `exit ${exit}`, exitStatus: exit, walltimeSeconds: parseDuration(record.walltime), queue: record.seen?.queue, started, ended, elapsedSeconds };
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** qacct's -b / -e time: [[CC]YY]MMDDhhmm[.SS], local time. */
export function qacctTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}${two(d.getHours())}${two(d.getMinutes())}.${two(d.getSeconds())}`;
}

function withRecord(status: JobStatus, record: JobRecord): JobStatus {
  const phase = record.cancelled && !isActive(status.phase) ? 'cancelled' : status.phase;
  return { ...status, phase, walltimeSeconds: status.walltimeSeconds ?? parseDuration(record.walltime), queue: status.queue ?? (record.resource || undefined) };
}

class GridEngine implements Scheduler {
  readonly kind = 'sge' as const;
  constructor(private readonly run: CommandRunner) {}

  async submit(folder: string, args: readonly string[], _output: string, signal?: AbortSignal): Promise<string> {
    const out = await must(this.run, 'qsub', args, { cwd: folder, signal });
    const id = parseSgeQsub(out);
    if (!id) throw new Error(`qsub answered no job id: ${out.trim().slice(0, 200)}`);
    return id;
  }

  async poll(records: readonly JobRecord[], user: string, signal?: AbortSignal) {
    const listed = parseSgeQstatXml(await must(this.run, 'qstat', ['-xml', '-u', user], { signal }));
    const byId = new Map(listed.map((j) => [j.id, j]));
    const ours = new Map<string, JobStatus>();
    for (const record of records) {
      if (record.final) {
        ours.set(record.id, deserializeStatus(record.final));
        continue;
      }
      const live = byId.get(record.id);
      if (live) {
        ours.set(record.id, withRecord(live, record));
        continue;
      }
      // Gone from qstat: qacct knows how it ended (a few seconds after the end), else job.sh's own file.
      const acct = await this.run('qacct', ['-j', record.id], { signal });
      const ended = (acct.code === 0 ? parseSgeQacct(acct.stdout) : undefined) ?? endedFromStatusFile(record);
      if (ended) ours.set(record.id, withRecord(ended, record));
      else ours.set(record.id, { id: record.id, name: record.name, phase: 'unknown', rawState: 'ending', walltimeSeconds: parseDuration(record.walltime) });
    }
    return { ours, others: listed.filter((j) => !records.some((r) => r.id === j.id)) };
  }

  async cancel(id: string): Promise<void> {
    await must(this.run, 'qdel', [id]);
  }

  async endedJobs(user: string, since: Date, _known: ReadonlyMap<string, JobStatus>, signal?: AbortSignal) {
    // -E: "since" is when the job ended, not when it started. Without a match (or before the cell
    // wrote its accounting file) qacct exits 1 with a message: nothing ended.
    const r = await this.run('qacct', ['-j', '*', '-o', user, '-E', '-b', qacctTime(since)], { signal });
    return r.code === 0 ? parseSgeQacctAll(r.stdout) : [];
  }
}

class PbsPro implements Scheduler {
  readonly kind = 'pbs' as const;
  constructor(private readonly run: CommandRunner) {}

  async submit(folder: string, args: readonly string[], _output: string, signal?: AbortSignal): Promise<string> {
    const out = await must(this.run, 'qsub', args, { cwd: folder, signal });
    const id = parsePbsQsub(out);
    if (!id) throw new Error(`qsub answered no job id: ${out.trim().slice(0, 200)}`);
    return id;
  }

  async poll(records: readonly JobRecord[], user: string, signal?: AbortSignal) {
    const ours = new Map<string, JobStatus>();
    // The user's own queued and running jobs (those MLWF did not submit among them); the
    // details of MLWF's come from qstat -f below.
    const listed = parsePbsQstatUser(await must(this.run, 'qstat', ['-u', user, '-w'], { signal }));
    const open = records.filter((r) => !r.final);
    for (const r of records) if (r.final) ours.set(r.id, deserializeStatus(r.final));
    if (open.length) {
      // -x: finished jobs too (kept by the server for its job history time).
      const r = await this.run('qstat', ['-f', '-F', 'json', '-x', ...open.map((o) => o.id)], { signal });
      // qstat exits non-zero when one of the ids is unknown, yet prints the others.
      const full = r.stdout.trim().startsWith('{') ? parsePbsQstatJson(r.stdout) : [];
      for (const record of open) {
        const live = full.find((j) => j.id === record.id);
        const status = live ?? endedFromStatusFile(record);
        ours.set(record.id, status ? withRecord(status, record) : { id: record.id, name: record.name, phase: 'unknown', rawState: '?', walltimeSeconds: parseDuration(record.walltime) });
      }
    }
    return { ours, others: listed.filter((j) => !records.some((r) => r.id === j.id)) };
  }

  async cancel(id: string): Promise<void> {
    await must(this.run, 'qdel', [id]);
  }

  async endedJobs(user: string, _since: Date, known: ReadonlyMap<string, JobStatus>, signal?: AbortSignal) {
    // The history the server keeps (job_history_duration) in the short display; only the finished
    // jobs not described before are asked about in full, for their exit status and end time.
    const listed = parsePbsQstatUser(await must(this.run, 'qstat', ['-x', '-u', user, '-w'], { signal })).filter((j) => j.rawState === 'F' || j.rawState === 'X');
    const fresh = listed.filter((j) => !known.has(j.id)).map((j) => j.id);
    const described = new Map<string, JobStatus>();
    if (fresh.length) {
      const r = await this.run('qstat', ['-f', '-F', 'json', '-x', ...fresh], { signal });
      if (r.stdout.trim().startsWith('{')) for (const j of parsePbsQstatJson(r.stdout)) described.set(j.id, j);
    }
    return listed.flatMap((j) => {
      const full = known.get(j.id) ?? described.get(j.id);
      return full ? [full] : [];
    });
  }
}

/** "generic": job.sh runs on this machine in its own process group; the id is local-PID. */
class LocalProcess implements Scheduler {
  readonly kind = 'none' as const;

  async submit(folder: string, _args: readonly string[], outputFile: string): Promise<string> {
    const out = openSync(outputFile, 'a');
    try {
      const child = spawn('bash', [JOB_SCRIPT_FILE], { cwd: folder, detached: true, stdio: ['ignore', out, out] });
      if (child.pid === undefined) throw new Error('bash could not be started');
      child.unref();
      return `local-${child.pid}`;
    } finally {
      closeSync(out);
    }
  }

  async poll(records: readonly JobRecord[]) {
    const ours = new Map<string, JobStatus>();
    for (const record of records) {
      if (record.final) {
        ours.set(record.id, deserializeStatus(record.final));
        continue;
      }
      const pid = Number(record.id.replace(/^local-/, ''));
      const started = new Date(record.submittedAt);
      if (alive(pid)) {
        ours.set(record.id, { id: record.id, name: record.name, phase: 'running', rawState: 'running', started, elapsedSeconds: (Date.now() - record.submittedAt) / 1000 });
      } else {
        ours.set(record.id, endedFromStatusFile(record) ?? { id: record.id, name: record.name, phase: 'unknown', rawState: 'gone', started });
      }
    }
    return { ours, others: [] };
  }

  async cancel(id: string): Promise<void> {
    const pid = Number(id.replace(/^local-/, ''));
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`not a local job id: ${id}`);
    process.kill(-pid, 'SIGTERM');
  }

  async endedJobs(): Promise<JobStatus[]> {
    return []; // nothing but MLWF's own jobs runs this way
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
