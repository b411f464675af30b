// Turns a failed connection attempt into one clear sentence plus the action that fixes it.
// Details (status, error code, request path) are already in the log channel.
import * as vscode from 'vscode';
import { trackingUriProblem, type MlflowError } from '../../core/mlflow';

export type ConnectionErrorAction = 'retry' | 'signIn' | 'editUrl' | 'showLog';

/** Returns the action the user picked, if any. */
export async function showConnectionError(server: string, error: MlflowError): Promise<ConnectionErrorAction | undefined> {
  const labels: Record<ConnectionErrorAction, string> = {
    retry: vscode.l10n.t('Retry'),
    signIn: vscode.l10n.t('Sign In…'),
    editUrl: vscode.l10n.t('Change URL…'),
    showLog: vscode.l10n.t('Show Log'),
  };
  const actions: ConnectionErrorAction[] = actionsFor(error);
  const message = vscode.l10n.t('Could not connect to {0}: {1}', server, describeMlflowError(error));
  const picked = await vscode.window.showErrorMessage(message, ...actions.map((a) => labels[a]));
  return actions.find((a) => labels[a] === picked);
}

function actionsFor(error: MlflowError): ConnectionErrorAction[] {
  // A 403 of MLflow 3's security middleware is the server's configuration, not the password.
  if (error.securityBlock) return ['editUrl', 'showLog'];
  switch (error.kind) {
    case 'auth':
    case 'forbidden':
      return ['signIn', 'showLog'];
    case 'notJson':
    case 'notFound':
    case 'invalidParameter':
      return ['editUrl', 'showLog'];
    case 'network':
    case 'timeout':
    case 'server':
      return ['retry', 'editUrl', 'showLog'];
    case 'cancelled':
      return [];
  }
}

/** The core's messages are English (it cannot use vscode.l10n); the UI speaks the user's language. */
export function describeMlflowError(error: MlflowError): string {
  switch (error.kind) {
    case 'auth':
      return vscode.l10n.t('the server asks for a user name and password, or did not accept them.');
    case 'forbidden':
      if (error.securityBlock === 'hostHeader') {
        return vscode.l10n.t(
          'the server refused the host name in the URL (HTTP 403, DNS-rebinding protection of MLflow 3). Its administrator must add this name to the server option --allowed-hosts.',
        );
      }
      if (error.securityBlock === 'crossOrigin') {
        return vscode.l10n.t('the server blocked the request as cross-origin (HTTP 403). Its administrator must allow it with the server option --cors-allowed-origins.');
      }
      return vscode.l10n.t('this account has no access to the server.');
    case 'notFound':
      return vscode.l10n.t('no MLflow server answers at this URL (not found). Check the path prefix, for example /mlflow/.');
    case 'invalidParameter':
      return vscode.l10n.t('the server refused the request: {0}', error.serverMessage ?? error.userMessage);
    case 'server':
      return vscode.l10n.t('the server had an internal error (HTTP {0}).', String(error.status ?? '5xx'));
    case 'network':
      return vscode.l10n.t('the server could not be reached. Check the URL and that this host can reach it.');
    case 'timeout':
      return vscode.l10n.t('the server did not answer in time.');
    case 'notJson':
      return vscode.l10n.t('the server answered with a web page instead of MLflow data. Check the URL: it may be a login page or a wrong path prefix.');
    case 'cancelled':
      return vscode.l10n.t('cancelled.');
  }
}

/** `validateInput` for the tracking URL box, in the user's language (the core's words are English). */
export function localizedTrackingUriProblem(input: string): string | undefined {
  const problem = trackingUriProblem(input);
  const example = 'http://HOST:PORT/mlflow/';
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'empty':
      return vscode.l10n.t('Enter the MLflow tracking URL, for example {0}.', example);
    case 'localPath':
      return vscode.l10n.t('This is a local path: use MLWF: Open Local mlruns Folder… for a local store.');
    case 'noScheme':
      return vscode.l10n.t('The tracking URL must start with http:// or https://, for example {0}.', example);
    case 'invalid':
      return vscode.l10n.t('This is not a valid URL, for example {0}.', example);
    case 'unsupportedScheme':
      return vscode.l10n.t('Only http:// and https:// tracking servers are supported (got {0}//).', problem.scheme);
    case 'credentialsInUrl':
      return vscode.l10n.t('Remove the user name and password from the URL: you will be asked to sign in separately.');
    case 'queryOrFragment':
      return vscode.l10n.t('The tracking URL must not contain "?" or "#", for example {0}.', example);
  }
}
