// The VS Code theme's colours for what ECharts draws on a canvas (it cannot read CSS variables
// itself). Read again when the theme changes (VS Code swaps the body's class).
import { cssVariable } from './dom';

export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  readonly fontFamily: string;
  readonly tooltipBackground: string;
  readonly tooltipBorder: string;
}

export function readChartTheme(): ChartTheme {
  const v = (name: string, fallback: string) => cssVariable(name) || fallback;
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#999999'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#444444')),
    background: v('--vscode-editor-background', '#1e1e1e'),
    fontFamily: v('--vscode-font-family', 'sans-serif'),
    tooltipBackground: v('--vscode-editorHoverWidget-background', '#252526'),
    tooltipBorder: v('--vscode-editorHoverWidget-border', '#454545'),
  };
}

/** Calls back when VS Code switches theme (it changes the body's `vscode-*` classes). */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
