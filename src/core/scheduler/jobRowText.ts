// What a row of the Jobs view says. At the side bar's default width (about 300 px) a row shows its
// label and the start of its description, so the description leads with what users look at first
// (the state, the exit code of a failed job, the time used of the wall time) and ends with where
// it runs and the job id; the tooltip keeps everything. Plain Node (no vscode): the words come
// from @vscode/l10n, the bundle the extension host hands over.
import path from 'node:path';
import * as l10n from '@vscode/l10n';
import { IMAGE_FOLDER_PREFIX } from '../container/createImageFolder';
import type { JobRow } from './jobWatcher';
import { isActive, type JobPhase, type JobStatus } from './jobStatus';
import { formatDuration } from './profiles';

export function phaseLabel(phase: JobPhase): string {
  switch (phase) {
    case 'queued': return l10n.t('queued');
    case 'running': return l10n.t('running');
    case 'finished': return l10n.t('finished');
    case 'failed': return l10n.t('failed');
    case 'cancelled': return l10n.t('cancelled');
    case 'unknown': return l10n.t('ending');
  }
}

/**
 * "MLWFCreateImage_20261204183000" → "12-04 18:30": every image folder has the prefix and the
 * label says Build or Serve already, and the whole timestamp would push the state out of sight
 * at the side bar's default width (the tooltip has the folder). A second folder of the same
 * second keeps its "_2"; a folder renamed by hand keeps its name.
 */
export function imageFolderShortName(folder: string): string {
  const name = path.basename(folder);
  if (!name.startsWith(IMAGE_FOLDER_PREFIX)) return name;
  const m = /^\d{4}(\d\d)(\d\d)(\d\d)(\d\d)\d\d(_\d+)?$/.exec(name.slice(IMAGE_FOLDER_PREFIX.length));
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}${m[5] ?? ''}` : name;
}

/** The script's name, "Build FOLDER" / "Serve FOLDER" for the container's jobs, else the scheduler's job name. */
export function jobLabel({ status, record }: JobRow): string {
  if (!record) return status.name || status.id;
  if (record.kind === 'build') return l10n.t('Build {0}', imageFolderShortName(record.workdir));
  if (record.kind === 'serve') return l10n.t('Serve {0}', imageFolderShortName(record.workdir));
  return path.basename(record.scriptPath);
}

/** "1:02:03 / 2:00:00", "– / 0:10:00" while queued, or undefined when the scheduler tells neither. */
function timeUsed(status: JobStatus): string | undefined {
  if (status.elapsedSeconds === undefined && status.walltimeSeconds === undefined) return undefined;
  const elapsed = status.elapsedSeconds !== undefined ? formatDuration(status.elapsedSeconds) : '–';
  return status.walltimeSeconds !== undefined ? `${elapsed} / ${formatDuration(status.walltimeSeconds)}` : elapsed;
}

/**
 * `state[ · exit N][ · elapsed / wall time][ · resource] · #ID`. The exit code only where it
 * says more than the state: a finished job exited 0, a cancelled one by the scheduler's signal.
 */
export function jobDescription({ status, record }: JobRow): string {
  const parts = [phaseLabel(status.phase)];
  if (status.phase === 'failed' && status.exitStatus !== undefined) parts.push(l10n.t('exit {0}', status.exitStatus));
  const time = timeUsed(status);
  if (time) parts.push(time);
  let resource = record?.resource || status.queue;
  // The user's other jobs: the listing tells only the queue; a multi-node job says how many.
  if (resource && !record && (status.requested?.nodes ?? 1) > 1) resource = `${resource} ×${status.requested!.nodes}`;
  if (resource) parts.push(resource);
  parts.push(`#${status.id}`);
  return parts.join(' · ');
}

/** Every line of the row's tooltip: all the view knows about the job. */
export function jobTooltipLines({ status, record }: JobRow): string[] {
  const lines = [`${l10n.t('Job {0}', status.id)} — ${phaseLabel(status.phase)} (${status.rawState})`];
  const add = (text: string | false | undefined) => text && lines.push(text);
  if (status.name) add(l10n.t('Name: {0}', status.name));
  if (record) {
    add(l10n.t('Script: {0}', record.scriptPath));
    if (record.runId) {
      add(l10n.t('Experiment: {0}', record.experimentName));
      add(l10n.t('Run: {0}', record.runId));
      add(l10n.t('Folder: {0}', record.folder));
    } else {
      add(l10n.t('Folder: {0}', record.workdir));
      add(l10n.t('Output: {0}', record.outputFile));
    }
    add(!!record.resource && l10n.t('Resource: {0}', record.resource));
  }
  add(!!status.queue && l10n.t('Queue: {0}', status.queue));
  const r = status.requested;
  add(r?.nodes !== undefined && l10n.t('Nodes: {0}', r.nodes));
  add(r?.tasks !== undefined && l10n.t('CPUs: {0}', r.tasks));
  add(r?.slots !== undefined && l10n.t('Slots: {0}', r.slots));
  add(!!r?.memory && l10n.t('Memory: {0}', r.memory!));
  add(status.elapsedSeconds !== undefined && l10n.t('Elapsed: {0}', formatDuration(status.elapsedSeconds)));
  add(status.walltimeSeconds !== undefined && l10n.t('Wall time: {0}', formatDuration(status.walltimeSeconds)));
  add(status.submitted && l10n.t('Submitted: {0}', status.submitted.toLocaleString()));
  add(status.started && l10n.t('Started: {0}', status.started.toLocaleString()));
  add(status.ended && l10n.t('Ended: {0}', status.ended.toLocaleString()));
  add(!isActive(status.phase) && status.exitStatus !== undefined && l10n.t('Exit status: {0}', status.exitStatus));
  return lines;
}
