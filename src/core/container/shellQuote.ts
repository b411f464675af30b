// Every value that reaches a shell goes through here. POSIX single quotes are the only quoting
// with no special characters inside, so a model named `x'; rm -rf ~; '` stays one inert word.

/** One shell word: `it's` → `'it'\''s'`. Plain words ([A-Za-z0-9_./:=@%+,-]) stay unquoted for readability. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** Text safe for one line of a recipe field (labels, help): no control characters or newlines. */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
