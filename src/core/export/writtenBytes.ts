// How far each file of an export has reached the disk while it downloads. The downloader reports
// every completed write; the archive writer waits here and reads each file's bytes right behind
// the download, so compression runs while the network still delivers (no second pass at the end).

interface FileState {
  /** Bytes from the start of the file whose writes have completed (a resume never goes below). */
  written: number;
  done: boolean;
}

export interface WrittenSoFar {
  written: number;
  done: boolean;
}

export class WrittenBytes {
  private readonly files = new Map<string, FileState>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private failure: { error: unknown } | undefined;

  private state(file: string): FileState {
    let s = this.files.get(file);
    if (!s) this.files.set(file, (s = { written: 0, done: false }));
    return s;
  }

  private wake(file: string): void {
    const set = this.waiters.get(file);
    if (!set) return;
    this.waiters.delete(file);
    for (const wake of set) wake();
  }

  /** The file's first `end` bytes are on disk. */
  written(file: string, end: number): void {
    const s = this.state(file);
    if (end <= s.written) return;
    s.written = end;
    this.wake(file);
  }

  /** The file is complete and checked (size, MD5): nothing more will be written to it. */
  done(file: string): void {
    this.state(file).done = true;
    this.wake(file);
  }

  /** The downloads stopped for good: whoever waits gets this error. */
  fail(error: unknown): void {
    this.failure ??= { error };
    for (const file of [...this.waiters.keys()]) this.wake(file);
  }

  /** Resolves once more than `beyond` bytes of `file` are on disk, or it is done. */
  async until(file: string, beyond: number, signal?: AbortSignal): Promise<WrittenSoFar> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.failure) throw this.failure.error;
      const s = this.state(file);
      if (s.written > beyond || s.done) return { written: s.written, done: s.done };
      await new Promise<void>((resolve) => {
        let set = this.waiters.get(file);
        if (!set) this.waiters.set(file, (set = new Set()));
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          set.delete(wake);
          resolve(); // the loop's throwIfAborted says why
        };
        set.add(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
