// The Jobs settings (mlwf.jobs.*) and the job's group, resource type and wall time per site
// profile: asked once, then remembered per workspace (workspaceState), like the container jobs.
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JobSettings } from '../../core/container/siteProfiles';
import { jobProfile, jobSettingsProblem, type JobProfile } from '../../core/scheduler/profiles';

export interface JobsConfig {
  readonly profile: JobProfile;
  /** Where job folders go: absolute, or relative to the script's workspace folder. */
  readonly folder: string;
  readonly python: string;
  readonly setupCommands: readonly string[];
  /** The tracking URL as compute nodes reach it ('' = the connection's). */
  readonly trackingUri: string;
  readonly refreshSeconds: number;
}

export function readJobsConfig(): JobsConfig {
  const c = vscode.workspace.getConfiguration('mlwf');
  // mlwf.siteProfile speaks for jobs and containers alike; the deprecated mlwf.jobs.siteProfile,
  // where start-up could not move it (set in both places), still wins for jobs.
  const own = c.get<string>('jobs.siteProfile', '').trim();
  return {
    profile: jobProfile(own || c.get<string>('siteProfile', 'abci3')),
    folder: c.get<string>('jobs.folder', 'mlwf-jobs').trim() || 'mlwf-jobs',
    python: c.get<string>('jobs.python', 'python3').trim() || 'python3',
    setupCommands: c.get<string[]>('jobs.setupCommands', []).filter((l) => typeof l === 'string'),
    trackingUri: c.get<string>('jobs.trackingUri', '').trim(),
    refreshSeconds: Math.max(2, c.get<number>('jobs.refreshSeconds', 10)),
  };
}

/**
 * Moves a deprecated mlwf.jobs.siteProfile into mlwf.siteProfile, scope by scope, where that is
 * not set; where both are set, the old one stays (and still decides for jobs). Returns the scopes moved.
 */
export async function migrateJobsSiteProfile(): Promise<string[]> {
  const c = vscode.workspace.getConfiguration('mlwf');
  const old = c.inspect<string>('jobs.siteProfile');
  const now = c.inspect<string>('siteProfile');
  const moved: string[] = [];
  const scopes = [
    ['user', old?.globalValue, now?.globalValue, vscode.ConfigurationTarget.Global],
    ['workspace', old?.workspaceValue, now?.workspaceValue, vscode.ConfigurationTarget.Workspace],
  ] as const;
  for (const [name, value, current, target] of scopes) {
    if (value === undefined) continue;
    if (value !== '' && current !== undefined && current !== value) continue;
    if (value !== '') await c.update('siteProfile', value, target);
    await c.update('jobs.siteProfile', undefined, target);
    moved.push(name);
  }
  return moved;
}

/** The private folder of the password files: in the user's home, which compute nodes share. */
export function secretsDir(): string {
  return path.join(homedir(), '.mlwf', 'job-secrets');
}

export function jobsRootFor(config: JobsConfig, scriptUri: vscode.Uri): string {
  if (path.isAbsolute(config.folder)) return config.folder;
  const ws = vscode.workspace.getWorkspaceFolder(scriptUri) ?? vscode.workspace.workspaceFolders?.[0];
  return path.join(ws ? ws.uri.fsPath : path.dirname(scriptUri.fsPath), config.folder);
}

/** Every jobs folder MLWF may have written to (each workspace folder's, or the absolute one). */
export function allJobsRoots(config: JobsConfig): string[] {
  if (path.isAbsolute(config.folder)) return [config.folder];
  return (vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, config.folder));
}

const key = (profile: JobProfile) => `mlwf.jobs.settings.${profile.id}`;

export function rememberedJob(memento: vscode.Memento, profile: JobProfile): JobSettings | undefined {
  return memento.get<JobSettings>(key(profile));
}

export async function rememberJob(memento: vscode.Memento, profile: JobProfile, job: JobSettings): Promise<void> {
  await memento.update(key(profile), job);
}

/** Remembered settings, or asks (forceAsk: again, prefilled). Undefined when cancelled. */
export async function askJobSettings(memento: vscode.Memento, profile: JobProfile, forceAsk = false): Promise<JobSettings | undefined> {
  if (profile.scheduler === 'none') return { group: '', resource: '', walltime: '' };
  const known = rememberedJob(memento, profile);
  if (known && !forceAsk && !jobSettingsProblem(profile, known)) return known;
  const title = vscode.l10n.t('Job on a compute node ({0})', profile.title);
  let group = '';
  if (profile.usesGroup) {
    const typed = await askAbciGroup(title, known?.group);
    if (typed === undefined) return undefined;
    group = typed;
  }
  let resource = '';
  if (profile.resources.length) {
    const pick = await vscode.window.showQuickPick(
      [...new Set([known?.resource || profile.defaultResource, ...profile.resources])].map((r) => ({ label: r })),
      { title, placeHolder: vscode.l10n.t('Resource type of the compute node'), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    resource = pick.label;
  } else {
    const typed = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Queue (empty: the cell chooses)'), value: known?.resource ?? '', ignoreFocusOut: true, validateInput: (v) => (v === '' || /^[A-Za-z0-9_.@-]+$/.test(v) ? undefined : vscode.l10n.t('A queue is a name like all.q.')) });
    if (typed === undefined) return undefined;
    resource = typed;
  }
  const walltime = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Wall time of the job (H:MM:SS)'),
    value: known?.walltime || profile.defaultWalltime,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{1,3}:\d{2}:\d{2}$/.test(v) ? undefined : vscode.l10n.t('The wall time is H:MM:SS, e.g. 1:00:00.')),
  });
  if (walltime === undefined) return undefined;
  const job = { group, resource, walltime };
  if (jobSettingsProblem(profile, job)) return undefined;
  await rememberJob(memento, profile, job);
  return job;
}

/** The ABCI group charged for a job (training or container): one prompt and one rule for both. */
export function askAbciGroup(title: string, known: string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('ABCI group that is charged for the job (for example gaa50000)'),
    value: known ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : vscode.l10n.t('The ABCI group is a name like gaa50000 (letters, digits, _ . -).')),
  });
}
