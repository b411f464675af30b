// The ONLY module that imports @vscode/webview-ui-toolkit. The toolkit is archived upstream;
// the rest of the page asks this module for controls, so swapping it (for @vscode-elements or
// plain elements styled with the theme's variables) touches this file alone.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';
import { el } from './dom';

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDivider(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodePanels(),
  vsCodePanelTab(),
  vsCodePanelView(),
  vsCodeProgressRing(),
);

export function button(label: string, onClick: () => void, options: { appearance?: 'primary' | 'secondary' | 'icon'; title?: string; name?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) b.title = options.title;
  if (options.title || options.appearance === 'icon') b.setAttribute('aria-label', options.title ?? label);
  if (options.name) b.dataset.name = options.name;
  b.addEventListener('click', onClick);
  return b;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, name?: string): HTMLElement {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.textContent = label;
  c.checked = checked;
  if (checked) c.setAttribute('checked', '');
  if (name) c.dataset.name = name;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export function dropdown(choices: readonly Choice[], value: string, onChange: (value: string) => void, label?: string, name?: string): HTMLElement {
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  for (const choice of choices) {
    const o = document.createElement('vscode-option') as HTMLElement & { value: string };
    o.textContent = choice.label;
    o.setAttribute('value', choice.value);
    if (choice.value === value) o.setAttribute('selected', '');
    d.append(o);
  }
  if (label) d.setAttribute('aria-label', label);
  if (name) d.dataset.name = name;
  d.addEventListener('change', () => onChange(d.value));
  return label ? el('label', { className: 'field' }, el('span', { text: label }), d) : d;
}

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly content: HTMLElement;
}

/** Tabs (arrow keys move between them, as the toolkit implements the ARIA tab pattern). */
export function tabs(items: readonly Tab[], active: string, onChange: (id: string) => void): HTMLElement {
  const panels = document.createElement('vscode-panels') as HTMLElement & { activeid: string };
  for (const tab of items) {
    const t = document.createElement('vscode-panel-tab');
    t.id = `tab-${tab.id}`;
    t.textContent = tab.label;
    panels.append(t);
  }
  for (const tab of items) {
    const v = document.createElement('vscode-panel-view');
    v.id = `view-${tab.id}`;
    v.append(tab.content);
    panels.append(v);
  }
  panels.setAttribute('activeid', `tab-${active}`);
  panels.addEventListener('change', () => {
    const id = (panels.activeid ?? '').replace(/^tab-/, '');
    if (id) onChange(id);
  });
  return panels;
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}
