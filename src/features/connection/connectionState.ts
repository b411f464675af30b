// The connection's state, as the status bar, the welcome views and later the trees see it.
// Exposed to `when` clauses through the `mlwf.connectionState` context key.

export type ConnectionState =
  | { readonly kind: 'unconfigured' }
  | { readonly kind: 'connecting'; readonly trackingUri: string }
  | { readonly kind: 'connected'; readonly trackingUri: string; readonly user: string | undefined }
  /** A local MLflow file store (`mlruns/`): from a `file:` tracking URI or found in the workspace. */
  | { readonly kind: 'local'; readonly trackingUri: string; readonly root: string }
  | { readonly kind: 'signInNeeded'; readonly trackingUri: string; readonly message: string }
  | { readonly kind: 'unreachable'; readonly trackingUri: string; readonly message: string };

export type ConnectionStateKind = ConnectionState['kind'];

export const CONNECTION_STATE_CONTEXT_KEY = 'mlwf.connectionState';
