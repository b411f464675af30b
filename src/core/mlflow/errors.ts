/**
 * One error type for everything that can go wrong talking to MLflow, with a `kind` the UI can
 * switch on (sign in again, retry, fix the URL…) and a `userMessage` that is one plain sentence.
 * Technical details (status, MLflow error code, request path) stay in `message` for the log.
 */
import * as l10n from '@vscode/l10n';

export type MlflowErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'invalidParameter'
  | 'server'
  | 'network'
  | 'timeout'
  | 'notJson'
  | 'cancelled';

export interface MlflowErrorInit {
  kind: MlflowErrorKind;
  userMessage: string;
  status?: number;
  errorCode?: string;
  serverMessage?: string;
  /** `METHOD /path?query` of the failed request, for the log (never contains credentials). */
  request?: string;
  /** MLflow 3's security middleware refused the request (a 403 that no password can fix). */
  securityBlock?: SecurityBlock;
  cause?: unknown;
}

/** Which check of MLflow 3's security middleware refused the request. */
export type SecurityBlock = 'hostHeader' | 'crossOrigin';

export class MlflowError extends Error {
  readonly kind: MlflowErrorKind;
  readonly status?: number;
  readonly errorCode?: string;
  readonly serverMessage?: string;
  readonly userMessage: string;
  readonly request?: string;
  readonly securityBlock?: SecurityBlock;

  constructor(init: MlflowErrorInit) {
    const details = [
      init.request,
      init.status !== undefined ? `HTTP ${init.status}` : undefined,
      init.errorCode,
      init.serverMessage,
    ].filter((part): part is string => part !== undefined && part !== '');
    super(`[${init.kind}] ${init.userMessage}${details.length ? ` (${details.join(' | ')})` : ''}`, {
      cause: init.cause,
    });
    this.name = 'MlflowError';
    this.kind = init.kind;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.serverMessage = init.serverMessage;
    this.userMessage = init.userMessage;
    this.request = init.request;
    this.securityBlock = init.securityBlock;
  }
}

export function isMlflowError(e: unknown): e is MlflowError {
  return e instanceof MlflowError;
}

/** Whether signing in (again) can fix the error: not for a 403 of MLflow 3's security middleware. */
export function needsSignIn(error: MlflowError): boolean {
  return error.kind === 'auth' || (error.kind === 'forbidden' && !error.securityBlock);
}

// Messages go through @vscode/l10n: English in plain Node (tests, the CLI), the editor's display
// language once the extension host has handed it the bundle (see src/host/coreL10n.ts).
export function notJsonMessage(): string {
  return l10n.t('The server answered with a web page instead of MLflow data: check the tracking URL (it may be a login page or a wrong path prefix).');
}

function wrongUrlMessage(): string {
  return l10n.t('The server has no MLflow API at this address: the tracking URL is probably wrong (check the path prefix, for example /mlflow/).');
}

export interface ResponseContext {
  status: number;
  contentType: string | null;
  bodyText: string;
  /** Whether an Authorization header was sent: changes what a 401 means to the user. */
  hadCredentials: boolean;
  request?: string;
}

interface MlflowJsonError {
  error_code?: unknown;
  message?: unknown;
}

function parseJsonError(ctx: ResponseContext): { errorCode?: string; message?: string } | undefined {
  if (ctx.contentType !== null && /html/i.test(ctx.contentType)) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(ctx.bodyText) as MlflowJsonError;
    if (parsed === null || typeof parsed !== 'object') {
      return undefined;
    }
    return {
      errorCode: typeof parsed.error_code === 'string' ? parsed.error_code : undefined,
      message: typeof parsed.message === 'string' ? parsed.message : undefined,
    };
  } catch {
    return undefined;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim().split('\n')[0]!.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

const NOT_FOUND_CODES = new Set(['RESOURCE_DOES_NOT_EXIST', 'NOT_FOUND', 'ENDPOINT_NOT_FOUND']);
const INVALID_CODES = new Set([
  'INVALID_PARAMETER_VALUE',
  'BAD_REQUEST',
  'INVALID_REQUEST',
  'MALFORMED_REQUEST',
  'RESOURCE_ALREADY_EXISTS',
  'INVALID_STATE',
]);

/** Map a non-2xx HTTP answer to an MlflowError. */
export function errorFromResponse(ctx: ResponseContext): MlflowError {
  const { status, request } = ctx;
  const json = parseJsonError(ctx);
  const errorCode = json?.errorCode;
  const serverMessage = json?.message;
  const base = { status, errorCode, serverMessage, request };

  // The reverse proxy (nginx) answers 401/403 with HTML before MLflow sees the request, so the
  // status alone decides; a JSON body from MLflow's own auth app only adds the message.
  if (status === 401 || errorCode === 'UNAUTHENTICATED') {
    return new MlflowError({
      ...base,
      kind: 'auth',
      userMessage: ctx.hadCredentials
        ? l10n.t('The MLflow server rejected the user name or password (HTTP 401): sign in again.')
        : l10n.t('The MLflow server requires a sign-in (HTTP 401): enter your user name and password.'),
    });
  }
  const block = status === 403 && json === undefined ? securityBlockOf(ctx.bodyText) : undefined;
  if (block) {
    // Plain text, not JSON: MLflow 3 (>= 3.5) rejects a Host header or an Origin it does not
    // list before any handler runs. Signing in again cannot help; the server's options can.
    return new MlflowError({ ...base, kind: 'forbidden', securityBlock: block, serverMessage: ctx.bodyText.trim().slice(0, 200), userMessage: securityBlockMessage(block) });
  }
  if (status === 403 || errorCode === 'PERMISSION_DENIED') {
    return new MlflowError({
      ...base,
      // MLflow's auth app answers a denied request in plain text ("Permission denied"), not JSON:
      // kept (short, never a whole HTML page) so the write path can tell it from a proxy's 403.
      serverMessage: serverMessage ?? plainTextOf(ctx.bodyText),
      kind: 'forbidden',
      userMessage: l10n.t('You are signed in but not allowed to do this on the MLflow server (HTTP 403).'),
    });
  }
  if (json === undefined && (status === 404 || status === 405)) {
    // Flask's HTML 404/405: the path does not exist, i.e. the base URL or prefix is wrong.
    return new MlflowError({ ...base, kind: 'notFound', userMessage: wrongUrlMessage() });
  }
  if ((errorCode && NOT_FOUND_CODES.has(errorCode)) || status === 404) {
    return new MlflowError({
      ...base,
      kind: 'notFound',
      userMessage: serverMessage ? sentence(serverMessage) : l10n.t('The requested item does not exist on the MLflow server.'),
    });
  }
  if ((errorCode && INVALID_CODES.has(errorCode)) || (status >= 400 && status < 500 && status !== 429)) {
    return new MlflowError({
      ...base,
      kind: 'invalidParameter',
      userMessage: serverMessage
        ? l10n.t('MLflow rejected the request: {0}', sentence(serverMessage))
        : l10n.t('MLflow rejected the request (HTTP {0}).', status),
    });
  }
  if (status === 429) {
    return new MlflowError({
      ...base,
      kind: 'server',
      userMessage: l10n.t('The MLflow server is busy (HTTP 429): try again in a moment.'),
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return new MlflowError({
      ...base,
      kind: 'server',
      userMessage: l10n.t('The MLflow server is not responding behind its proxy (HTTP {0}): try again later or ask its administrator.', status),
    });
  }
  return new MlflowError({
    ...base,
    kind: 'server',
    userMessage: serverMessage
      ? l10n.t('The MLflow server failed: {0}', sentence(serverMessage))
      : l10n.t('The MLflow server failed (HTTP {0}).', status),
  });
}

function plainTextOf(bodyText: string): string | undefined {
  const text = bodyText.trim();
  return text !== '' && text.length <= 200 && !text.startsWith('<') ? text : undefined;
}

/**
 * Whether MLflow itself refused the request for the signed-in user's permissions: its auth app
 * (`mlflow server --app-name basic-auth`) answers "Permission denied" as text; a JSON
 * PERMISSION_DENIED comes from servers that wrap MLflow's errors (Databricks-style gateways).
 */
export function isPermissionDenied(e: MlflowError): boolean {
  return e.errorCode === 'PERMISSION_DENIED' || (e.status === 403 && /^Permission denied\.?$/i.test(e.serverMessage ?? ''));
}

/** The plain-text answers of MLflow 3's security middleware (mlflow/server/security.py). */
export function securityBlockOf(bodyText: string): SecurityBlock | undefined {
  if (/Invalid Host header|DNS rebinding/i.test(bodyText)) return 'hostHeader';
  if (/Cross-origin request blocked/i.test(bodyText)) return 'crossOrigin';
  return undefined;
}

export function securityBlockMessage(block: SecurityBlock): string {
  return block === 'hostHeader'
    ? l10n.t(
        'The MLflow server refused the host name in the tracking URL (HTTP 403, its DNS-rebinding protection): its administrator must add that name to the server option --allowed-hosts (or MLFLOW_SERVER_ALLOWED_HOSTS).',
      )
    : l10n.t(
        'The MLflow server blocked the request as cross-origin (HTTP 403): its administrator must allow this origin with the server option --cors-allowed-origins (or MLFLOW_SERVER_CORS_ALLOWED_ORIGINS).',
      );
}

/** A 2xx answer that is not MLflow JSON: a login page, the UI's index.html, a wrong prefix… */
export function notJsonError(status: number, request?: string, cause?: unknown): MlflowError {
  return new MlflowError({ kind: 'notJson', status, request, userMessage: notJsonMessage(), cause });
}

export function cancelledError(request?: string, cause?: unknown): MlflowError {
  return new MlflowError({ kind: 'cancelled', request, userMessage: l10n.t('The request was cancelled.'), cause });
}

export function timeoutError(timeoutMs: number, request?: string, cause?: unknown): MlflowError {
  return new MlflowError({
    kind: 'timeout',
    request,
    cause,
    userMessage: l10n.t('The MLflow server did not answer within {0} seconds: it may be overloaded or unreachable.', Math.round(timeoutMs / 1000)),
  });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Walk `cause` chains (undici wraps the socket error in `TypeError: fetch failed`). */
export function errorCodeOf(e: unknown): string | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTlsCode(code: string): boolean {
  return (
    code.includes('CERT') ||
    code.includes('SELF_SIGNED') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code.startsWith('ERR_SSL')
  );
}

/** Map a thrown transport error (no HTTP answer) to a network error with a helpful sentence. */
export function networkError(e: unknown, request?: string): MlflowError {
  const code = errorCodeOf(e) ?? '';
  let userMessage = l10n.t('The MLflow server could not be reached: check the tracking URL and your network.');
  if (DNS_CODES.has(code)) {
    userMessage = l10n.t('The MLflow server host name could not be resolved: check the tracking URL.');
  } else if (REFUSED_CODES.has(code)) {
    userMessage = l10n.t('Nothing is listening at the MLflow server address (connection refused): is the server running and the port right?');
  } else if (RESET_CODES.has(code)) {
    userMessage = l10n.t('The connection to the MLflow server was closed unexpectedly: try again.');
  } else if (UNREACHABLE_CODES.has(code)) {
    userMessage = l10n.t('The MLflow server address is unreachable from this machine: check the network or VPN.');
  } else if (isTlsCode(code)) {
    userMessage = l10n.t(
      "The server's TLS certificate could not be verified: configure a CA certificate file or, on a trusted network only, allow insecure TLS.",
    );
  }
  return new MlflowError({ kind: 'network', request, userMessage, errorCode: code || undefined, cause: e });
}
