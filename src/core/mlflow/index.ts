/** Public API of the MLflow REST client (plain Node: never imports 'vscode'). */
export { MlflowClient } from './client';
export { METRIC_HISTORY_PAGE_SIZE } from './client';
export type { MlflowClientOptions, ExperimentSearch, RunSearch, RegistrySearch, BulkIntervalQuery, LoggedModelSearch } from './client';
export { isLoggedModelId, loggedModelIdOfUri } from './loggedModels';
export { capabilitiesFromVersion, describeCapabilities, majorVersionOf, type ServerCapabilities } from './serverCapabilities';
export type { CallOptions, RetrySettings, RequestLogEvent, MlflowHttpOptions } from './http';
export type { ArtifactDownload, ByteRange, DownloadOptions } from './artifacts';
export { MlflowError, isMlflowError, needsSignIn, notJsonMessage } from './errors';
export type { MlflowErrorKind, SecurityBlock } from './errors';
export { authFromCredentials, authorizationHeader, connectionFromEnv, describeAuth } from './auth';
export type { MlflowAuth, MlflowConnectionSettings, TlsOptions } from './auth';
export { joinTrackingUri, describeServer, validateTrackingUri, normalizeTrackingUri, trackingUriProblem, type TrackingUriProblem } from './uri';
export { iteratePages, iterateItems, collect } from './paging';
export type { PageFetcher } from './paging';
export type * from './types';
