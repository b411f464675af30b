// Renders the fields of the info.yaml form and keeps them in step with the document state the
// host sends. Every value and message is set as text (textContent / value), never as HTML.
import type { DocumentStateMessage, FormField, FormLabels } from '../../../../src/protocol/infoYamlForm';
import { button, showValue, textArea, textField, type ValueElement } from './toolkit';

export interface FormCallbacks {
  setField(key: string, value: string): void;
  setList(key: string, values: string[]): void;
  openText(): void;
}

interface FieldView {
  readonly field: FormField;
  readonly root: HTMLElement;
  readonly problems: HTMLUListElement;
  /** Puts the document's value into the view, unless the user is typing in it. */
  update(value: string | readonly string[] | undefined, readOnly: boolean): void;
}

// Every keystroke goes to the document at once: a pause before sending would lose the last
// characters when the form is closed right after typing (the page goes with its timers).
const DEBOUNCE_MS = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Runs fn after the user stops typing (at once with no pause); flush() runs it now. */
function debounced(fn: () => void): { schedule(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      if (DEBOUNCE_MS === 0) {
        fn();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, DEBOUNCE_MS);
    },
    flush() {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      fn();
    },
  };
}

const isFocusedWithin = (node: HTMLElement): boolean => node.contains(document.activeElement) || node.matches(':focus-within');

export class FormView {
  private readonly views = new Map<string, FieldView>();
  private readonly banner = el('p', 'banner');
  private readonly fileProblems = el('ul', 'problems file-problems');
  private readonly fileProblemsBox = el('section', 'file-problems-box');
  private readonly summary = el('p', 'summary');
  /** Sends every edit still waiting for the typing pause (the page may be going away). */
  private readonly pending: (() => void)[] = [];

  constructor(
    container: HTMLElement,
    fields: readonly FormField[],
    private readonly labels: FormLabels,
    private readonly callbacks: FormCallbacks,
  ) {
    container.replaceChildren();
    const header = el('header', 'header');
    header.append(el('h1', undefined, labels.title));
    const open = button(labels.openText, 'secondary');
    open.addEventListener('click', () => callbacks.openText());
    header.append(open);
    this.fileProblemsBox.append(el('h2', undefined, labels.fileProblems), this.fileProblems);
    container.append(header, this.banner, this.summary, this.fileProblemsBox);
    for (const field of fields) {
      const view = field.kind === 'group' ? this.group(field) : field.kind === 'list' || field.kind === 'urlList' ? this.list(field) : this.scalar(field);
      this.views.set(field.key, view);
      container.append(view.root);
    }
  }

  flushAll(): void {
    for (const flush of this.pending) flush();
  }

  render(state: DocumentStateMessage): void {
    this.banner.textContent = state.unreadable ? this.labels.cannotParse : '';
    this.banner.hidden = !state.unreadable;
    const fileLevel = state.problems[''] ?? [];
    this.fileProblems.replaceChildren(...fileLevel.map((p) => el('li', undefined, p)));
    this.fileProblemsBox.hidden = fileLevel.length === 0;
    const count = Object.values(state.problems).reduce((n, list) => n + list.length, 0);
    this.summary.textContent = count === 0 && !state.unreadable ? this.labels.valid : '';
    this.summary.hidden = this.summary.textContent === '';
    for (const view of this.views.values()) {
      const problems = state.problems[view.field.key] ?? [];
      view.problems.replaceChildren(...problems.map((p) => el('li', undefined, p)));
      view.root.classList.toggle('has-problems', problems.length > 0);
      const readOnly = state.unreadable || state.readOnly.includes(view.field.key);
      view.update(state.values[view.field.key], readOnly);
      view.root.dataset.readOnly = String(readOnly);
    }
  }

  private frame(field: FormField, tag: 'div' | 'fieldset' = 'div'): { root: HTMLElement; problems: HTMLUListElement; note: HTMLElement } {
    const root = el(tag, `field depth-${field.depth} kind-${field.kind}`);
    root.dataset.key = field.key;
    const note = el('p', 'description', field.description);
    const problems = el('ul', 'problems');
    problems.setAttribute('aria-live', 'polite');
    return { root, problems, note };
  }

  private labelText(field: FormField): string {
    return field.required ? `${field.label} · ${this.labels.required}` : field.label;
  }

  private group(field: FormField): FieldView {
    const { root, problems, note } = this.frame(field);
    const heading = el(field.depth === 0 ? 'h2' : 'h3', 'group-title', this.labelText(field));
    root.append(heading, note, problems);
    return { field, root, problems, update: () => undefined };
  }

  private scalar(field: FormField): FieldView {
    const { root, problems, note } = this.frame(field);
    const input: ValueElement =
      field.kind === 'longText' ? textArea(this.labelText(field)) : textField(this.labelText(field), { type: field.kind === 'url' ? 'url' : field.kind === 'email' ? 'email' : 'text', placeholder: field.kind === 'date' ? '2024-01-31' : undefined });
    input.dataset.key = field.key;
    let sent = '';
    const send = debounced(() => {
      if (input.value === sent) return;
      sent = input.value;
      this.callbacks.setField(field.key, input.value);
    });
    input.addEventListener('input', () => send.schedule());
    input.addEventListener('change', () => send.flush());
    input.addEventListener('focusout', () => send.flush());
    this.pending.push(() => send.flush());
    root.append(input, note);
    if (field.oneOfNote) root.append(el('p', 'one-of', field.oneOfNote));
    root.append(problems);
    return {
      field,
      root,
      problems,
      update: (value, readOnly) => {
        const text = typeof value === 'string' ? value : '';
        sent = text;
        if (!isFocusedWithin(input)) showValue(input, text);
        input.readOnly = readOnly;
      },
    };
  }

  private list(field: FormField): FieldView {
    const { root, problems, note } = this.frame(field, 'fieldset');
    const legend = el('legend', 'list-title', this.labelText(field));
    const items = el('div', 'list-items');
    const add = button(this.labels.add, 'secondary');
    add.classList.add('add-item');
    let current: string[] = [];
    let readOnlyNow = false;
    const collect = (): string[] => [...items.querySelectorAll<ValueElement>('.list-item-input')].map((i) => i.value).filter((v) => v.trim() !== '');
    const send = debounced(() => {
      const values = collect();
      if (values.join('\u0000') === current.join('\u0000')) return;
      current = values;
      this.callbacks.setList(field.key, values);
    });
    this.pending.push(() => send.flush());
    const addItem = (value: string): ValueElement => {
      const row = el('div', 'list-item');
      const input = textField('', { type: field.kind === 'urlList' ? 'url' : 'text' });
      input.classList.add('list-item-input');
      input.setAttribute('aria-label', field.label);
      input.value = value;
      input.readOnly = readOnlyNow;
      input.addEventListener('input', () => send.schedule());
      input.addEventListener('change', () => send.flush());
      const remove = button('✕', 'icon', `${this.labels.remove}: ${field.label}`);
      remove.title = this.labels.remove;
      remove.addEventListener('click', () => {
        row.remove();
        send.schedule();
        send.flush();
      });
      row.append(input, remove);
      items.append(row);
      return input;
    };
    add.addEventListener('click', () => addItem('').focus());
    root.append(legend, items, add, note, problems);
    return {
      field,
      root,
      problems,
      update: (value, readOnly) => {
        readOnlyNow = readOnly;
        add.disabled = readOnly;
        const values = Array.isArray(value) ? [...(value as string[])] : [];
        current = values;
        if (isFocusedWithin(items)) return;
        const shown = [...items.querySelectorAll<ValueElement>('.list-item-input')].map((i) => i.value);
        if (shown.join('\u0000') !== values.join('\u0000')) {
          items.replaceChildren();
          for (const v of values) addItem(v);
        }
        for (const i of items.querySelectorAll<ValueElement>('.list-item-input')) i.readOnly = readOnly;
      },
    };
  }
}
