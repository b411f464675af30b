// Small statistics helpers shared by the benchmarks: medians over repeated runs, because the
// machines are shared and noisy; ratios against a peer doing the same work.

export async function timeMedian(runs: number, work: () => Promise<unknown>): Promise<{ medianMs: number; samplesMs: number[] }> {
  const samplesMs: number[] = [];
  // Warm-up: connection pool, JIT and server-side caches, for both contenders alike. One round
  // is not enough: the first few calls of a code path run unoptimised and swamp a 5 ms figure.
  for (let i = 0; i < 5; i++) await work();
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    samplesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(typeof c === 'number' ? c.toFixed(1) : c).padEnd(widths[i] ?? 12)).join('');
}
