// At most `limit` tasks at once, the rest queued in order. Written here rather than taken from
// p-limit because a queued task must be dropped when its AbortSignal fires (a closed panel's
// requests should never start), which p-limit's queue cannot do for one task.
import { cancelledError } from '../mlflow/errors';

export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now (for tests and stats). */
  readonly active: number;
}

export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    while (active < limit && queue.length > 0) queue.shift()!();
  };
  return {
    get active() {
      return active;
    },
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) {
            reject(cancelledError(undefined, signal.reason));
            return;
          }
          active++;
          // The slot is freed before the caller hears back, so `active` is exact when it does.
          const done = () => {
            active--;
            next();
          };
          let work: Promise<T>;
          try {
            work = task();
          } catch (e) {
            work = Promise.reject(e);
          }
          work.then(
            (value) => {
              done();
              resolve(value);
            },
            (error: unknown) => {
              done();
              reject(error);
            },
          );
        };
        const onAbort = () => {
          const i = queue.indexOf(start);
          if (i >= 0) {
            queue.splice(i, 1);
            reject(cancelledError(undefined, signal?.reason));
          }
        };
        if (signal?.aborted) {
          reject(cancelledError(undefined, signal.reason));
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(start);
        next();
      });
    },
  };
}
