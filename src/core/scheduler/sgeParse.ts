// Grid Engine's answers: `qsub -terse`, `qstat -xml` and `qacct -j ID` (formats of Son of Grid
// Engine 8.1.9, the same as Univa Grid Engine's on ABCI 2.0).
import { XMLParser } from 'fast-xml-parser';
import { parseSchedulerDate, phaseOfExit, type JobPhase, type JobStatus } from './jobStatus';

/** `qsub -terse` prints the job id ("12", or "12.1-10:1" for an array job). */
export function parseSgeQsub(stdout: string): string | undefined {
  return /^\s*(\d+)/.exec(stdout)?.[1];
}

/** qw/hqw → queued; r/t/Rr → running; Eqw is an error that will not start by itself; d… is being deleted. */
export function sgePhase(state: string): JobPhase {
  if (state.includes('E')) return 'failed';
  if (state.includes('d')) return 'cancelled';
  if (state.includes('r') || state.includes('t') || state.includes('s') || state.includes('S')) return 'running';
  if (state.includes('q') || state.includes('w') || state.includes('h')) return 'queued';
  return 'unknown';
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'job_list' });

type XmlJob = Record<string, string | undefined>;

/** Running jobs are listed under queue_info, pending ones under job_info. */
export function parseSgeQstatXml(xml: string, now = new Date()): JobStatus[] {
  const doc = parser.parse(xml) as { job_info?: { queue_info?: { job_list?: XmlJob[] } | string; job_info?: { job_list?: XmlJob[] } | string } };
  const lists = [doc.job_info?.queue_info, doc.job_info?.job_info].flatMap((part) => (typeof part === 'object' && part?.job_list ? part.job_list : []));
  return lists.map((j) => {
    const state = String(j.state ?? '');
    const started = parseSchedulerDate(j.JAT_start_time);
    const slots = /^\d+$/.test(j.slots ?? '') ? Number(j.slots) : undefined;
    return {
      id: String(j.JB_job_number ?? ''),
      name: String(j.JB_name ?? ''),
      owner: j.JB_owner,
      phase: sgePhase(state),
      rawState: state,
      queue: j.queue_name || undefined,
      submitted: parseSchedulerDate(j.JB_submission_time),
      started,
      elapsedSeconds: started ? Math.max(0, (now.getTime() - started.getTime()) / 1000) : undefined,
      requested: slots !== undefined ? { slots } : undefined,
    };
  });
}

/** `qacct -j ID`: "key value" lines; several records when the id was reused (the last one counts). */
export function parseSgeQacct(text: string): JobStatus | undefined {
  return parseSgeQacctAll(text).pop();
}

/**
 * Every record of a qacct listing (`qacct -j ID`, or `qacct -j '*' -o USER -E -b TIME`: the
 * user's jobs that ended since TIME), in the file's order. The host is part of the queue
 * ("all.q@node"), as qstat shows a running job's.
 */
export function parseSgeQacctAll(text: string): JobStatus[] {
  const records = text.split(/^=+$/m).map((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^(\w+)\s+(.*?)\s*$/.exec(line);
      if (m) fields.set(m[1], m[2]);
    }
    return fields;
  });
  return records.filter((r) => r.has('jobnumber')).map(statusOfQacct);
}

function statusOfQacct(f: Map<string, string>): JobStatus {
  const exitStatus = Number.parseInt(f.get('exit_status') ?? '', 10);
  // failed ≠ 0 means Grid Engine itself ended or could not start it ("100 : assumedly after job" is qdel).
  const failed = f.get('failed') ?? '0';
  const deleted = /^100\b/.test(failed) || (f.get('deleted_by') ?? '') !== '';
  const wall = /^(\d+(?:\.\d+)?)s?$/.exec(f.get('ru_wallclock') ?? '');
  const exit = Number.isNaN(exitStatus) ? undefined : exitStatus;
  const phase: JobPhase = failed !== '0' && !deleted ? 'failed' : phaseOfExit(exit, deleted);
  const qname = f.get('qname');
  const host = f.get('hostname');
  return {
    id: f.get('jobnumber') ?? '',
    name: f.get('jobname') ?? '',
    owner: f.get('owner'),
    phase,
    rawState: failed === '0' ? `exit ${String(exit ?? '?')}` : `failed ${failed}`,
    queue: qname && host && !qname.includes('@') ? `${qname}@${host}` : qname,
    submitted: parseSchedulerDate(f.get('qsub_time')),
    started: parseSchedulerDate(f.get('start_time')),
    ended: parseSchedulerDate(f.get('end_time')),
    elapsedSeconds: wall ? Number(wall[1]) : undefined,
    exitStatus: exit,
  };
}
