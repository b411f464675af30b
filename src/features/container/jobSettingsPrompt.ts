// The site profile (setting mlwf.siteProfile, shared with the jobs, export and upload features) and the job's group,
// resource type and wall time: asked once, then remembered per workspace (workspaceState).
import * as vscode from 'vscode';
import { siteProfile, validateJobSettings, type JobSettings, type SiteProfile } from '../../core/container/siteProfiles';
import { askAbciGroup } from '../jobs/jobSettings';

const key = (profile: SiteProfile) => `mlwf.container.job.${profile.id}`;

export function currentProfile(): SiteProfile {
  return siteProfile(vscode.workspace.getConfiguration('mlwf').get<string>('siteProfile', 'abci3'));
}

export function rememberedJobSettings(memento: vscode.Memento, profile: SiteProfile): JobSettings | undefined {
  return memento.get<JobSettings>(key(profile));
}

/** Remembered settings, or asks for them (forceAsk: ask again, prefilled). Undefined when cancelled. */
export async function jobSettingsFor(memento: vscode.Memento, profile: SiteProfile, forceAsk = false): Promise<JobSettings | undefined> {
  if (profile.scheduler === 'none') return { group: '', resource: '', walltime: '' };
  const known = rememberedJobSettings(memento, profile);
  if (known && !forceAsk) return known;
  let group = '';
  if (profile.usesGroup) {
    const typed = await askAbciGroup(vscode.l10n.t('Container job ({0})', profile.id), known?.group);
    if (typed === undefined) return undefined;
    group = typed;
  }
  let resource: string;
  if (profile.resources.length) {
    const resourcePick = await vscode.window.showQuickPick(
      [...new Set([known?.resource ?? profile.defaultResource, ...profile.resources])].map((r) => ({ label: r })),
      { title: vscode.l10n.t('Container job ({0})', profile.id), placeHolder: vscode.l10n.t('Resource type of the compute node'), ignoreFocusOut: true },
    );
    if (!resourcePick) return undefined;
    resource = resourcePick.label;
  } else {
    // A plain Grid Engine cell: an optional queue instead of ABCI's resource types.
    const typed = await vscode.window.showInputBox({ title: vscode.l10n.t('Container job ({0})', profile.id), prompt: vscode.l10n.t('Queue (empty: the cell chooses)'), value: known?.resource ?? '', ignoreFocusOut: true, validateInput: (v) => (v === '' || /^[A-Za-z0-9_.@-]+$/.test(v) ? undefined : vscode.l10n.t('A queue is a name like all.q.')) });
    if (typed === undefined) return undefined;
    resource = typed;
  }
  const walltime = await vscode.window.showInputBox({
    title: vscode.l10n.t('Container job ({0})', profile.id),
    prompt: vscode.l10n.t('Wall time of the job (H:MM:SS); a build takes 10 to 30 minutes'),
    value: known?.walltime ?? profile.defaultWalltime,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{1,3}:\d{2}:\d{2}$/.test(v) ? undefined : vscode.l10n.t('The wall time is H:MM:SS, e.g. 1:00:00.')),
  });
  if (walltime === undefined) return undefined;
  const job = { group, resource, walltime };
  if (validateJobSettings(profile, job)) return undefined;
  await memento.update(key(profile), job);
  return job;
}
