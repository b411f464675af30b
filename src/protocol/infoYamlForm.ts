// Messages between the info.yaml form editor (webview/src/panels/infoYamlForm) and its host
// (src/features/infoYaml/infoYamlFormEditor.ts). One union per direction; every incoming message
// passes a guard before an exhaustive switch. Imports nothing but the shared handshake.
//
// The host owns the document: the webview sends edits of one field, the host applies them to
// the TextDocument (so undo, dirty state and the text editor stay in sync) and answers with the
// whole form state again.
import { hasMessageType, type ReadyMessage } from './handshake';

export type FormFieldKind = 'text' | 'longText' | 'list' | 'urlList' | 'url' | 'email' | 'date' | 'group';

export interface FormField {
  /** Dotted path, e.g. "Creator.ContactPoint.Email". */
  readonly key: string;
  readonly kind: FormFieldKind;
  readonly label: string;
  readonly description: string;
  readonly required: boolean;
  /** "one of these is required" note, already localised; empty when not in such a group. */
  readonly oneOfNote: string;
  /** Nesting depth (0 for top-level keys). */
  readonly depth: number;
}

/** Every UI string of the form, localised by the host (the webview has no l10n). */
export interface FormLabels {
  readonly title: string;
  readonly required: string;
  readonly add: string;
  readonly remove: string;
  readonly openText: string;
  readonly fileProblems: string;
  readonly cannotParse: string;
  readonly readOnly: string;
  readonly valid: string;
}

export interface InitMessage {
  readonly type: 'init';
  readonly fields: readonly FormField[];
  readonly labels: FormLabels;
}

export interface DocumentStateMessage {
  readonly type: 'document';
  /** The TextDocument version this state was read from. */
  readonly version: number;
  readonly values: Readonly<Record<string, string | readonly string[]>>;
  readonly readOnly: readonly string[];
  /** Localised problems by field key; file-level problems (syntax…) under "". */
  readonly problems: Readonly<Record<string, readonly string[]>>;
  /** True when the text cannot be read as a mapping: the form is shown read-only. */
  readonly unreadable: boolean;
}

export type InfoYamlFormHostMessage = InitMessage | DocumentStateMessage;

export interface SetFieldMessage {
  readonly type: 'setField';
  readonly key: string;
  readonly value: string;
}

export interface SetListMessage {
  readonly type: 'setList';
  readonly key: string;
  readonly values: readonly string[];
}

export interface OpenTextMessage {
  readonly type: 'openText';
}

export type InfoYamlFormWebviewMessage = ReadyMessage | SetFieldMessage | SetListMessage | OpenTextMessage;

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const KEY = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

export function isInfoYamlFormWebviewMessage(value: unknown): value is InfoYamlFormWebviewMessage {
  if (!hasMessageType(value)) return false;
  const m = value as Record<string, unknown>;
  switch (value.type) {
    case 'ready':
    case 'openText':
      return true;
    case 'setField':
      return isString(m.key) && KEY.test(m.key) && isString(m.value) && m.value.length <= 1_000_000;
    case 'setList':
      return isString(m.key) && KEY.test(m.key) && isStringArray(m.values) && m.values.length <= 10_000;
    default:
      return false;
  }
}

export function isInfoYamlFormHostMessage(value: unknown): value is InfoYamlFormHostMessage {
  if (!hasMessageType(value)) return false;
  const m = value as Record<string, unknown>;
  switch (value.type) {
    case 'init':
      return Array.isArray(m.fields) && typeof m.labels === 'object' && m.labels !== null;
    case 'document':
      return typeof m.version === 'number' && typeof m.values === 'object' && m.values !== null && Array.isArray(m.readOnly) && typeof m.problems === 'object' && typeof m.unreadable === 'boolean';
    default:
      return false;
  }
}
