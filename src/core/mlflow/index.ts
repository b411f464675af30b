/** Public API of the MLflow REST client (plain Node: never imports 'vscode'). */
export { MlflowClient } from './client';
export type { MlflowClientOptions, ExperimentSearch, RunSearch, RegistrySearch, BulkIntervalQuery } from './client';
export type { CallOptions, RetrySettings, RequestLogEvent, MlflowHttpOptions } from './http';
export type { ArtifactDownload, ByteRange, DownloadOptions } from './artifacts';
export { MlflowError, isMlflowError, notJsonMessage } from './errors';
export type { MlflowErrorKind } from './errors';
export { authFromCredentials, authorizationHeader, connectionFromEnv, describeAuth } from './auth';
export type { MlflowAuth, MlflowConnectionSettings, TlsOptions } from './auth';
export { joinTrackingUri, describeServer, validateTrackingUri, normalizeTrackingUri, trackingUriProblem, type TrackingUriProblem } from './uri';
export { iteratePages, iterateItems, collect } from './paging';
export type { PageFetcher } from './paging';
export type * from './types';
