// One colour per run everywhere in the panel. The host gives each run a palette slot; the
// colour itself is the theme's (`mlwf.compareRunN`, contributed in package.json, so themes may
// override it and the tree's decoration matches), with this palette when a variable is missing.

export const PALETTE_SIZE = 10;

/** Tableau-10-like defaults: distinguishable on dark and light backgrounds. */
export const FALLBACK_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac',
];

/** The CSS variable VS Code defines for the contributed colour `mlwf.compareRun<N>`, whose one dot VS Code turns into a dash. */
export function colorVariable(slot: number): string {
  return `--vscode-mlwf-compareRun${(slot % PALETTE_SIZE) + 1}`;
}

/** The run's colour: the theme variable's value if set, else the fallback of its slot. */
export function runColor(slot: number, readVariable: (name: string) => string): string {
  const themed = readVariable(colorVariable(slot)).trim();
  return themed || FALLBACK_PALETTE[slot % PALETTE_SIZE]!;
}
