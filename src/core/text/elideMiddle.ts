// Long keys in one-line tree labels (`key = value`): VS Code cuts a label at its end, which is
// where the value is, so a long metric or parameter key is shortened in its middle instead. Its
// start and end are what tell keys apart (`val/per_class/…/f1_class_17`); the tooltip keeps it whole.

/**
 * The longest key a tree label shows whole: `key = -1.23e-5` then fits the default side bar width
 * (300 px) at a run detail's depth (checked by test/e2e/ui/longKeys.ui.ts).
 */
export const LABEL_KEY_MAX = 20;

/** The same in a run row's description, which follows the run's name (`rmse 0.728 · 2 h ago`). */
export const DESCRIPTION_KEY_MAX = 11;

/** `text` if it has at most `max` characters, else its start and end around one `…` (`max` in all). */
export function elideMiddle(text: string, max = LABEL_KEY_MAX): string {
  const chars = [...text]; // code points: never split a surrogate pair
  if (chars.length <= max) return text;
  if (max <= 1) return '…';
  const head = Math.max(1, Math.floor((max - 1) * 0.45)); // a little more of the end: the leaf name
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
