/** Live updates of running runs (plain Node: never imports 'vscode'). */
export { LivePoller, type LiveBackend, type LivePollerOptions, type LivePollerStats, type LiveTarget, type LiveUpdate, type TailSubscription } from './livePoller';
export { HeldTails, isAfter, tailRequests, takeNewPoints, type HeldPoint, type NewPoints, type TailRequest } from './historyTail';
export { backoffDelay, DEFAULT_MAX_BACKOFF_MS } from './backoff';
export { runIdsFilter } from './runIdFilter';
export { isLiveRun, isLiveStatus } from './runStatus';
