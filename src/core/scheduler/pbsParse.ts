// PBS Professional's answers: `qsub` prints "1234.server", `qstat -f -F json [-x]` describes jobs
// (ABCI 3.0). Exit_status: 0 ok, > 0 the script's status, >= 256 killed by signal (256 + n),
// < 0 PBS could not start the job.
import { parseDuration } from './profiles';
import { parseSchedulerDate, type JobPhase, type JobStatus } from './jobStatus';

export function parsePbsQsub(stdout: string): string | undefined {
  return /^\s*(\d+(?:\[\d*\])?(?:\.[A-Za-z0-9_.-]+)?)\s*$/m.exec(stdout)?.[1];
}

/** Q/H/W/T queued; R/E/B/S/U running (E = exiting); F/X finished (qstat -x), M moved elsewhere. */
export function pbsPhase(state: string, exitStatus: number | undefined): JobPhase {
  if (['Q', 'H', 'W', 'T'].includes(state)) return 'queued';
  if (['R', 'E', 'B', 'S', 'U'].includes(state)) return 'running';
  if (state === 'F' || state === 'X') {
    if (exitStatus === undefined) return 'cancelled'; // deleted before it ran
    if (exitStatus === 0) return 'finished';
    return exitStatus === 271 ? 'cancelled' : 'failed'; // 271 = 256 + SIGTERM: what qdel sends
  }
  return 'unknown';
}

interface PbsJob {
  Job_Name?: string;
  Job_Owner?: string;
  job_state?: string;
  queue?: string;
  exec_host?: string;
  qtime?: string;
  stime?: string;
  mtime?: string;
  obittime?: string;
  Exit_status?: number | string;
  resources_used?: { walltime?: string };
  Resource_List?: { walltime?: string; nodect?: number | string; ncpus?: number | string; mem?: string };
}

/**
 * "rt_HF" + exec_host "hnode001/0*96+hnode002/0*96" → "rt_HF@hnode001+1": the node a job runs on
 * is what its owner looks for (to ssh there, to tell a slow node), as Grid Engine's queue@host
 * shows it; the other nodes of a multi-node job are only counted, to keep the row short.
 */
export function queueAtHost(queue: string | undefined, execHost: string | undefined): string | undefined {
  const hosts = [...new Set((execHost ?? '').split('+').map((chunk) => chunk.split('/')[0]!.trim()).filter(Boolean))];
  if (!queue || !hosts.length) return queue;
  return `${queue}@${hosts[0]}${hosts.length > 1 ? `+${hosts.length - 1}` : ''}`;
}

export function parsePbsQstatJson(text: string): JobStatus[] {
  const doc = JSON.parse(text) as { Jobs?: Record<string, PbsJob> };
  return Object.entries(doc.Jobs ?? {}).map(([id, j]) => {
    const state = String(j.job_state ?? '');
    const exit = j.Exit_status === undefined || j.Exit_status === '' ? undefined : Number(j.Exit_status);
    const phase = pbsPhase(state, exit);
    const list = j.Resource_List ?? {};
    return {
      id,
      name: j.Job_Name ?? '',
      owner: j.Job_Owner?.split('@')[0],
      phase,
      rawState: state,
      queue: queueAtHost(j.queue, j.exec_host),
      submitted: parseSchedulerDate(j.qtime),
      started: parseSchedulerDate(j.stime),
      ended: state === 'F' || state === 'X' ? parseSchedulerDate(j.obittime ?? j.mtime) : undefined,
      elapsedSeconds: parseDuration(j.resources_used?.walltime),
      walltimeSeconds: parseDuration(j.Resource_List?.walltime),
      exitStatus: exit,
      requested: { nodes: whole(list.nodect), tasks: whole(list.ncpus), memory: list.mem || undefined },
    };
  });
}

/** A count PBS printed ("--" or absent: not set). */
function whole(v: number | string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(String(v)) ? Number(v) : undefined;
}

/** "HH:MM" (qstat's alternate display) or "H:MM:SS" → seconds; "--" and blanks are unknown. */
function hoursMinutes(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2})$/.exec(text ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 : parseDuration(text);
}

/**
 * `qstat -u USER -w`: PBS's alternate display, one job a line under a row of dashes — Job ID,
 * Username, Queue, Jobname, SessID, NDS, TSK, Req'd Memory, Req'd Time, S, Elap Time (-w keeps
 * every column whole; job names have no blanks in PBS). `qstat -f` takes no -u, and listing every
 * user's jobs in full to find one's own would be heavy on a big cluster.
 */
export function parsePbsQstatUser(text: string): JobStatus[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-+( +-+)+\s*$/.test(l));
  if (rule < 0) return [];
  return lines.slice(rule + 1).flatMap((line) => {
    const f = line.trim().split(/\s+/);
    if (f.length < 11) return [];
    const state = f[f.length - 2]!;
    // NDS, TSK and Req'd Memory come after SessID; "--" is PBS's "not set".
    const memory = f[f.length - 4];
    const requested = { nodes: whole(f[f.length - 6]), tasks: whole(f[f.length - 5]), memory: memory && memory !== '--' ? memory : undefined };
    return [{
      id: f[0]!,
      owner: f[1],
      queue: f[2],
      name: f[3]!,
      phase: pbsPhase(state, undefined),
      rawState: state,
      walltimeSeconds: hoursMinutes(f[f.length - 3]),
      elapsedSeconds: hoursMinutes(f[f.length - 1]),
      requested,
    }];
  });
}
