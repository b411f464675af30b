// Whether anybody looks at what live updates would refresh: the Experiments view or a compare
// panel is visible, and the window has the focus or lost it less than a minute ago (a glance at
// another window should not stop the curve; a night in the background should stop the requests).
import * as vscode from 'vscode';

/** How long after the window loses the focus polling goes on. */
export const UNFOCUSED_GRACE_MS = 60_000;

export interface LiveActivitySources {
  readonly treeView: { readonly visible: boolean; readonly onDidChangeVisibility: vscode.Event<unknown> };
  /** Whether any compare panel is visible. */
  anyPanelVisible(): boolean;
}

export class LiveActivity implements vscode.Disposable {
  private blurredAt: number | undefined = vscode.window.state.focused ? undefined : Date.now();
  private readonly becameActive = new vscode.EventEmitter<void>();
  /** Fires when somebody may look again (focus back, the view or a panel shown). */
  readonly onDidBecomeActive = this.becameActive.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sources: LiveActivitySources) {
    this.disposables = [
      this.becameActive,
      vscode.window.onDidChangeWindowState((state) => {
        this.blurredAt = state.focused ? undefined : (this.blurredAt ?? Date.now());
        if (state.focused) this.poke();
      }),
      sources.treeView.onDidChangeVisibility(() => this.poke()),
    ];
  }

  /** A panel appeared or was shown: the caller tells, panels have no shared event. */
  poke(): void {
    if (this.isActive()) this.becameActive.fire();
  }

  isActive(): boolean {
    const seen = this.sources.treeView.visible || this.sources.anyPanelVisible();
    const focused = this.blurredAt === undefined || Date.now() - this.blurredAt < UNFOCUSED_GRACE_MS;
    return seen && focused;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
