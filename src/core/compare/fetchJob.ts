// One fetch shared by every load() that needs it: it runs on its own AbortController and is
// aborted only when the last caller waiting on it gave up (a second panel asking for the same
// runs must not lose its data because the first one closed).

export class FetchJob<T> {
  private readonly controller = new AbortController();
  private waiters = 0;
  private done = false;
  readonly result: Promise<T>;

  constructor(work: (signal: AbortSignal) => Promise<T>) {
    this.result = work(this.controller.signal).finally(() => {
      this.done = true;
    });
    // Failures reach callers through `result`; an unobserved one must not crash the host.
    this.result.catch(() => undefined);
  }

  /** Aborted because nobody waits any more; its result will be a cancellation. */
  get abandoned(): boolean {
    return this.controller.signal.aborted;
  }

  get settled(): boolean {
    return this.done;
  }

  acquire(): void {
    this.waiters++;
  }

  release(): void {
    this.waiters--;
    if (this.waiters <= 0 && !this.done) this.controller.abort(new Error('nobody waits for this fetch any more'));
  }
}

/** Rejects with `onAbort()` as soon as `signal` aborts, else settles like `work`. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
