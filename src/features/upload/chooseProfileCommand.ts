// "MLWF: Choose Cloud Storage Profile…": which keys Cloud Storage requests are signed with — an
// AWS profile of ~/.aws (ABCI users often keep one per group), the keys stored in VS Code, or the
// environment/default chain. The pick is written to `mlwf.s3.profile`; the upload offers this
// when no keys are found or the server refuses them.
import * as vscode from 'vscode';
import { listAwsProfiles, type AwsProfile } from '../../core/s3/awsProfiles';
import type { Logger } from '../../host/logger';
import type { S3CredentialStore } from '../../host/s3CredentialStore';
import { readExportSettings } from '../export/exportSettings';
import { registerCommand } from '../../host/commands';

export const CHOOSE_PROFILE_COMMAND = 'mlwf.chooseS3Profile';

type Choice = { kind: 'stored' } | { kind: 'chain' } | { kind: 'profile'; name: string };
type Item = vscode.QuickPickItem & { choice?: Choice };

/** Writes `mlwf.s3.profile` where it is in force: the workspace when set there, else the user. */
async function writeProfile(name: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('mlwf');
  const where = config.inspect<string>('s3.profile');
  const target = where?.workspaceFolderValue !== undefined || where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('s3.profile', name === '' ? undefined : name, target);
}

function profileDescription(p: AwsProfile): string {
  const files = [p.inCredentials ? '~/.aws/credentials' : '', p.inConfig ? '~/.aws/config' : ''].filter(Boolean).join(', ');
  const parts = [files, p.region ? vscode.l10n.t('region {0}', p.region) : '', p.hasKeys ? '' : vscode.l10n.t('no keys (SSO, role or process)')];
  return parts.filter(Boolean).join(' · ');
}

/** Returns the value written to `mlwf.s3.profile` ('' = none), or undefined when nothing was chosen. */
export async function chooseS3Profile(keys: S3CredentialStore, logger: Logger): Promise<string | undefined> {
  const s3 = readExportSettings().s3;
  const current = vscode.workspace.getConfiguration('mlwf').get<string>('s3.profile', '').trim();
  const stored = await keys.get(s3.endpoint);
  const where = s3.endpoint ?? 'AWS S3';
  let profiles: AwsProfile[] = [];
  let readError: string | undefined;
  try {
    profiles = await listAwsProfiles();
  } catch (e) {
    readError = e instanceof Error ? e.message : String(e);
    logger.warn(`Could not read the AWS profiles: ${readError}`);
  }
  const mark = (on: boolean) => (on ? '$(check) ' : '');
  const items: Item[] = [
    {
      label: `${mark(!current && Boolean(stored))}$(key) ${vscode.l10n.t('Use keys stored in VS Code')}`,
      description: stored ? vscode.l10n.t('stored for {0}', where) : vscode.l10n.t('none stored for {0} yet: you will be asked for them', where),
      choice: { kind: 'stored' },
    },
    {
      label: `${mark(!current && !stored)}$(terminal) ${vscode.l10n.t('Use the environment/default chain')}`,
      description: process.env.AWS_PROFILE ? `AWS_PROFILE=${process.env.AWS_PROFILE}` : process.env.AWS_ACCESS_KEY_ID ? 'AWS_ACCESS_KEY_ID' : vscode.l10n.t('environment keys, else the default profile'),
      choice: { kind: 'chain' },
    },
    { label: vscode.l10n.t('Profiles in ~/.aws'), kind: vscode.QuickPickItemKind.Separator },
    ...profiles.map((p): Item => ({ label: `${mark(current === p.name)}$(account) ${p.name}`, description: profileDescription(p), choice: { kind: 'profile', name: p.name } })),
  ];
  if (profiles.length === 0) items.push({ label: readError ? vscode.l10n.t('~/.aws could not be read: {0}', readError) : vscode.l10n.t('No profiles in ~/.aws/credentials or ~/.aws/config'), description: '' });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Cloud Storage keys for {0}', where),
    placeHolder: current ? vscode.l10n.t('Now: profile {0}', current) : vscode.l10n.t('Pick the keys Cloud Storage requests are signed with'),
    matchOnDescription: true,
  });
  const choice = picked?.choice;
  if (!choice) return undefined;
  if (choice.kind === 'profile') {
    await writeProfile(choice.name);
    logger.info(`Cloud Storage profile: ${choice.name}`);
    return choice.name;
  }
  if (choice.kind === 'stored') {
    if (!stored && !(await vscode.commands.executeCommand<boolean>('mlwf.setS3Credentials'))) return undefined;
    await writeProfile('');
    logger.info('Cloud Storage keys: the ones stored in VS Code');
    return '';
  }
  if (stored) {
    // Stored keys win over the chain when no profile is set, so the chain needs them gone.
    const forget = vscode.l10n.t('Forget Stored Keys');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Keys stored in VS Code for {0} are used before the environment. Forget them so the environment/default chain is used?', where), { modal: true }, forget);
    if (answer !== forget) return undefined;
    await keys.delete(s3.endpoint);
  }
  await writeProfile('');
  logger.info('Cloud Storage keys: the environment/default chain');
  return '';
}

export function registerChooseProfileCommand(keys: S3CredentialStore, logger: Logger): vscode.Disposable {
  return registerCommand(CHOOSE_PROFILE_COMMAND, () => chooseS3Profile(keys, logger));
}
