// Show Output: a job's output file, followed as it grows (Grid Engine and PBS `-k oed` write it
// on the shared file system while the job runs). Polls the size, so it works on NFS where file
// watching does not; each chunk is delivered once, in order.
import { open, stat } from 'node:fs/promises';

export interface FollowOptions {
  readonly intervalMs?: number;
  readonly signal: AbortSignal;
  /** Stop after the chunk that was read once this says the job has ended. */
  readonly ended?: () => boolean;
}

export async function followFile(file: string, onChunk: (text: string) => void, options: FollowOptions): Promise<void> {
  const { signal } = options;
  const interval = options.intervalMs ?? 1000;
  let offset = 0;
  const decoder = new TextDecoder('utf-8');
  while (!signal.aborted) {
    const endedBefore = options.ended?.() ?? false;
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size < offset) offset = 0; // truncated (resubmitted): start over
    if (size > offset) {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        const text = decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
        if (text) onChunk(text);
      } finally {
        await handle.close();
      }
    }
    if (endedBefore) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
