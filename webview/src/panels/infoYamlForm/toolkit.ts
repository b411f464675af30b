// The ONE module of webview/ that imports @vscode/webview-ui-toolkit (archived upstream): the
// form uses only these factories, so swapping the toolkit for plain elements or another library
// means rewriting this file alone. Kept inside this panel's folder so it never collides with
// another panel's choice.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextArea, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodeTextArea());
  registered = true;
}

/** A text input the form reads and writes through `value`, with input/change events. */
export interface ValueElement extends HTMLElement {
  value: string;
  disabled: boolean;
  readOnly: boolean;
}

/**
 * Shows a value in a field now. The toolkit copies `value` into its inner input on its next
 * render pass; a value that changes several times in quick succession (text typed in the editor
 * beside) could leave an older one on screen, so the inner control is set too.
 */
export function showValue(el: ValueElement, value: string): void {
  el.value = value;
  const control = (el as unknown as { control?: HTMLInputElement | HTMLTextAreaElement }).control;
  if (control && control.value !== value) control.value = value;
}

/** A single-line field with a visible label (text, never HTML). */
export function textField(label: string, options: { type?: 'text' | 'url' | 'email'; placeholder?: string } = {}): ValueElement {
  const el = document.createElement('vscode-text-field') as unknown as ValueElement;
  if (options.type && options.type !== 'text') el.setAttribute('type', options.type);
  if (options.placeholder) el.setAttribute('placeholder', options.placeholder);
  if (label) {
    const text = document.createElement('span');
    text.textContent = label;
    el.appendChild(text);
  }
  return el;
}

/** A multi-line field that grows vertically. */
export function textArea(label: string, rows = 5): ValueElement {
  const el = document.createElement('vscode-text-area') as unknown as ValueElement;
  el.setAttribute('rows', String(rows));
  el.setAttribute('resize', 'vertical');
  const text = document.createElement('span');
  text.textContent = label;
  el.appendChild(text);
  return el;
}

export function button(label: string, appearance: 'primary' | 'secondary' | 'icon' = 'secondary', ariaLabel?: string): HTMLElement & { disabled: boolean } {
  const el = document.createElement('vscode-button') as HTMLElement & { disabled: boolean };
  el.setAttribute('appearance', appearance);
  el.textContent = label;
  if (ariaLabel) el.setAttribute('aria-label', ariaLabel);
  return el;
}
