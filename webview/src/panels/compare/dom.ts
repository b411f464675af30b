// Building the page's DOM. Text goes in through `textContent` only: run names, params and tags
// are the user's (an `<img onerror>` run name must show as those characters), so nothing here
// ever parses a string as HTML.

type Props = { className?: string; text?: string; title?: string; attrs?: Record<string, string> };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** `--vscode-*` and contributed colours as the theme sets them right now. */
export function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** `{0}` placeholders of a localized template, filled with plain text. */
export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}

/**
 * Runs `work` once the page's frame is on the screen and the main thread has nothing else
 * queued (at most `maxWaitMs` later). After the first chart the page's further work waits for
 * this: in code-server the page shares the workbench's main thread, and the page's `firstPaint`
 * message and its next requests travel to the extension host through tasks of the workbench
 * (frame to frame, then the websocket) that ran only after work queued with a zero timeout:
 * their message left some 270 ms after the paint, 40 ms once the work waited
 * (bench/compareFirstPaint.bench.ts).
 */
export function whenIdle(work: () => void, maxWaitMs = 500): void {
  requestAnimationFrame(() => requestIdleCallback(() => work(), { timeout: maxWaitMs }));
}
