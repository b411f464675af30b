// The live settings: how often to poll (0 = off) and whether every compared run notifies.
import * as vscode from 'vscode';

export const LIVE_SETTING_KEYS = ['mlwf.live.intervalSeconds', 'mlwf.live.notifyComparedRuns'];

export interface LiveSettings {
  readonly intervalMs: number;
  readonly notifyComparedRuns: boolean;
}

export function readLiveSettings(): LiveSettings {
  const config = vscode.workspace.getConfiguration('mlwf');
  const seconds = config.get<number>('live.intervalSeconds', 10);
  // Below a second is no use to anybody watching a loss curve and only loads a shared server.
  const intervalMs = Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.min(seconds, 3600)) * 1000 : 0;
  return { intervalMs, notifyComparedRuns: config.get<boolean>('live.notifyComparedRuns', false) };
}
