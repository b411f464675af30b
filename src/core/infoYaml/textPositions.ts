// Offsets ↔ line/character positions. Characters are UTF-16 code units, as in VS Code and in
// JavaScript strings, so offsets from the YAML parser map onto editor positions unchanged.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo]! };
  }

  offsetAt(position: Position): number {
    const start = this.starts[Math.min(position.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + position.character, this.text.length);
  }

  /** Offset of the start of the line holding offset. */
  lineStart(offset: number): number {
    return this.starts[this.positionAt(offset).line]!;
  }

  /** Offset just past the newline ending the line that holds offset (or the text's end). */
  nextLineStart(offset: number): number {
    const line = this.positionAt(offset).line;
    return line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
  }
}
