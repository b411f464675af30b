// Messages every webview panel shares, whatever its feature. Types only (plus a guard): this
// module is compiled into both the extension host and the browser bundles, so it imports nothing.
//
// The panel sends nothing before the webview says `ready` (a message posted earlier would be
// lost while the page loads); each feature adds its own union beside this one.

/** Sent by the webview once its script has loaded and it can receive messages. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Messages common to every webview → host channel. */
export type CommonWebviewMessage = ReadyMessage;

/** Narrows an unknown posted value to an object with a string `type`, the first step of every guard. */
export function hasMessageType(value: unknown): value is { readonly type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return hasMessageType(value) && value.type === 'ready';
}
