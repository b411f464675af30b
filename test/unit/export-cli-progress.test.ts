// mlwf-export's stderr: a progress line redrawn in place on a terminal, and plain lines (no
// carriage returns or escape codes) when stderr is a pipe or a batch job's log file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressPrinter } from '../../src/cli/progressLine';
import type { ExportProgress } from '../../src/core/export';

function stream(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const out = { isTTY, columns: 80, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { out, text: () => text };
}

const downloading: ExportProgress = { phase: 'downloading', filesDone: 1, filesTotal: 6, bytesDone: 1024, bytesTotal: 4096, rate: 0 } as ExportProgress;

describe('mlwf-export progress on stderr', () => {
  it('not a terminal: one line per phase and log lines as they are, without control codes', () => {
    const s = stream(false);
    const p = progressPrinter(s.out);
    p.update(downloading);
    p.update({ ...downloading, filesDone: 2 });
    p.log('Retrying model.pkl from byte 10 (attempt 2): socket hang up');
    p.update({ ...downloading, phase: 'archiving' });
    p.done();
    assert.equal(s.text(), 'Downloading…\nRetrying model.pkl from byte 10 (attempt 2): socket hang up\nCompressing model.tar.gz…\n');
  });

  it('a terminal: the progress line is cleared before a log line and at the end', () => {
    const s = stream(true);
    const p = progressPrinter(s.out);
    p.log('Exporting m version 1.');
    p.update(downloading);
    p.log('Retrying x');
    p.done();
    assert.equal(s.text(), 'Exporting m version 1.\n\r\x1b[2KDownloading  1/6 files  1.0 KiB / 4.0 KiB\r\x1b[2KRetrying x\n');
  });
});
