// The one place a webview touches `acquireVsCodeApi`, typed by the protocol: panels post only
// their declared message union and keep only view state (the host owns the data).
import type { ReadyMessage } from '../../src/protocol/handshake';

interface VsCodeApi<TOut, TState> {
  postMessage(message: TOut): void;
  getState(): TState | undefined;
  setState(state: TState): void;
}

declare function acquireVsCodeApi<TOut, TState>(): VsCodeApi<TOut, TState>;

let api: VsCodeApi<unknown, unknown> | undefined;

/** acquireVsCodeApi may be called once per page; later calls reuse the same handle. */
export function vscodeApi<TOut, TState>(): VsCodeApi<TOut | ReadyMessage, TState> {
  api ??= acquireVsCodeApi<unknown, unknown>();
  return api as VsCodeApi<TOut | ReadyMessage, TState>;
}

/** Tells the host the page is listening; call after the message listener is installed. */
export function announceReady(): void {
  vscodeApi<never, unknown>().postMessage({ type: 'ready' });
}
