// Show Output: one output channel per job, following its output file while the job runs and
// stopping once it has ended (after the last lines). The text is also kept here, for the tests.
import * as vscode from 'vscode';
import { followFile } from '../../core/scheduler/followFile';

interface Follower {
  readonly channel: vscode.OutputChannel;
  readonly stop: AbortController;
  text: string;
}

export class JobOutputs implements vscode.Disposable {
  private readonly followers = new Map<string, Follower>();

  /** Opens (or re-opens) the job's channel; `ended` says when to stop following. */
  show(jobId: string, title: string, file: string, ended: () => boolean): Follower {
    const old = this.followers.get(jobId);
    if (old && !old.stop.signal.aborted) {
      old.channel.show(true);
      return old;
    }
    old?.channel.dispose();
    const channel = vscode.window.createOutputChannel(vscode.l10n.t('MLWF Job {0} ({1})', jobId, title));
    const follower: Follower = { channel, stop: new AbortController(), text: '' };
    this.followers.set(jobId, follower);
    channel.show(true);
    void followFile(
      file,
      (chunk) => {
        follower.text += chunk;
        channel.append(chunk);
      },
      { signal: follower.stop.signal, ended, intervalMs: 1000 },
    )
      .catch((e: Error) => channel.appendLine(vscode.l10n.t('[MLWF] The output could not be read: {0}', e.message)))
      .finally(() => follower.stop.abort());
    return follower;
  }

  textOf(jobId: string): string | undefined {
    return this.followers.get(jobId)?.text;
  }

  dispose(): void {
    for (const f of this.followers.values()) {
      f.stop.abort();
      f.channel.dispose();
    }
    this.followers.clear();
  }
}
