// The Jobs settings (mlwf.jobs.*) and the job's group, resource type and wall time per site
// profile: asked once, then remembered per workspace (workspaceState), like the container jobs.
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JobSettings } from '../../core/container/siteProfiles';
import { jobProfile, jobSettingsProblem, type JobProfile } from '../../core/scheduler/profiles';
import { abciGroupProblem, jobDraft, jobSettingStep } from './jobSettingSteps';
import { runSteps } from './multiStepInput';
import { jobSettingStepIds } from './submitSteps';

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

/** Asks for the job settings again (Set Job Settings…), prefilled with the remembered ones, as one multi-step input. Undefined when cancelled. */
export async function askJobSettings(memento: vscode.Memento, profile: JobProfile): Promise<JobSettings | undefined> {
  if (profile.scheduler === 'none') return { group: '', resource: '', walltime: '' };
  const draft = jobDraft(profile, rememberedJob(memento, profile));
  const steps = jobSettingStepIds(profile).map((id) => jobSettingStep(id, profile, draft)!);
  if (!(await runSteps(vscode.l10n.t('Job on a compute node ({0})', profile.title), steps))) return undefined;
  const job = { ...draft };
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
    validateInput: abciGroupProblem,
  });
}
