// Progress of an export as the editor and the CLI show it: phase, files, bytes, rate, ETA.
// The rate is measured over the last few seconds so a stall shows at once and the ETA follows.

export type ExportPhase = 'resolving' | 'downloading' | 'archiving' | 'finishing';

export interface ExportProgress {
  phase: ExportPhase;
  filesDone: number;
  filesTotal: number;
  /** Bytes of the current phase (downloaded, or tar bytes compressed). */
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
  /** Seconds left in this phase, when the rate allows an estimate. */
  etaSeconds?: number;
}

const WINDOW_MS = 3000;
const EMIT_EVERY_MS = 100;

export class ProgressMeter {
  private samples: Array<[number, number]> = [];
  private lastEmit = 0;
  private state: ExportProgress = { phase: 'resolving', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0 };

  constructor(
    private readonly emit: ((p: ExportProgress) => void) | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get current(): ExportProgress {
    return this.state;
  }

  /** `bytesDone`: what of the new phase is already done (compression runs during the download). */
  phase(phase: ExportPhase, totals: { filesTotal?: number; bytesTotal?: number; bytesDone?: number } = {}): void {
    this.samples = [];
    this.state = { ...this.state, phase, bytesDone: totals.bytesDone ?? 0, rate: 0, etaSeconds: undefined, bytesTotal: totals.bytesTotal ?? 0, filesTotal: totals.filesTotal ?? this.state.filesTotal };
    this.flush(true);
  }

  bytes(delta: number): void {
    this.state.bytesDone = Math.max(0, this.state.bytesDone + delta);
    this.flush(false);
  }

  fileDone(): void {
    this.state.filesDone++;
    this.flush(true); // a finished file is news worth showing (and tests cancel on it)
  }

  private flush(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastEmit < EMIT_EVERY_MS) return;
    this.lastEmit = t;
    this.samples.push([t, this.state.bytesDone]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > WINDOW_MS) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    const rate = t > t0 ? ((this.state.bytesDone - b0) * 1000) / (t - t0) : 0;
    const left = Math.max(0, this.state.bytesTotal - this.state.bytesDone);
    this.state = { ...this.state, rate, etaSeconds: rate > 0 && this.state.bytesTotal > 0 ? left / rate : undefined };
    this.emit?.({ ...this.state });
  }
}

/** 75 → "1:15", 3700 → "1:01:40". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
