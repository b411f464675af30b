// What a command hands back to whoever ran it. Run from the palette, a menu or a key, that is
// the workbench: the extension host serializes the result as JSON and sends it over to the
// window (over code-server's websocket, or Remote-SSH's). A ComparePanel sent that way was its
// raw runs, 836 KiB for 500 of them; a tree node drags its parents and its backend along; a
// circular one makes the host stringify until it gives up. Only small plain answers go.
// (No `vscode` import: the unit tests load this file in plain Node.)

/** Longer strings stay in the extension host: no command of ours answers with a document. */
export const MAX_WORKBENCH_STRING = 4096;

/** The part of a command's result the workbench may receive: a boolean, a number, a short string. */
export function workbenchResult(value: unknown): boolean | number | string | undefined {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'string':
      return value.length <= MAX_WORKBENCH_STRING ? value : undefined;
    default:
      // Objects, arrays, functions, bigints (JSON cannot hold them), symbols, undefined.
      return undefined;
  }
}
