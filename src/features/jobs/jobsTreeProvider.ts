// The Jobs view: MLWF's jobs of this site (queued, running, and those that ended today) plus the
// user's other jobs the scheduler lists (container builds among them), queued, running or ended
// today. It polls the scheduler only while something is queued or running, like the live runs;
// an ended job is asked about once more (to close its run) and then read from its job.json.
import { userInfo } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { execRunner } from '../../core/scheduler/commandRunner';
import { EndedJobsCache } from '../../core/scheduler/endedJobs';
import { listRecords, type JobRecord } from '../../core/scheduler/jobRecord';
import { isActive, type JobPhase } from '../../core/scheduler/jobStatus';
import { jobDescription, jobLabel, jobTooltipLines } from '../../core/scheduler/jobRowText';
import { pollJobs, type JobRow } from '../../core/scheduler/jobWatcher';
import { jobProfile, type SchedulerKind } from '../../core/scheduler/profiles';
import { createScheduler } from '../../core/scheduler/scheduler';
import type { RunWriter } from '../../core/scheduler/jobRun';
import type { Logger } from '../../host/logger';
import { allJobsRoots, readJobsConfig } from './jobSettings';

export class JobItem extends vscode.TreeItem {
  constructor(readonly row: JobRow) {
    const { status, record } = row;
    super(jobLabel(row), vscode.TreeItemCollapsibleState.None);
    this.id = `job:${status.id}`;
    this.description = jobDescription(row);
    this.iconPath = iconFor(status.phase, status.name);
    this.contextValue = contextValueOf(isActive(status.phase), record === undefined ? 'none' : record.runId ? 'ours' : 'container');
    const md = new vscode.MarkdownString();
    for (const line of jobTooltipLines(row)) md.appendText(`${line}\n`);
    this.tooltip = md;
    if (record) this.command = { command: 'mlwf.jobs.showOutput', title: vscode.l10n.t('Show Output'), arguments: [this] };
  }
}

/**
 * A job in the quick pick of a palette command run with no row selected: the row's own label and
 * description (a full script path would hide the state at the palette's width), the path below.
 */
export function jobPickItem(row: JobRow): vscode.QuickPickItem & { row: JobRow } {
  return { label: jobLabel(row), description: jobDescription(row), detail: row.record?.scriptPath, row };
}

/**
 * Menus: `.active` (Cancel), `.ours` (a training job MLWF submitted: output, run, compare,
 * resubmit), `.container` (a container build / serve job MLWF submitted: output only).
 */
function contextValueOf(active: boolean, whose: 'ours' | 'container' | 'none'): string {
  // Spelt out: the manifest test checks every `when` against the literal values set here.
  if (active) return whose === 'ours' ? 'mlwf.job.active.ours' : whose === 'container' ? 'mlwf.job.active.container' : 'mlwf.job.active';
  return whose === 'ours' ? 'mlwf.job.ended.ours' : whose === 'container' ? 'mlwf.job.ended.container' : 'mlwf.job.ended';
}

function iconFor(phase: JobPhase, name: string): vscode.ThemeIcon {
  if (/^mlwf-(build|serve)/.test(name) && isActive(phase)) return new vscode.ThemeIcon('package');
  switch (phase) {
    case 'queued': return new vscode.ThemeIcon('clock');
    case 'running': return new vscode.ThemeIcon('sync~spin');
    case 'finished': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled': return new vscode.ThemeIcon('circle-slash');
    case 'unknown': return new vscode.ThemeIcon('loading~spin');
  }
}

function startOfToday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export class JobsTreeProvider implements vscode.TreeDataProvider<JobItem | vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private current: JobRow[] = [];
  private error: string | undefined;
  private schedulerMissing = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private againRequested = false;
  /** The user's other jobs that ended today, per scheduler (asked for once per refresh, kept). */
  private readonly ended = new Map<SchedulerKind, EndedJobsCache>();
  /** Jobs submitted in this window whose folder is outside the configured jobs folders. */
  private readonly extraFolders = new Set<string>();
  /** How many scheduler polls ran (the tests check that an idle view asks nothing). */
  polls = 0;

  constructor(
    private readonly logger: Logger,
    private readonly client: () => RunWriter | undefined,
  ) {}

  get rows(): readonly JobRow[] {
    return this.current;
  }

  get polling(): boolean {
    return this.timer !== undefined;
  }

  rowFor(id: string): JobRow | undefined {
    return this.current.find((r) => r.status.id === id);
  }

  track(record: JobRecord): void {
    this.extraFolders.add(path.dirname(record.folder));
  }

  getTreeItem(element: JobItem | vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: JobItem | vscode.TreeItem): Array<JobItem | vscode.TreeItem> {
    if (element) return [];
    if (this.error) {
      const item = new vscode.TreeItem(this.error);
      item.iconPath = new vscode.ThemeIcon('warning');
      // No scheduler here: a login node of another site or a laptop, which another site profile
      // fits (generic runs jobs locally); refreshing would only say the same again.
      item.tooltip = this.schedulerMissing ? `${this.error}\n${vscode.l10n.t('Click to choose the site profile of this machine.')}` : this.error;
      item.command = this.schedulerMissing
        ? { command: 'workbench.action.openSettings', title: vscode.l10n.t('Choose the Site Profile'), arguments: ['mlwf.siteProfile'] }
        : { command: 'mlwf.jobs.refresh', title: vscode.l10n.t('Refresh') };
      return [item, ...this.current.map((r) => new JobItem(r))];
    }
    return this.current.map((r) => new JobItem(r));
  }

  /**
   * One refresh now (coalesced with a running one); schedules the next only while jobs are
   * active. `requested` is false for the view's own timer, which asks for the jobs that ended
   * only when one has left the queue.
   */
  refresh(requested = true): Promise<void> {
    if (this.running) {
      this.again = true;
      this.againRequested ||= requested;
      return this.running;
    }
    this.running = this.poll(requested).finally(() => {
      this.running = undefined;
      if (this.again) {
        const next = this.againRequested;
        this.again = false;
        this.againRequested = false;
        void this.refresh(next);
      }
    });
    return this.running;
  }

  private records(): JobRecord[] {
    const config = readJobsConfig();
    const roots = new Set([...allJobsRoots(config), ...this.extraFolders]);
    const today = startOfToday();
    // An ended job stays until its run is closed (container jobs have none) and the day it was
    // submitted or ended is over.
    const endedToday = (r: JobRecord) => r.final?.ended !== undefined && Date.parse(r.final.ended) >= today;
    return [...roots].flatMap(listRecords).filter((r) => !r.final || r.submittedAt >= today || endedToday(r) || (r.runId !== '' && !r.runClosed));
  }

  private endedCache(kind: SchedulerKind): EndedJobsCache {
    let cache = this.ended.get(kind);
    if (!cache) this.ended.set(kind, (cache = new EndedJobsCache()));
    return cache;
  }

  private async poll(requested: boolean): Promise<void> {
    this.clearTimer();
    const config = readJobsConfig();
    const records = this.records();
    const kinds = new Set<SchedulerKind>([...records.map((r) => jobProfile(r.profile).scheduler), config.profile.scheduler]);
    const rows: JobRow[] = [];
    let active = false;
    this.error = undefined;
    this.schedulerMissing = false;
    for (const kind of kinds) {
      const mine = records.filter((r) => jobProfile(r.profile).scheduler === kind);
      if (kind !== config.profile.scheduler && !mine.length) continue;
      try {
        this.polls++;
        // The user's other jobs (ended today among them) are those of the site profile's scheduler.
        const history = kind === config.profile.scheduler ? { cache: this.endedCache(kind), requested } : undefined;
        const outcome = await pollJobs(createScheduler(kind, execRunner()), mine, userInfo().username, this.client(), (line) => this.logger.info(line), undefined, history);
        rows.push(...(kind === config.profile.scheduler ? outcome.rows : outcome.rows.filter((r) => r.record)));
        active ||= outcome.active;
      } catch (e) {
        const message = (e as Error).message;
        this.logger.warn(`Jobs: asking the scheduler failed: ${message}`);
        this.schedulerMissing = /ENOENT|not found|127/.test(message);
        this.error = this.schedulerMissing
          ? vscode.l10n.t('{0} is not available on this machine (site profile {1}).', kind === 'pbs' ? 'PBS qstat' : 'qstat', config.profile.id)
          : vscode.l10n.t('Could not ask the scheduler: {0}', message);
        rows.push(...mine.map((record) => ({ record, status: { id: record.id, name: record.name, phase: 'unknown' as const, rawState: '?' } })));
      }
    }
    const submitted = (r: JobRow) => r.record?.submittedAt ?? r.status.submitted?.getTime() ?? 0;
    rows.sort((a, b) => Number(isActive(b.status.phase)) - Number(isActive(a.status.phase)) || submitted(b) - submitted(a));
    this.current = rows;
    this.changed.fire();
    void vscode.commands.executeCommand('setContext', 'mlwf.jobs.active', active);
    // The palette offers the commands of a job only when the view has such a job to pick.
    void vscode.commands.executeCommand('setContext', 'mlwf.jobs.withOutput', rows.some((r) => r.record !== undefined));
    void vscode.commands.executeCommand('setContext', 'mlwf.jobs.withRun', rows.some((r) => !!r.record?.runId));
    if (active && !this.error) this.timer = setTimeout(() => void this.refresh(false), config.refreshSeconds * 1000);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.clearTimer();
    this.changed.dispose();
  }
}
