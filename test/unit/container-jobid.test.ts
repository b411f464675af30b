// The id an ABCI 3.0 folder's script writes when its qsub submits the job: MLWF takes it only once
// the whole line is there, and still finds it when the terminal has already ended (a job that
// failed at once), but never takes an empty or half-written file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { containerJobIdFile, waitForContainerJobId } from '../../src/core/scheduler/submitContainerJob';

describe('waiting for the id of a self-submitted container job', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlwf-jobid-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('waits while the file is empty or its line unfinished, then answers the id', async () => {
    const file = containerJobIdFile(dir, 'build');
    assert.equal(path.basename(file), '.mlwf-build.jobid');
    writeFileSync(file, '');
    const ctl = new AbortController();
    const seen = waitForContainerJobId(dir, 'build', ctl.signal, 20);
    await new Promise((r) => setTimeout(r, 80));
    writeFileSync(file, '1042.stan');
    await new Promise((r) => setTimeout(r, 80));
    writeFileSync(file, '1042.standin\n');
    assert.equal(await seen, '1042.standin');
  });

  it('reads once more after the terminal ended, so a job that ended between two polls is still found', async () => {
    writeFileSync(containerJobIdFile(dir, 'serve'), '7.standin\n');
    const ctl = new AbortController();
    ctl.abort();
    assert.equal(await waitForContainerJobId(dir, 'serve', ctl.signal, 10_000), '7.standin');
  });

  it('answers nothing when the terminal ended and no id was written', async () => {
    rmSync(containerJobIdFile(dir, 'serve'), { force: true });
    const ctl = new AbortController();
    const seen = waitForContainerJobId(dir, 'serve', ctl.signal, 20);
    setTimeout(() => ctl.abort(), 60);
    assert.equal(await seen, undefined);
  });
});
