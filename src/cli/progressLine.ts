// The CLI's progress: one line rewritten in place on a terminal, phase changes only otherwise
// (so a batch job's log stays readable).
import { formatBytes, formatDuration, type ExportProgress } from '../core/export';

const PHASE: Record<ExportProgress['phase'], string> = {
  resolving: 'Resolving',
  downloading: 'Downloading',
  finishing: 'Writing info.yaml',
  archiving: 'Compressing model.tar.gz',
};

export function describeProgress(p: ExportProgress): string {
  const parts = [PHASE[p.phase]];
  if (p.phase === 'downloading') parts.push(`${p.filesDone}/${p.filesTotal} files`);
  if (p.bytesTotal > 0) parts.push(`${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`);
  if (p.rate > 0) parts.push(`${formatBytes(p.rate)}/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join('  ');
}

export function progressPrinter(stream: NodeJS.WriteStream): { update(p: ExportProgress): void; log(line: string): void; done(): void } {
  let lastPhase = '';
  let drawn = false;
  return {
    // A log line replaces the progress line on a terminal; a pipe or a batch job's log gets the
    // line alone, with no control codes in it.
    log(line) {
      stream.write(`${drawn ? '\r\x1b[2K' : ''}${line}\n`);
      drawn = false;
    },
    update(p) {
      if (stream.isTTY) {
        const line = describeProgress(p).slice(0, Math.max(20, (stream.columns ?? 80) - 1));
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (p.phase !== lastPhase) {
        stream.write(`${PHASE[p.phase]}…\n`);
      }
      lastPhase = p.phase;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
